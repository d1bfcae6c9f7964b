"""The timeline as a Qt table model, built for a million entries.

Why not a ``QSortFilterProxyModel``: a proxy filters by calling Python ``data()`` once per row,
which is far too slow at this size. The entries live packed in a ``TimelineStore`` (a few
hundred bytes each, no object per entry) in time order; the rows that pass the filter are
a list of positions (None: all). A filter is a layout change, never a reset: the selection
and the current row survive it. A query containing the previous one only narrows the rows
shown; any other query asks the store's word index (``timeline_search``), and the last few
answers are kept for a backspace. A new entry is a ``beginInsertRows`` at its sorted
position. Sorting by time only flips the row mapping. Painted cells are formatted once and
cached.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from commander.core.entry_kinds import is_backfilled, recorded_at_ms
from commander.core.records import TimelineEntry
from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.themes import qcolour
from commander.ui.common.zones import FollowsZone
from commander.ui.features.timeline.timeline_changes import TimelineChanges
from commander.ui.features.timeline.timeline_kinds import kind_matches, kind_notes, shown_kind
from commander.ui.features.timeline.timeline_rows import rows_of
from commander.ui.features.timeline.timeline_search import INDEX_FROM, search
from commander.ui.features.timeline.timeline_store import TimelineStore, haystack

__all__ = ["TimelineModel", "haystack", "shown_action", "shown_event"]

COLUMNS = ("Time", "Event", "Action taken", "Owner", "Author")
COL_TIME, COL_EVENT, COL_ACTION, COL_OWNER, COL_AUTHOR = range(len(COLUMNS))
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # the Event cell's kind tag: "★ ◆ decision by bob"

_Index = QModelIndex | QPersistentModelIndex
# Marks an amended cell even when the "(was: ...)" part is elided in a narrow column.
AMENDED_MARK = "✎ "
# An entry written down well after the time it names (the scribe caught up from memory).
BACKFILLED_MARK = " ↶"
CELL_CACHE = 4096  # rows whose entry and formatted cells are kept (strftime per paint cost)
RESULTS_KEPT = 8  # answers of recent queries, for a backspace
_Cells = tuple[TimelineEntry, tuple[str, ...] | None]
_ROLES = frozenset(
    (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        ENTRY_ROLE,
        KIND_ROLE,
    )
)


def _backfilled(entry: TimelineEntry) -> bool:
    try:
        return is_backfilled(entry.occurred_at_ms, entry.hlc)
    except ValueError:  # a stamp that is not an HLC (a test's or a very old row): not marked
        return False


def shown_event(entry: TimelineEntry) -> str:
    """The event as read: an amendment beside the original, which stays visible."""
    if entry.amended_event is not None and entry.amended_event != entry.event:
        return f"{AMENDED_MARK}{entry.amended_event}  (was: {entry.event})"
    return entry.event


def shown_action(entry: TimelineEntry) -> str:
    if entry.amended_action is not None and entry.amended_action != entry.action:
        was = entry.action or "—"
        return f"{AMENDED_MARK}{entry.amended_action}  (was: {was})"
    return entry.action


class TimelineModel(TimelineChanges, ColumnsTableModel, FollowsZone):
    """Time | Event | Action taken | Owner | Author for one incident; the Event cell also
    carries the entry's kind (``KIND_ROLE``), which the panel's delegate shows before it.

    Args:
        zone: the display time zone.
        index_from: entries from which a filter asks the word index instead of scanning.
    """

    COLUMNS = COLUMNS

    def __init__(
        self, zone: tzinfo = UTC, parent: Any = None, *, index_from: int = INDEX_FROM
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._index_from = index_from
        self._day: date | None = None
        self._store = TimelineStore()
        self._vis: Any = None  # ascending positions that pass the filter; None: all of them
        self._needle = ""
        self._kind_filter = ""  # see kind_matches: "", KEY_EVENTS or one kind
        self._results: dict[str, Any] = {}  # query -> its rows, until the timeline changes
        self._cells: dict[int, _Cells] = {}  # rid -> its entry and formatted cells
        self._descending = False
        self._fonts = self._make_fonts()

    def set_zone(self, zone: tzinfo) -> None:
        """Show times in ``zone``; the cached cells hold the old zone's times."""
        self._cells.clear()
        super().set_zone(zone)

    @staticmethod
    def _make_fonts() -> dict[tuple[bool, bool, bool], QFont]:
        fonts = {}
        for struck in (False, True):
            for italic in (False, True):
                for bold in (False, True):  # a key event reads bold across its row
                    font = QFont()
                    font.setStrikeOut(struck)
                    font.setItalic(italic)
                    font.setBold(bold)
                    fonts[(struck, italic, bold)] = font
        return fonts

    # -- loading, filtering, sorting -------------------------------------------------------

    def set_entries(
        self, entries: list[TimelineEntry], declared_at: datetime | None = None
    ) -> None:
        """Replace the whole timeline (opening an incident). ``entries`` must be in time order."""
        self.beginResetModel()
        self._day = declared_at.astimezone(self._zone).date() if declared_at else None
        self._store = TimelineStore()
        self._store.add_newer(entries)
        self._changed()
        self._vis = self._rows_for(self._needle, None)
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def _changed(self) -> None:
        self._results.clear()
        self._cells.clear()

    def _search(self, needle: str, within: Any) -> Any:
        # ``within`` already holds only the kind filter's rows; an answer from scratch is
        # narrowed to them here, so every answer kept is of the text and the kind together.
        rows = self._results.get(needle)
        if rows is None:
            rows = rows_of(search(self._store, needle, within, index_from=self._index_from))
            if self._kind_filter and within is None:
                rows = self._kinded(rows)
            if len(self._results) >= RESULTS_KEPT:
                del self._results[next(iter(self._results))]
            self._results[needle] = rows
        return rows

    def set_filter(self, text: str) -> None:
        """Show the entries whose text contains ``text`` (any case), as one layout change.

        A query containing the previous one can only match rows already shown, so only
        those are read; a query seen since the last change is answered from memory.
        """
        needle = text.strip().lower()
        if needle == self._needle:
            return
        narrower = bool(self._needle) and self._needle in needle
        vis = self._rows_for(needle, self._vis if narrower else None)
        self._needle = needle
        self._show(vis)

    def set_kind_filter(self, wanted: str) -> None:
        """Show only entries of one kind, or only key events (``KEY_EVENTS``); ``""``: all.
        Combines with the text filter; a layout change like it."""
        if wanted == self._kind_filter:
            return
        self._kind_filter = wanted
        self._results.clear()  # answers were of the text and the previous kind together
        self._show(self._rows_for(self._needle, None))

    def kind_filter(self) -> str:
        return self._kind_filter

    def _rows_for(self, needle: str, within: Any) -> Any:
        """The positions passing ``needle`` and the kind filter (None: every position)."""
        if needle:
            return self._search(needle, within)  # from scratch, it applies the kind filter
        if within is not None:
            return within
        return self._kinded(None) if self._kind_filter else None

    def _kinded(self, rows: Any) -> Any:
        """``rows`` (None: all) narrowed to the kind filter, read from the packed store."""
        store, wanted = self._store, self._kind_filter
        positions = range(len(store)) if rows is None else rows
        return rows_of([int(p) for p in positions if store.kind_passes(int(p), wanted)])

    def _show(self, vis: Any) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        kept = [self._position(i.row()) for i in old]
        self._vis = vis
        self.changePersistentIndexList(
            old,
            [
                QModelIndex() if vpos is None else self.index(self._row_of_vpos(vpos), i.column())
                for i, vpos in zip(old, (self._vpos(p) for p in kept), strict=True)
            ],
        )
        self.layoutChanged.emit()

    def filter_text(self) -> str:
        return self._needle

    def _matches(self, entry: TimelineEntry) -> bool:
        return (not self._needle or self._needle in haystack(entry)) and kind_matches(
            entry, self._kind_filter
        )

    def is_descending(self) -> bool:
        return self._descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Only time order makes sense for a log; any column header sorts by time."""
        descending = order == Qt.SortOrder.DescendingOrder
        if descending == self._descending:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        n = self._row_count()
        self._descending = descending
        self.changePersistentIndexList(old, [self.index(n - 1 - i.row(), i.column()) for i in old])
        self.layoutChanged.emit()

    # -- positions and rows --------------------------------------------------------------

    def _position(self, row: int) -> int:
        """The store position shown at view ``row``."""
        vpos = self._row_count() - 1 - row if self._descending else row
        return vpos if self._vis is None else int(self._vis[vpos])

    def _vpos(self, pos: int) -> int | None:
        """Where store position ``pos`` is among the rows shown, or None if filtered out."""
        if self._vis is None:
            return pos
        vpos = bisect_left(self._vis, pos)
        return vpos if vpos < len(self._vis) and self._vis[vpos] == pos else None

    def _row_of_vpos(self, vpos: int, *, inserting: bool = False) -> int:
        """Map a position among the rows shown (ascending) to a view row."""
        if not self._descending:
            return vpos
        n = self._row_count()
        return n - vpos if inserting else n - 1 - vpos

    # -- lookups for the panel -------------------------------------------------------------

    def _row_data(self, row: int) -> _Cells:
        pos = self._position(row)
        rid = self._store.order[pos]
        held = self._cells.get(rid)
        if held is None:
            if len(self._cells) >= CELL_CACHE:  # a few screens; scrolling far refills it
                self._cells.clear()
            held = self._cells[rid] = (self._store.entry_of(rid, self._store.ms[pos]), None)
        return held

    def entry_at(self, row: int) -> TimelineEntry:
        return self._row_data(row)[0]

    def entries(self) -> Iterator[TimelineEntry]:
        """Every entry held, filtered or not, in time order."""
        return self._store.entries()

    def row_of(self, entry_id: str) -> int | None:
        """The view row of an entry, or None if it is filtered out or unknown."""
        pos = self._store.position_of_id(entry_id)
        vpos = None if pos is None else self._vpos(pos)
        return None if vpos is None else self._row_of_vpos(vpos)

    def spans_other_days(self) -> bool:
        """Whether some entry falls on another day than the declared one (shown with a date)."""
        ms = self._store.ms
        if not ms or self._day is None:
            return False
        return any(
            datetime.fromtimestamp(t / 1000, self._zone).date() != self._day
            for t in (ms[0], ms[-1])
        )

    def total_count(self) -> int:
        return len(self._store)

    def format_time(self, entry: TimelineEntry) -> str:
        local = datetime.fromtimestamp(entry.occurred_at_ms / 1000, self._zone)
        if self._day is not None and local.date() != self._day:
            return local.strftime("%Y-%m-%d %H:%M:%S")
        return local.strftime("%H:%M:%S")

    # -- Qt model interface ----------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._store) if self._vis is None else len(self._vis)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():  # most roles a paint asks for: nothing
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(index.row(), index.column())
        entry = self.entry_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.FontRole:
            struck, italic = bool(entry.struck), entry.kind == "system"
            if struck or italic or entry.key_event:
                return self._fonts[(struck, italic, bool(entry.key_event))]
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.struck or entry.kind == "system":
                return qcolour("muted")  # themed: a fixed grey vanishes on dark themes
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), entry, column)
        if role == ENTRY_ROLE:
            return entry
        if role == KIND_ROLE:
            return shown_kind(entry)
        return None

    def _display(self, row: int, column: int) -> str:
        pos = self._position(row)
        rid = self._store.order[pos]
        entry, cells = self._row_data(row)
        if cells is None:
            cells = (
                self.format_time(entry) + (BACKFILLED_MARK if _backfilled(entry) else ""),
                shown_event(entry),
                shown_action(entry),
                entry.owner,
                entry.author,
            )
            self._cells[rid] = (entry, cells)
        return cells[column]

    def _tooltip(self, row: int, entry: TimelineEntry, column: int) -> str:
        local = datetime.fromtimestamp(entry.occurred_at_ms / 1000, self._zone)
        recorded = datetime.fromtimestamp(recorded_at_ms(entry.hlc) / 1000, self._zone)
        lines = [
            f"Happened {local.isoformat(timespec='seconds')}",
            f"Recorded {recorded.isoformat(timespec='seconds')}"
            + (" (back-filled: written down later)" if _backfilled(entry) else ""),
        ]
        if column != COL_TIME:
            shown = self._display(row, column)
            lines = [shown] if shown else []
        if entry.struck:
            lines.append(f"Struck: {entry.strike_reason or 'no reason given'}")
        if entry.amended_event is not None:
            lines.append(f"Amended; original: {entry.event}")
        if entry.kind == "system":
            lines.append("Logged by Commander")
        if column == COL_EVENT:
            lines.extend(kind_notes(entry))
        return "\n".join(lines)
