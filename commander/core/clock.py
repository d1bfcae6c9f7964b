"""One source of time for the whole app, so tests can move it by hand.

Every stored time is an aware UTC ``datetime``; conversion to the user's zone happens
only when something is displayed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when told to: for tests and benchmarks."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 28, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def advance(self, delta: timedelta | float) -> None:
        """Move forward by a timedelta or a number of seconds."""
        if not isinstance(delta, timedelta):
            delta = timedelta(seconds=delta)
        self._now += delta


def to_ms(when: datetime) -> int:
    """Milliseconds since the epoch: the compact, sortable form stored in tables."""
    return int(when.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def iso(when: datetime) -> str:
    """ISO-8601 UTC with a trailing Z, millisecond precision."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    """Parse an ISO-8601 time; a time without a zone is taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class ScaledClock:
    """Time that runs ``speed`` times faster than ``base`` from ``origin`` on: an exercise's
    clock, so a 30-minute update deadline passes in 30 s at 60x and every service (deadlines,
    timeline, impact) keeps using one clock."""

    def __init__(
        self, base: Clock, origin: datetime, speed: float, stop: datetime | None = None
    ) -> None:
        """``stop``: a time on ``base`` after which this clock stands still (an ended
        exercise keeps the moment it ended)."""
        self.base = base
        self.origin = origin
        self.speed = speed
        self.stop = stop

    def now(self) -> datetime:
        base = self.base.now() if self.stop is None else min(self.base.now(), self.stop)
        return self.origin + (base - self.origin) * self.speed
