"""Hybrid logical clock: a timestamp that follows wall time but never runs backwards.

Ops are ordered by ``(hlc, node_id)``. A plain wall clock would let a laptop whose clock was
set back reorder its own history; a plain counter would lose the link to real time. The HLC
keeps both: the wall part is the max of every time this node has seen, the counter breaks
ties within one millisecond. The encoded form is fixed-width so strings sort like the stamps.
"""

from __future__ import annotations

from dataclasses import dataclass

_COUNTER_WIDTH = 6


@dataclass(frozen=True, order=True)
class HlcStamp:
    wall_ms: int
    counter: int = 0

    def encode(self) -> str:
        return f"{self.wall_ms:015d}.{self.counter:0{_COUNTER_WIDTH}d}"

    @classmethod
    def decode(cls, text: str) -> HlcStamp:
        wall, _, counter = text.partition(".")
        return cls(int(wall), int(counter or 0))

    def __str__(self) -> str:
        return self.encode()


ZERO = HlcStamp(0, 0)


def tick(last: HlcStamp, wall_ms: int) -> HlcStamp:
    """The next local stamp after ``last`` when the wall clock reads ``wall_ms``."""
    if wall_ms > last.wall_ms:
        return HlcStamp(wall_ms, 0)
    return HlcStamp(last.wall_ms, last.counter + 1)


def receive(last: HlcStamp, remote: HlcStamp, wall_ms: int) -> HlcStamp:
    """The local stamp after seeing a remote stamp (used when ops arrive by sync)."""
    wall = max(last.wall_ms, remote.wall_ms, wall_ms)
    if wall == last.wall_ms == remote.wall_ms:
        counter = max(last.counter, remote.counter) + 1
    elif wall == last.wall_ms:
        counter = last.counter + 1
    elif wall == remote.wall_ms:
        counter = remote.counter + 1
    else:
        counter = 0
    return HlcStamp(wall, counter)
