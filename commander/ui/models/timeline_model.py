"""The timeline as a Qt table model, built for 100,000 entries.

Why not a ``QSortFilterProxyModel``: a proxy filters by calling Python ``data()`` once per row,
which is far too slow at this size. Instead the model keeps the ``TimelineEntry`` tuples in time
order, a lower-case haystack per entry, and the entries that pass the filter (with their
haystacks). A keystroke that extends the query only narrows the rows shown (no rescan of the
whole timeline), and a filter is a layout change, never a reset: the selection and the current
row survive it. A new entry is a ``beginInsertRows`` at its sorted position. Sorting by time
only flips the row mapping. Painted cells are formatted once and cached.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from commander.core.records import TimelineEntry
from commander.ui.models.columns import ColumnsTableModel
from commander.ui.models.timeline_kinds import kind_matches, kind_notes, shown_kind
from commander.ui.themes import qcolour

COLUMNS = ("Time", "Event", "Action taken", "Owner", "Author")
COL_TIME, COL_EVENT, COL_ACTION, COL_OWNER, COL_AUTHOR = range(len(COLUMNS))
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # the Event cell's kind tag: "★ ◆ decision by bob"

_Index = QModelIndex | QPersistentModelIndex
# Marks an amended cell even when the "(was: ...)" part is elided in a narrow column.
AMENDED_MARK = "✎ "
CELL_CACHE = 4096  # rows whose formatted cells are kept (strftime per paint was the cost)


def _key(entry: TimelineEntry) -> tuple[int, str, str]:
    return entry.sort_key


def haystack(entry: TimelineEntry) -> str:
    """Everything the filter matches, lower-cased once."""
    return "\x1f".join(
        (
            entry.event,
            entry.action,
            entry.owner,
            entry.author,
            entry.amended_event or "",
            entry.amended_action or "",
        )
    ).lower()


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


class TimelineModel(ColumnsTableModel):
    """Time | Event | Action taken | Owner | Author for one incident; the Event cell also
    carries the entry's kind (``KIND_ROLE``), which the panel's delegate shows before it.

    Args:
        zone: the display time zone.
    """

    COLUMNS = COLUMNS

    def __init__(self, zone: tzinfo = UTC, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._day: date | None = None
        self._entries: list[TimelineEntry] = []  # ascending by sort_key
        self._hay: list[str] = []  # parallel to _entries
        self._ids: set[str] = set()
        self._visible: list[TimelineEntry] = []  # ascending; the rows that pass the filter
        self._vhay: list[str] = []  # parallel to _visible: what a narrower filter scans
        self._needle = ""
        self._kind_filter = ""  # see kind_matches
        self._cells: dict[str, tuple[str, ...]] = {}  # entry id -> its formatted cells
        self._descending = False
        self._fonts = self._make_fonts()

    def set_zone(self, zone: tzinfo) -> None:
        """Show times in ``zone``; the cached cells hold the old zone's times."""
        self._zone = zone
        self._cells.clear()

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
        self._entries = list(entries)
        self._hay = [haystack(e) for e in self._entries]
        self._ids = {e.id for e in self._entries}
        self._cells.clear()
        self._visible, self._vhay = self._filtered(self._entries, self._hay)
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def set_filter(self, text: str) -> None:
        """Show the entries whose text contains ``text`` (any case), as one layout change.

        A query containing the previous one can only match rows already shown, so only
        those are scanned: typing a word costs one full scan, at its first letter.
        """
        needle = text.strip().lower()
        if needle == self._needle:
            return
        narrower = self._needle in needle
        self._needle = needle
        if narrower:
            visible, vhay = self._filtered(self._visible, self._vhay)
        else:
            visible, vhay = self._filtered(self._entries, self._hay)
        self._show_filtered(visible, vhay)

    def set_kind_filter(self, wanted: str) -> None:
        """Show only entries of one kind, or only key events (``KEY_EVENTS``); ``""``: all.
        Combines with the text filter; a layout change like it."""
        if wanted == self._kind_filter:
            return
        self._kind_filter = wanted
        self._show_filtered(*self._filtered(self._entries, self._hay))

    def kind_filter(self) -> str:
        return self._kind_filter

    def _passes(self, entry: TimelineEntry, hay: str) -> bool:
        return (not self._needle or self._needle in hay) and kind_matches(entry, self._kind_filter)

    def _show_filtered(self, visible: list[TimelineEntry], vhay: list[str]) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        kept = [self._visible_pos(visible, self.entry_at(i.row())) for i in old]
        self._visible, self._vhay = visible, vhay
        self.changePersistentIndexList(
            old,
            [
                QModelIndex()
                if vpos is None
                else self.index(self._row_of_position(vpos), i.column())
                for i, vpos in zip(old, kept, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def filter_text(self) -> str:
        return self._needle

    def _filtered(
        self, entries: list[TimelineEntry], hay: list[str]
    ) -> tuple[list[TimelineEntry], list[str]]:
        needle, wanted = self._needle, self._kind_filter
        if not needle and not wanted:
            return list(entries), list(hay)
        picked = [
            i
            for i, h in enumerate(hay)
            if needle in h and (not wanted or kind_matches(entries[i], wanted))
        ]
        return [entries[i] for i in picked], [hay[i] for i in picked]

    def _visible_pos(self, visible: list[TimelineEntry], entry: TimelineEntry) -> int | None:
        return self._find(visible, entry)

    def is_descending(self) -> bool:
        return self._descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Only time order makes sense for a log; any column header sorts by time."""
        descending = order == Qt.SortOrder.DescendingOrder
        if descending == self._descending:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        n = len(self._visible)
        self._descending = descending
        self.changePersistentIndexList(old, [self.index(n - 1 - i.row(), i.column()) for i in old])
        self.layoutChanged.emit()

    # -- incremental changes ---------------------------------------------------------------

    def add_older(self, entries: list[TimelineEntry], hay: list[str] | None = None) -> None:
        """Prepend entries that all sort before the first one held (the second load step)."""
        if not entries:
            return
        hay = hay if hay is not None else [haystack(e) for e in entries]
        self._entries[:0] = entries
        self._hay[:0] = hay
        self._ids.update(e.id for e in entries)
        shown, shown_hay = self._filtered(entries, hay)
        if not shown:
            return
        first = len(self._visible) if self._descending else 0  # older rows go to the bottom
        self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
        self._visible[:0] = shown
        self._vhay[:0] = shown_hay
        self.endInsertRows()

    def first_key(self) -> tuple[int, str, str] | None:
        return _key(self._entries[0]) if self._entries else None

    def apply(self, entries: Iterable[TimelineEntry]) -> None:
        """Insert new entries at their place and refresh changed ones (strike, amend)."""
        for entry in entries:
            if entry.id in self._ids:
                self._update(entry)
            else:
                self._insert(entry)

    def _insert(self, entry: TimelineEntry) -> None:
        key = _key(entry)
        pos = bisect_right(self._entries, key, key=_key)
        hay = haystack(entry)
        self._entries.insert(pos, entry)
        self._hay.insert(pos, hay)
        self._ids.add(entry.id)
        if not self._passes(entry, hay):
            return
        vpos = bisect_right(self._visible, key, key=_key)
        row = self._row_of_position(vpos, inserting=True)
        self.beginInsertRows(QModelIndex(), row, row)
        self._visible.insert(vpos, entry)
        self._vhay.insert(vpos, hay)
        self.endInsertRows()

    def _update(self, entry: TimelineEntry) -> None:
        pos = self._find(self._entries, entry)
        if pos is None:  # pragma: no cover - occurred_at is immutable, so this is a guard
            return
        hay = haystack(entry)
        self._entries[pos] = entry
        self._hay[pos] = hay
        self._cells.pop(entry.id, None)
        matches = self._passes(entry, hay)
        vpos = self._find(self._visible, entry)
        if vpos is not None and matches:
            self._visible[vpos] = entry
            self._vhay[vpos] = hay
            row = self._row_of_position(vpos)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        elif vpos is not None:
            row = self._row_of_position(vpos)
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._visible[vpos]
            del self._vhay[vpos]
            self.endRemoveRows()
        elif matches:
            vpos = bisect_right(self._visible, _key(entry), key=_key)
            row = self._row_of_position(vpos, inserting=True)
            self.beginInsertRows(QModelIndex(), row, row)
            self._visible.insert(vpos, entry)
            self._vhay.insert(vpos, hay)
            self.endInsertRows()

    @staticmethod
    def _find(entries: list[TimelineEntry], entry: TimelineEntry) -> int | None:
        key = _key(entry)
        pos = bisect_left(entries, key, key=_key)
        while pos < len(entries) and _key(entries[pos]) == key:
            if entries[pos].id == entry.id:
                return pos
            pos += 1
        return None

    def _row_of_position(self, vpos: int, *, inserting: bool = False) -> int:
        """Map a position in the ascending visible list to a view row."""
        if not self._descending:
            return vpos
        n = len(self._visible)
        return n - vpos if inserting else n - 1 - vpos

    # -- lookups for the panel -------------------------------------------------------------

    def entry_at(self, row: int) -> TimelineEntry:
        if self._descending:
            return self._visible[len(self._visible) - 1 - row]
        return self._visible[row]

    def row_of(self, entry_id: str) -> int | None:
        """The view row of an entry, or None if it is filtered out or unknown."""
        if entry_id not in self._ids:
            return None
        for vpos in range(len(self._visible) - 1, -1, -1):  # new entries are usually last
            if self._visible[vpos].id == entry_id:
                return self._row_of_position(vpos)
        return None

    def spans_other_days(self) -> bool:
        """Whether some entry falls on another day than the declared one (shown with a date)."""
        if not self._entries or self._day is None:
            return False
        ends = (self._entries[0], self._entries[-1])
        return any(
            datetime.fromtimestamp(e.occurred_at_ms / 1000, self._zone).date() != self._day
            for e in ends
        )

    def total_count(self) -> int:
        return len(self._entries)

    def format_time(self, entry: TimelineEntry) -> str:
        local = datetime.fromtimestamp(entry.occurred_at_ms / 1000, self._zone)
        if self._day is not None and local.date() != self._day:
            return local.strftime("%Y-%m-%d %H:%M:%S")
        return local.strftime("%H:%M:%S")

    # -- Qt model interface ----------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._visible)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entry_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
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
            return self._tooltip(entry, column)
        if role == ENTRY_ROLE:
            return entry
        if role == KIND_ROLE:
            return shown_kind(entry)
        return None

    def _display(self, entry: TimelineEntry, column: int) -> str:
        cells = self._cells.get(entry.id)
        if cells is None:
            if len(self._cells) >= CELL_CACHE:  # a few screens; scrolling far refills it
                self._cells.clear()
            cells = self._cells[entry.id] = (
                self.format_time(entry),
                shown_event(entry),
                shown_action(entry),
                entry.owner,
                entry.author,
            )
        return cells[column]

    def _tooltip(self, entry: TimelineEntry, column: int) -> str:
        local = datetime.fromtimestamp(entry.occurred_at_ms / 1000, self._zone)
        lines = [local.isoformat(timespec="seconds")]
        if column != COL_TIME:
            lines = [self._display(entry, column)] if self._display(entry, column) else []
        if entry.struck:
            lines.append(f"Struck: {entry.strike_reason or 'no reason given'}")
        if entry.amended_event is not None:
            lines.append(f"Amended; original: {entry.event}")
        if entry.kind == "system":
            lines.append("Logged by Commander")
        if column == COL_EVENT:
            lines.extend(kind_notes(entry))
        return "\n".join(lines)
