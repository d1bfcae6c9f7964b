"""The timeline model's incremental changes: older entries prepended by the second load step,
new entries inserted at their place, changed ones (struck, amended, marked key) refreshed.

A mixin of ``TimelineModel`` (kept apart so each file reads on its own): it works on the
model's packed store (``_store``), the rows passing the filter (``_vis``: ascending store
positions, None for all) and the model's own row mapping.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex

from commander.core.records import TimelineEntry
from commander.ui.features.timeline.timeline_rows import delete, insert, insert_all, rows_of, shift
from commander.ui.features.timeline.timeline_search import search
from commander.ui.features.timeline.timeline_store import TimelineStore

if TYPE_CHECKING:
    from commander.ui.common.columns import ColumnsTableModel

    _Base = ColumnsTableModel
else:
    _Base = object


class TimelineChanges(_Base):
    """What ``TimelineModel`` does when entries arrive or change."""

    _store: TimelineStore
    _vis: Any
    _needle: str
    _kind_filter: str
    _index_from: int
    _descending: bool

    if TYPE_CHECKING:  # defined by TimelineModel

        def _changed(self) -> None: ...
        def _matches(self, entry: TimelineEntry) -> bool: ...
        def _row_count(self) -> int: ...
        def _vpos(self, pos: int) -> int | None: ...
        def _row_of_vpos(self, vpos: int, *, inserting: bool = False) -> int: ...

    def add_older(self, older: list[TimelineEntry] | TimelineStore) -> None:
        """Prepend entries that all sort before the first one held (the second load step).

        ``older`` may be a store built by a worker; it is adopted, not copied.
        """
        count = len(older)
        if not count:
            return
        shown: Any = None
        if self._needle or self._kind_filter:
            if isinstance(older, TimelineStore):
                shown = (
                    rows_of(search(older, self._needle, index_from=self._index_from))
                    if self._needle
                    else range(len(older))
                )
                if self._kind_filter:
                    wanted = self._kind_filter
                    shown = [int(p) for p in shown if older.kind_passes(int(p), wanted)]
                shown = rows_of(list(shown) if isinstance(shown, range) else shown)
            else:
                shown = [i for i, e in enumerate(older) if self._matches(e)]
        added = count if shown is None else len(shown)
        first = self._row_count() if self._descending else 0  # older rows go to the bottom
        if added:
            self.beginInsertRows(QModelIndex(), first, first + added - 1)
        if isinstance(older, TimelineStore) and len(older) >= len(self._store):
            older.add_newer(self._store.entries())
            self._store = older
        else:
            entries = list(older.entries()) if isinstance(older, TimelineStore) else older
            self._store.add_older(entries)
        self._changed()
        if shown is not None:
            self._vis = insert_all(shown, shift(self._vis, 0, count))
        if added:
            self.endInsertRows()

    def first_key(self) -> tuple[int, str, str] | None:
        return self._store.entry(0).sort_key if len(self._store) else None

    def apply(self, entries: Iterable[TimelineEntry]) -> None:
        """Insert new entries at their place and refresh changed ones (strike, amend)."""
        for entry in entries:
            pos = self._store.find(entry)
            if pos is None:
                self._insert(entry)
            else:
                self._update(pos, entry)

    def _insert(self, entry: TimelineEntry) -> None:
        store = self._store
        pos = store.insert_position(entry)
        if not self._matches(entry):
            store.insert(pos, entry)
            self._changed()
            if self._vis is not None:
                self._vis = shift(self._vis, bisect_left(self._vis, pos), 1)
            return
        vpos = pos if self._vis is None else bisect_left(self._vis, pos)
        row = self._row_of_vpos(vpos, inserting=True)
        self.beginInsertRows(QModelIndex(), row, row)
        store.insert(pos, entry)
        self._changed()
        if self._vis is not None:
            self._vis = insert(shift(self._vis, vpos, 1), vpos, pos)
        self.endInsertRows()

    def _update(self, pos: int, entry: TimelineEntry) -> None:
        matches = self._matches(entry)
        vpos = self._vpos(pos)
        if vpos is not None and matches:
            self._store.replace(pos, entry)
            self._changed()
            row = self._row_of_vpos(vpos)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        elif vpos is not None:
            row = self._row_of_vpos(vpos)
            self.beginRemoveRows(QModelIndex(), row, row)
            self._store.replace(pos, entry)
            self._changed()
            self._vis = delete(self._vis, vpos)
            self.endRemoveRows()
        elif matches:
            vpos = bisect_left(self._vis, pos)
            row = self._row_of_vpos(vpos, inserting=True)
            self.beginInsertRows(QModelIndex(), row, row)
            self._store.replace(pos, entry)
            self._changed()
            self._vis = insert(self._vis, vpos, pos)
            self.endInsertRows()
        else:
            self._store.replace(pos, entry)
            self._changed()
