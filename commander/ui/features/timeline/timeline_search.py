"""The rows of a ``TimelineStore`` whose haystack contains a query.

Small timelines are scanned (a few milliseconds); from ``INDEX_FROM`` entries the word index
picks the rows (``timeline_index``) with numpy, imported only then, and only the rows that
the index cannot decide alone are read. The answer is always exactly the rows a plain
substring scan finds; ``within`` (the rows a shorter query left) only saves work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commander.ui.features.timeline.timeline_index import TOKEN, token_mode
from commander.ui.features.timeline.timeline_store import TimelineStore

INDEX_FROM = 5_000
MAX_WORDS = 4096  # a query fitting more words than this is scanned instead
# Checking one candidate row costs about as much as searching this many haystack bytes at
# once: past that, one pass of ``find`` over all haystacks is cheaper than row by row.
SCAN_BYTES_PER_ROW = 2000


def warm_index(store: TimelineStore) -> None:
    """Import numpy now (on a worker) if ``store`` will be searched through its index."""
    if len(store) >= INDEX_FROM:
        import numpy  # noqa: F401


def scan(store: TimelineStore, needle: str, within: Sequence[int] | None = None) -> list[int]:
    """The positions (ascending) whose haystack holds ``needle``, read one by one."""
    data, hoff, order = store.hay, store.hoff, store.order
    find = data.find
    nb = needle.encode()
    positions: Any = range(len(order)) if within is None else within
    if not isinstance(positions, (list, range)):
        positions = positions.tolist()
    picked = []
    for pos in positions:
        rid = order[pos]
        if find(nb, hoff[rid], hoff[rid + 1]) >= 0:
            picked.append(pos)
    return picked


def search(
    store: TimelineStore,
    needle: str,
    within: Sequence[int] | None = None,
    *,
    index_from: int = INDEX_FROM,
) -> Any:
    """The positions whose haystack holds ``needle``: a list, or a numpy array when indexed."""
    if len(store) < index_from:
        return scan(store, needle, within)
    import numpy as np

    tokens = list(TOKEN.finditer(needle))
    if not tokens:  # only separators (a dash, a comma): nothing to look up
        return np.asarray(scan(store, needle, within), dtype=np.intp)
    index = store.index
    nrids = store.rids
    mask = None
    for match in tokens:
        mode = token_mode(match.start() > 0, match.end() < len(needle))
        wids = index.matching(match.group(), mode)
        if len(wids) > MAX_WORDS:
            return np.asarray(scan(store, needle, within), dtype=np.intp)
        rows = _rid_mask(np, index.postings, wids, nrids)
        mask = rows if mask is None else np.logical_and(mask, rows, out=mask)
    assert mask is not None
    order = np.frombuffer(store.order, dtype=np.uint32)
    shown = mask[order] if len(store) else mask[:0]
    if within is not None:
        keep = np.zeros(len(store), dtype=bool)
        keep[np.asarray(within, dtype=np.intp)] = True
        shown &= keep
    candidates = np.flatnonzero(shown)
    if len(tokens) == 1 and tokens[0].group() == needle:  # one token: the words decide
        return candidates
    if len(candidates) * SCAN_BYTES_PER_ROW > len(store.hay):  # reading them costs more
        return np.flatnonzero(shown & _occurring(np, store, needle)[order])
    return candidates[_verified(np, store, needle, candidates)]


def _rid_mask(np: Any, postings: list[Any], wids: list[int], nrids: int) -> Any:
    """A boolean per rid: whether its haystack holds one of the words ``wids``."""
    nbytes = (nrids + 7) // 8
    bits = np.zeros(nbytes, dtype=np.uint8)
    sparse = []
    for wid in wids:
        rows = postings[wid]
        if isinstance(rows, bytearray):
            dense = np.frombuffer(rows, dtype=np.uint8)[:nbytes]
            bits[: len(dense)] |= dense
        else:
            sparse.append(np.frombuffer(rows, dtype=np.uint32))
    mask = np.unpackbits(bits, count=nrids, bitorder="little").view(bool)
    if sparse:
        mask[np.concatenate(sparse)] = True
    return mask


def _verified(np: Any, store: TimelineStore, needle: str, candidates: Any) -> Any:
    """Which of ``candidates`` (positions) really hold ``needle``, as an index array."""
    if not len(candidates):
        return np.zeros(0, dtype=np.intp)
    rids = np.frombuffer(store.order, dtype=np.uint32)[candidates]
    hoff = _offsets(np, store)
    starts, ends = hoff[rids].tolist(), hoff[rids + 1].tolist()
    find = store.hay.find
    nb = needle.encode()
    return np.asarray(
        [i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if find(nb, s, e) >= 0],
        dtype=np.intp,
    )


def _offsets(np: Any, store: TimelineStore) -> Any:
    return np.frombuffer(store.hoff, dtype=np.uint32 if store.hoff.itemsize == 4 else np.uint64)


def _occurring(np: Any, store: TimelineStore, needle: str) -> Any:
    """A boolean per rid: whether ``needle`` occurs in its haystack, by one pass over all."""
    find, nb = store.hay.find, needle.encode()
    hits = []
    at = find(nb)
    while at >= 0:
        hits.append(at)
        at = find(nb, at + 1)
    mask = np.zeros(store.rids, dtype=bool)
    if hits:
        starts = np.asarray(hits, dtype=np.int64)
        hoff = _offsets(np, store).astype(np.int64)
        rids = np.searchsorted(hoff, starts, side="right") - 1
        inside = starts + len(nb) <= hoff[rids + 1]  # not running on into the next haystack
        mask[rids[inside]] = True
    return mask
