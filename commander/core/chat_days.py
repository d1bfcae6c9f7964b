"""Which day each message of a pasted chat was sent on, and the instant that makes.

A chat's clipboard text gives times of day, sometimes a date, sometimes a divider (``Today``);
``place`` turns those into days: a dated header or a divider as written, a time earlier than
the one before it the next day (midnight was crossed), and an undated start of the run as late
as it can be without passing ``now`` (or the first dated message), unless a first day is named.
``settle_bare_clocks`` reads Slack's bare ``8:26`` continuations in a 12-hour chat. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from commander.core import chat_lines as cl
from commander.core.quick_entry import FUTURE_TOLERANCE


@dataclass
class Raw:
    """A message as its header gave it, before its day is known."""

    line: int
    author: str
    clock: cl.Clock
    day: date | None = None
    numeric: cl.NumericDate | None = None
    divider: date | None = None
    quote: bool = False
    lines: list[str] = field(default_factory=list)


def settle_bare_clocks(raws: list[Raw]) -> None:
    """In a chat that writes AM/PM, a bare ``8:26`` is the reading nearest after the message
    before it (Slack shows a run's later times without AM/PM)."""
    if all(raw.clock.bare for raw in raws):
        return
    before: time | None = None
    for raw in raws:
        clock = raw.clock
        if clock.bare and before is not None and 1 <= clock.at.hour <= 12:
            prev = before
            readings = (clock.at.replace(hour=clock.at.hour % 12 + h) for h in (0, 12))
            raw.clock = replace(clock, at=min(readings, key=lambda at: _gap(prev, at)))
        before = raw.clock.at


def _gap(before: time, after: time) -> int:
    """Minutes from ``before`` forward to ``after``, across midnight if need be."""
    return (after.hour * 60 + after.minute - before.hour * 60 - before.minute) % (24 * 60)


def place(
    raws: list[Raw], *, now: datetime, zone: tzinfo, first_day: date | None
) -> tuple[list[date], date | None]:
    """Each message's local day: dated headers and dividers as written, the rest carried on
    from the message before (a step back in time is the next day)."""
    today = now.astimezone(zone).date()
    numerics = [r.numeric for r in raws if r.numeric is not None]
    day_first = cl.day_first(numerics, today) if numerics else True
    fixed: list[date | None] = []
    for raw in raws:
        day = raw.day
        if raw.numeric is not None:
            day = cl.resolve_numeric(raw.numeric, day_first=day_first)
        fixed.append(day or raw.divider)
    anchor = next((k for k, day in enumerate(fixed) if day is not None), len(raws))
    offsets = _offsets([r.clock.at for r in raws[:anchor]])
    placed: date | None = None
    if anchor:
        if first_day is not None:
            placed = first_day
        else:
            last = raws[anchor - 1].clock.at
            if anchor < len(raws):
                limit_day, limit = fixed[anchor], raws[anchor].clock.at
                assert limit_day is not None
                limit_at = instant(limit_day, limit, zone)
            else:
                limit_at = now + FUTURE_TOLERANCE
                limit_day = today
            placed = limit_day - timedelta(days=offsets[-1])
            if instant(placed + timedelta(days=offsets[-1]), last, zone) > limit_at:
                placed -= timedelta(days=1)
    days: list[date] = [placed + timedelta(days=o) for o in offsets] if placed else []
    for k in range(anchor, len(raws)):
        day = fixed[k]
        if day is None:
            day = days[-1] + timedelta(days=1 if raws[k].clock.at < raws[k - 1].clock.at else 0)
        days.append(day)
    return days, placed


def _offsets(times: list[time]) -> list[int]:
    offsets: list[int] = []
    for k, at in enumerate(times):
        step = 1 if k and at < times[k - 1] else 0
        offsets.append((offsets[-1] if offsets else 0) + step)
    return offsets


def instant(day: date, at: time, zone: tzinfo) -> datetime:
    """A local day and time as UTC, through the zone so a DST shift gives a real instant."""
    local = datetime.combine(day, at).replace(tzinfo=zone)
    return datetime.fromtimestamp(local.timestamp(), zone).astimezone(UTC)
