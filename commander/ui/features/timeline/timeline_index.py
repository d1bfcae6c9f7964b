"""Which timeline rows hold which words: what lets a filter skip the rows it cannot match.

A word is a maximal run of letters and digits ("token") of an entry's haystack. A query that
is one token matches exactly the rows holding a word that contains it, so the rows come from
the words' postings without reading a haystack; a query of several tokens narrows the rows
to those holding a fitting word for each (one that ends with a token the query continues
after, starts with one the query reaches after a gap, equals one in the middle) and only
those rows are read. A word's rows are a list of rids while few, a bitmap once it is in more
than a thirty-second of them (smaller then, and OR-ed at memory speed).
"""

from __future__ import annotations

import re
from array import array

TOKEN = re.compile(r"[^\W_]+")
DENSE_MIN = 1024  # rids a word must be in before it may become a bitmap
CONTAINS, STARTS, ENDS, EQUALS = range(4)
_MATCH_CACHE = 256


def token_mode(before: bool, after: bool) -> int:
    """How a hay word must relate to a query token with other query text before/after it."""
    if before and after:
        return EQUALS
    if before:
        return STARTS
    return ENDS if after else CONTAINS


class WordIndex:
    """Words of the haystacks and, per word, the rids whose haystack holds it."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._ids: dict[str, int] = {}
        self.postings: list[array[int] | bytearray] = []  # rids, or a bitmap over rids
        self.rids = 0
        self._matching: dict[tuple[int, str], tuple[list[int], int]] = {}

    def add(self, rid: int, hay: str) -> None:
        """Index the haystack of a new rid (rids only ever grow)."""
        self.rids = rid + 1
        ids, postings = self._ids, self.postings
        for token in set(TOKEN.findall(hay)):
            wid = ids.get(token)
            if wid is None:
                ids[token] = len(self.words)
                self.words.append(token)
                postings.append(array("I", (rid,)))
                continue
            rows = postings[wid]
            if isinstance(rows, array):
                rows.append(rid)
                if len(rows) >= DENSE_MIN and len(rows) * 32 > self.rids:
                    postings[wid] = _bitmap(rows)
            else:
                byte = rid >> 3
                if byte >= len(rows):
                    rows.extend(bytes(byte - len(rows) + 1 + (len(rows) >> 3)))
                rows[byte] |= 1 << (rid & 7)

    def trim(self) -> None:
        """Give back the room the postings kept for growth (after a bulk load)."""
        self.postings = [
            array("I", rows) if isinstance(rows, array) else bytearray(rows)
            for rows in self.postings
        ]

    def matching(self, token: str, mode: int) -> list[int]:
        """Ids of the words fitting ``token`` in ``mode``; remembered, new words checked on."""
        key = (mode, token)
        known, checked = self._matching.get(key, ([], 0))
        words = self.words
        if checked < len(words):
            if mode == CONTAINS:
                new = [i for i in range(checked, len(words)) if token in words[i]]
            elif mode == STARTS:
                new = [i for i in range(checked, len(words)) if words[i].startswith(token)]
            elif mode == ENDS:
                new = [i for i in range(checked, len(words)) if words[i].endswith(token)]
            else:
                wid = self._ids.get(token)
                new = [wid] if wid is not None and wid >= checked else []
            if len(self._matching) >= _MATCH_CACHE:
                self._matching.clear()
            known = known + new
            self._matching[key] = (known, len(words))
        return known


def _bitmap(rids: array[int]) -> bytearray:
    bits = bytearray((rids[-1] >> 3) + 1)
    for rid in rids:
        bits[rid >> 3] |= 1 << (rid & 7)
    return bits
