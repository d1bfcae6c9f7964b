"""The window icon is the rendered set, every size."""

from __future__ import annotations

from PySide6.QtCore import QSize

from commander.ui.app_icon import SIZES, app_icon, icons_dir


def test_app_icon_offers_every_rendered_size(qapp) -> None:  # type: ignore[no-untyped-def]
    assert icons_dir() is not None
    icon = app_icon()
    assert not icon.isNull()
    assert set(icon.availableSizes()) == {QSize(s, s) for s in SIZES}
