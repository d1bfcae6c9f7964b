"""The scribe's shorthand: ``10:42 rolled back api-gw @alice``.

A leading ``HH:MM`` (or ``HH:MM:SS``) sets when the event happened, in the user's time zone;
``@name`` anywhere sets the owner. A kind prefix after the time (``d:``, ``?``, ``a:``, ``o:``,
``c:``; see ``core.entry_kinds``) sets the entry's kind. Everything else is the event text.

A clock time later than now (beyond a small tolerance) is never silently moved into the past:
only just after midnight, when yesterday's reading is at most ``MIDNIGHT_WINDOW`` ago (at 00:05
"23:58" means seven minutes ago), is it read as yesterday. Otherwise the line is refused with
both readings named (``FutureTimeError``), and ``yesterday 23:59 …`` says which day it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from commander.core.entry_kinds import Kind, split_kind
from commander.core.errors import FutureTimeError, ValidationError
from commander.core.text import EVENT_MAX, SHORT_MAX, clean_text

FUTURE_TOLERANCE = timedelta(minutes=5)
MIDNIGHT_WINDOW = timedelta(hours=2)

_TIME = re.compile(r"^\s*(yesterday\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?=\s|$)", re.IGNORECASE)
_OWNER = re.compile(r"(?:(?<=\s)|^)@([\w.\-]+)")


@dataclass(frozen=True)
class QuickEntry:
    event: str
    occurred_at: datetime | None  # None: now
    owner: str | None
    kind: str = Kind.OBSERVATION
    decider: str = ""  # a decision's decider, when the line named one


def parse_quick_entry(line: str, *, now: datetime, zone: tzinfo) -> QuickEntry:
    """Split a quick-entry line into time, event and owner.

    Raises:
        FutureTimeError: a clock time later today, not said to be yesterday.
        ValidationError: no event text, an impossible clock time, or text the record refuses.
    """
    text = line or ""
    occurred_at = None
    match = _TIME.match(text)
    if match:
        occurred_at = _clock_time(match, text[match.end() :], now=now, zone=zone)
        text = text[match.end() :]
    kinded = split_kind(text)
    text = kinded.text
    owner = None
    owners = _OWNER.findall(text)
    if owners:
        owner = clean_text(owners[-1], what="Owner", limit=SHORT_MAX)
        text = _OWNER.sub("", text)
    event = clean_text(" ".join(text.split()), what="Event", limit=EVENT_MAX, required=True)
    decider = clean_text(kinded.decider, what="Decider", limit=SHORT_MAX)
    return QuickEntry(
        event=event, occurred_at=occurred_at, owner=owner, kind=kinded.kind, decider=decider
    )


def _clock_time(match: re.Match[str], rest: str, *, now: datetime, zone: tzinfo) -> datetime:
    """The instant a leading clock time names: today, or yesterday when said or unmistakable."""
    said_yesterday = bool(match[1])
    hour, minute, second = int(match[2]), int(match[3]), int(match[4] or 0)
    typed = match.group().strip()
    if hour > 23 or minute > 59 or second > 59:
        raise ValidationError(f"{typed} is not a time of day (use HH:MM).")
    local_now = now.astimezone(zone)
    today = local_now.replace(hour=hour, minute=minute, second=second, microsecond=0)
    yesterday = today - timedelta(days=1)
    if said_yesterday:
        candidate = yesterday
    elif today - local_now <= FUTURE_TOLERANCE:
        candidate = today
    elif local_now - yesterday <= MIDNIGHT_WINDOW:
        candidate = yesterday  # just after midnight: "23:58" at 00:05 has one reading
    else:
        clock = typed.split()[-1]
        raise FutureTimeError(
            f"{clock} today is in the future (it is {local_now:%H:%M} now); did you mean "
            f"yesterday {clock}? Write “yesterday {clock} …” to log it then, or leave the "
            "time out to log it now.",
            yesterday_line=f"yesterday {clock}{rest}",
        )
    # Normalize through the zone so a DST shift resolves to a real instant.
    return datetime.fromtimestamp(candidate.timestamp(), zone).astimezone(now.tzinfo)


def check_occurred_at(occurred_at: datetime, now: datetime) -> datetime:
    """Refuse a time in the future beyond the tolerance a human clock deserves."""
    if occurred_at.tzinfo is None:
        raise ValidationError("A time must carry a time zone.")
    if occurred_at - now > FUTURE_TOLERANCE:
        raise ValidationError(
            f"{occurred_at:%Y-%m-%d %H:%M} UTC is in the future; log events that have happened."
        )
    return occurred_at
