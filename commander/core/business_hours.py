"""Working days and hours, for the deadlines the procedure states in business time.

A P3 incident must be acknowledged by the "next business day". That needs a calendar: which
weekdays are working days, which hours of the day, and in which time zone — so that 09:00 means
09:00 on the user's wall clock on both sides of a daylight-saving change. Every input and output
is an aware datetime (UTC out); the arithmetic happens on wall-clock dates in ``zone`` through
``zoneinfo``, never by adding 24 hours, which is what keeps DST weekends right.

A *working period* is one working day's span ``[start, end)`` on the wall clock. The rare wall
times that DST makes odd follow PEP 495 ``fold=0``: a time that does not exist (inside a
spring-forward gap) is read with the offset from before the jump, so it lands one gap later
(02:30 becomes 03:30); a time that exists twice (fall back) is its first occurrence. A day whose
period is empty after that, or whose date a zone skips entirely, has no business time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from commander.core.errors import ValidationError

MONDAY_TO_FRIDAY: frozenset[int] = frozenset(range(5))
"""Weekday numbers as ``date.weekday()`` gives them: Monday is 0, Sunday is 6."""

# Seven days reach every weekday; the spare week covers working days that DST leaves empty.
_SEARCH_DAYS = 15


@dataclass(frozen=True)
class BusinessHours:
    """A weekly working calendar in one time zone.

    Attributes:
        days: working weekdays (Monday 0 ... Sunday 6); default Monday to Friday.
        start: local wall time the working day starts (naive ``time``); default 09:00.
        end: local wall time it ends, exclusive, after ``start`` on the same day; default 17:00.
        zone: the user's time zone (a ``zoneinfo.ZoneInfo``); default UTC.

    Raises:
        ValidationError: no working days, a weekday outside 0-6, aware times, or
            ``end <= start`` (overnight shifts are not supported).
    """

    days: frozenset[int] = MONDAY_TO_FRIDAY
    start: time = time(9)
    end: time = time(17)
    zone: tzinfo = UTC

    def __post_init__(self) -> None:
        days = frozenset(self.days)
        if not days:
            raise ValidationError("Business hours need at least one working day.")
        if any(not isinstance(day, int) or not 0 <= day <= 6 for day in days):
            raise ValidationError("Working days are weekday numbers 0 (Monday) to 6 (Sunday).")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValidationError("Business hours are wall-clock times: give them without a zone.")
        if self.end <= self.start:
            raise ValidationError(
                f"The working day must end after it starts ({self.start:%H:%M}-{self.end:%H:%M})."
            )
        object.__setattr__(self, "days", days)  # accept any iterable of weekdays

    def period_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The working period ``(start, end)`` in UTC of a local calendar date, or None.

        None for a non-working weekday, and for a day DST leaves without business time.
        """
        if day.weekday() not in self.days:
            return None
        begins = self._instant(day, self.start)
        ends = self._instant(day, self.end)
        if begins is None or ends is None or ends <= begins:
            return None
        return begins, ends

    def is_within(self, when: datetime) -> bool:
        """True when ``when`` falls inside a working period (start inclusive, end exclusive)."""
        _require_aware(when)
        period = self.period_on(when.astimezone(self.zone).date())
        return period is not None and period[0] <= when < period[1]

    def next_business_start(self, after: datetime) -> datetime:
        """The start of the first working period strictly after ``after``, in UTC.

        This is the procedure's "next business day": a P3 declared Friday 16:59 is due Monday
        09:00; declared Monday 08:00 it is due Monday 09:00; declared Monday 10:00, Tuesday 09:00.
        """
        return self._next_period(after)[0]

    def add_business_time(self, start: datetime, delta: timedelta) -> datetime:
        """``start`` plus ``delta`` of working time only, in UTC.

        Time outside working periods does not count, so one business hour from Friday 16:30 is
        Monday 09:30. A result that uses up a period exactly is that period's end (eight business
        hours from Monday 09:00 is Monday 17:00), so a positive ``delta`` always ends in
        ``(period start, period end]``. ``delta`` zero moves ``start`` into business time.

        Raises:
            ValidationError: ``delta`` is negative.
        """
        _require_aware(start)
        if delta < timedelta(0):
            raise ValidationError("Business time can only be added, not subtracted.")
        cursor = start.astimezone(UTC)
        remaining = delta
        while True:
            begins, ends = self._period_at_or_after(cursor)
            cursor = max(cursor, begins)
            if remaining <= ends - cursor:
                return cursor + remaining
            remaining -= ends - cursor
            cursor = ends

    def _period_at_or_after(self, when: datetime) -> tuple[datetime, datetime]:
        """The period containing ``when``, or else the next one."""
        period = self.period_on(when.astimezone(self.zone).date())
        if period is not None and when < period[1]:
            return period
        return self._next_period(when)

    def _next_period(self, after: datetime) -> tuple[datetime, datetime]:
        _require_aware(after)
        first_day = after.astimezone(self.zone).date()
        for offset in range(_SEARCH_DAYS):
            period = self.period_on(first_day + timedelta(days=offset))
            if period is not None and period[0] > after:
                return period
        raise ValidationError("These business hours have no working time in the next two weeks.")

    def _instant(self, day: date, wall: time) -> datetime | None:
        """The UTC instant of a wall time on a local date; None if it lands on another date."""
        instant = datetime.combine(day, wall, tzinfo=self.zone).astimezone(UTC)
        # A zone can skip a whole date (Pacific/Apia, 2011-12-30): its wall times resolve
        # into the next day, which has its own period.
        if instant.astimezone(self.zone).date() != day:
            return None
        return instant


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValidationError(f"Expected a time with a zone, got {when.isoformat()}.")
