"""One way for the window to change the zone every model and panel shows times in."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QAbstractItemModel


class FollowsZone:
    """A model or widget that formats times in the display zone it was built with.

    *Settings → Display zone* finds every ``FollowsZone`` among the window's children and
    calls :meth:`set_zone`; a class that caches formatted times overrides it to drop them.
    """

    _zone: tzinfo

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        if isinstance(self, QAbstractItemModel):  # views repaint with the new times
            self.layoutChanged.emit()
