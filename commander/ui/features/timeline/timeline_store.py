"""Timeline entries packed column-wise, so a million of them fit in a few hundred megabytes.

A ``TimelineEntry`` tuple with its strings costs over a kilobyte; here an entry is a row id
("rid") into append-only buffers: one UTF-8 record of its text fields, one lower-cased
haystack (what the filter matches), codes into a table of shared strings (kind, owner,
author, attribution, incident) and, for UUID ids, the 16 id bytes. Only two arrays follow
time order (rid and time per position), so an insert moves 12 bytes per later entry, not
objects. A changed entry gets a new rid; the old one is simply no longer in the order.
Qt-free, so a worker thread can build a store and hand it to the model whole.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator

from commander.core.entry_kinds import normalize_kind
from commander.core.records import TimelineEntry
from commander.services.incidents import IncidentService
from commander.ui.features.timeline.timeline_index import WordIndex
from commander.ui.features.timeline.timeline_kinds import KEY_EVENTS

SEP = "\x00"  # between the fields of a record: text fields never hold it (else: kept whole)
NFIELDS = 8
STRUCK, KEY_EVENT, HAS_AMENDED_EVENT, HAS_AMENDED_ACTION, UID, HLC = 1, 2, 4, 8, 16, 32
META = 5  # codes per rid: kind, owner, author, attributed_to, incident_id
_DASHES = (8, 13, 18, 23)
LOAD_PAGE = 5_000  # entries read at a time by load_store


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


def _uuid_bytes(text: str) -> bytes | None:
    """The 16 bytes of a canonical lower-case UUID string, or None for any other id."""
    if len(text) != 36 or any(text[i] != "-" for i in _DASHES):
        return None
    try:
        raw = bytes.fromhex(text.replace("-", ""))
    except ValueError:
        return None
    return raw if _uuid_text(raw) == text else None


def _hlc_parts(text: str) -> tuple[int, int] | None:
    """A canonical stamp (``commander.core.hlc``: 15-digit wall, 6-digit counter) as ints."""
    if len(text) == 22 and text[15] == "." and text.isascii():
        wall, counter = text[:15], text[16:]
        if wall.isdigit() and counter.isdigit():
            return int(wall), int(counter)
    return None


def _grown(values: array[int], value: int) -> array[int]:
    """``values`` in a wider type if ``value`` does not fit (offsets past 4 GiB, codes)."""
    if values.typecode in "HI" and value >= 1 << (8 * values.itemsize):
        return array("I" if values.typecode == "H" else "Q", values)
    return values


def _uuid_text(raw: bytes) -> str:
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class TimelineStore:
    """The entries of one timeline in time order, addressed by position (0 = oldest)."""

    def __init__(self) -> None:
        self._strings: list[str] = [""]
        self._codes: dict[str, int] = {"": 0}
        self._rec = bytearray()  # per rid, append-only
        self._roff = array("I", [0])  # widened to 64 bits past 4 GiB
        self.hay = bytearray()
        self.hoff = array("I", [0])  # haystack of rid r: hay[hoff[r]:hoff[r + 1]]
        self._meta = array("H")  # widened to 32 bits past 65,536 distinct strings
        self._wall = array("Q")  # ordering stamps in their canonical form, as numbers
        self._counter = array("I")
        self._flags = bytearray()
        self._uid = bytearray()
        self._odd: dict[int, TimelineEntry] = {}  # entries whose text holds SEP, kept whole
        self.order = array("I")  # per position: the rid
        self.ms = array("q")  # per position: occurred_at_ms
        self.index = WordIndex()

    def __len__(self) -> int:
        return len(self.order)

    @property
    def rids(self) -> int:
        return len(self._flags)

    # -- writing ---------------------------------------------------------------------------

    def _code(self, text: str) -> int:
        code = self._codes.get(text)
        if code is None:
            code = self._codes[text] = len(self._strings)
            self._strings.append(text)
        return code

    def _pack(self, entry: TimelineEntry) -> int:
        """Append ``entry``'s data under a new rid (placed in the order by the caller)."""
        rid = len(self._flags)
        uid = _uuid_bytes(entry.id)
        hlc = _hlc_parts(entry.hlc)
        text = SEP.join(
            (
                "" if uid is not None else entry.id,
                "" if hlc is not None else entry.hlc,
                entry.event,
                entry.action,
                entry.strike_reason,
                entry.amended_event or "",
                entry.amended_action or "",
                entry.answers,
            )
        )
        odd = text.count(SEP) != NFIELDS - 1 or entry.struck not in (0, 1)
        odd = odd or entry.key_event not in (0, 1)
        if odd:
            self._odd[rid] = entry
            text, uid, hlc = "", None, None
        self._rec += text.encode()
        self._roff = _grown(self._roff, len(self._rec))
        self._roff.append(len(self._rec))
        hay = haystack(entry)
        self.hay += hay.encode()
        self.hoff = _grown(self.hoff, len(self.hay))
        self.hoff.append(len(self.hay))
        code = self._code
        codes = (
            code(entry.kind),
            code(entry.owner),
            code(entry.author),
            code(entry.attributed_to),
            code(entry.incident_id),
        )
        self._meta = _grown(self._meta, max(codes))
        self._meta.extend(codes)
        self._wall.append(hlc[0] if hlc is not None else 0)
        self._counter.append(hlc[1] if hlc is not None else 0)
        flags = (STRUCK if entry.struck else 0) | (KEY_EVENT if entry.key_event else 0)
        flags |= HAS_AMENDED_EVENT if entry.amended_event is not None else 0
        flags |= HAS_AMENDED_ACTION if entry.amended_action is not None else 0
        self._uid += uid if uid is not None else bytes(16)
        flags |= (UID if uid is not None else 0) | (HLC if hlc is not None else 0)
        self._flags.append(flags)
        self.index.add(rid, hay)
        return rid

    def add_newer(self, entries: Iterable[TimelineEntry]) -> None:
        """Append entries that sort after every one held, in time order."""
        pack = self._pack
        for entry in entries:
            self.order.append(pack(entry))
            self.ms.append(entry.occurred_at_ms)

    def add_older(self, entries: list[TimelineEntry]) -> None:
        """Prepend entries that all sort before the first one held, in time order."""
        pack = self._pack
        self.order[0:0] = array("I", [pack(e) for e in entries])
        self.ms[0:0] = array("q", [e.occurred_at_ms for e in entries])

    def trim(self) -> None:
        """Give back the room the buffers kept for growth (after a bulk load)."""
        self._rec, self.hay, self._uid = (
            bytearray(self._rec),
            bytearray(self.hay),
            bytearray(self._uid),
        )
        self._flags = bytearray(self._flags)
        for name in ("_roff", "hoff", "_meta", "_wall", "_counter", "order", "ms"):
            values = getattr(self, name)
            setattr(self, name, array(values.typecode, values))
        self.index.trim()

    def insert(self, pos: int, entry: TimelineEntry) -> int:
        rid = self._pack(entry)
        self.order.insert(pos, rid)
        self.ms.insert(pos, entry.occurred_at_ms)
        return rid

    def replace(self, pos: int, entry: TimelineEntry) -> int:
        """Store a changed entry (same time) at ``pos``; returns its new rid."""
        rid = self._pack(entry)
        self._odd.pop(self.order[pos], None)
        self.order[pos] = rid
        return rid

    # -- reading ---------------------------------------------------------------------------

    def entry(self, pos: int) -> TimelineEntry:
        return self.entry_of(self.order[pos], self.ms[pos])

    def entry_of(self, rid: int, ms: int) -> TimelineEntry:
        odd = self._odd.get(rid)
        if odd is not None:
            return odd
        parts = self._rec[self._roff[rid] : self._roff[rid + 1]].decode().split(SEP)
        id_text, hlc, event, action, reason, amended_event, amended_action, answers = parts
        flags = self._flags[rid]
        if flags & UID:
            id_text = _uuid_text(bytes(self._uid[16 * rid : 16 * rid + 16]))
        if flags & HLC:
            hlc = f"{self._wall[rid]:015d}.{self._counter[rid]:06d}"
        kind, owner, author, attributed, incident = self._meta[META * rid : META * rid + META]
        s = self._strings
        return TimelineEntry(
            id_text,
            s[incident],
            ms,
            hlc,
            s[kind],
            event,
            action,
            s[owner],
            s[author],
            flags & STRUCK,
            reason,
            amended_event if flags & HAS_AMENDED_EVENT else None,
            amended_action if flags & HAS_AMENDED_ACTION else None,
            s[attributed],
            answers,
            1 if flags & KEY_EVENT else 0,
        )

    def kind_passes(self, pos: int, wanted: str) -> bool:
        """The kind filter at ``pos`` without unpacking the entry: ``KEY_EVENTS`` reads its
        flag, any other value its kind's stored word."""
        rid = self.order[pos]
        if wanted == KEY_EVENTS:
            return bool(self._flags[rid] & KEY_EVENT)
        return normalize_kind(self._strings[self._meta[META * rid]]) == wanted

    def entries(self) -> Iterator[TimelineEntry]:
        for pos in range(len(self.order)):
            yield self.entry(pos)

    def contains(self, pos: int, needle: bytes) -> bool:
        """Whether the haystack at ``pos`` holds ``needle`` (UTF-8 of a lower-cased query)."""
        rid = self.order[pos]
        return self.hay.find(needle, self.hoff[rid], self.hoff[rid + 1]) >= 0

    def find(self, entry: TimelineEntry) -> int | None:
        """The position of the entry with ``entry``'s key (time, stamp, id), or None."""
        key = entry.sort_key
        pos = bisect_left(self.ms, entry.occurred_at_ms)
        while pos < len(self.ms) and self.ms[pos] == entry.occurred_at_ms:
            if self.entry(pos).sort_key == key:
                return pos
            pos += 1
        return None

    def insert_position(self, entry: TimelineEntry) -> int:
        """Where ``entry`` goes in time order (after any entry with an equal key)."""
        key = entry.sort_key
        lo = bisect_left(self.ms, entry.occurred_at_ms)
        hi = bisect_right(self.ms, entry.occurred_at_ms)
        while lo < hi and self.entry(lo).sort_key <= key:
            lo += 1
        return lo

    def position_of_id(self, entry_id: str) -> int | None:
        """The position of the entry with this id, or None."""
        rid = self._rid_of_id(entry_id)
        if rid is None:
            return None
        try:
            return self.order.index(rid)
        except ValueError:  # pragma: no cover - the newest rid of an id is always placed
            return None

    def _rid_of_id(self, entry_id: str) -> int | None:
        """The newest rid holding this id: a changed entry's older rids are out of the order."""
        found = [rid for rid, e in self._odd.items() if e.id == entry_id]
        best = max(found) if found else None
        uid = _uuid_bytes(entry_id)
        if uid is not None:
            end = len(self._uid)
            while (at := self._uid.rfind(uid, 0, end)) >= 0:
                if at % 16 == 0 and self._flags[at // 16] & UID:
                    return max(at // 16, best) if best is not None else at // 16
                end = at + 15
            return best
        prefix = entry_id.encode() + SEP.encode()
        for rid in range(len(self._flags) - 1, -1, -1):
            if best is not None and rid < best:
                break
            stop = self._roff[rid + 1]
            if not self._flags[rid] & UID and self._rec.startswith(prefix, self._roff[rid], stop):
                return rid
        return best


def load_store(
    service: IncidentService,
    incident_id: str,
    *,
    before: tuple[int, str, str] | None = None,
    page: int = LOAD_PAGE,
) -> TimelineStore:
    """An incident's timeline (before ``before``) read page by page into a store.

    A million entry tuples at once would take over a gigabyte, and the process would keep
    that memory after the load; a page at a time peaks at a few tens of megabytes.
    """
    store, key = TimelineStore(), before
    while entries := service.timeline(incident_id, last=page, before=key):
        store.add_older(entries)
        key = entries[0].sort_key
        if len(entries) < page:
            break
    store.trim()
    return store
