"""The scribe's shorthand: ``10:42 rolled back api-gw @alice``.

A leading ``HH:MM`` (or ``HH:MM:SS``) sets when the event happened, in the user's time zone;
``@name`` anywhere sets the owner. Everything else is the event text. A clock time later than
now (beyond a small tolerance) is read as yesterday: at 00:05 "23:58" means two minutes ago.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from commander.core.errors import ValidationError
from commander.core.text import EVENT_MAX, SHORT_MAX, clean_text

FUTURE_TOLERANCE = timedelta(minutes=5)

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?=\s|$)")
_OWNER = re.compile(r"(?:(?<=\s)|^)@([\w.\-]+)")


@dataclass(frozen=True)
class QuickEntry:
    event: str
    occurred_at: datetime | None  # None: now
    owner: str | None


def parse_quick_entry(line: str, *, now: datetime, zone: tzinfo) -> QuickEntry:
    """Split a quick-entry line into time, event and owner.

    Raises:
        ValidationError: no event text, an impossible clock time, or text the record refuses.
    """
    text = line or ""
    occurred_at = None
    match = _TIME.match(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValidationError(f"{match.group().strip()} is not a time of day (use HH:MM).")
        local_now = now.astimezone(zone)
        candidate = local_now.replace(hour=hour, minute=minute, second=second, microsecond=0)
        if candidate - local_now > FUTURE_TOLERANCE:
            candidate -= timedelta(days=1)
        # Normalize through the zone so a DST shift resolves to a real instant.
        occurred_at = datetime.fromtimestamp(candidate.timestamp(), zone).astimezone(now.tzinfo)
        text = text[match.end() :]
    owner = None
    owners = _OWNER.findall(text)
    if owners:
        owner = clean_text(owners[-1], what="Owner", limit=SHORT_MAX)
        text = _OWNER.sub("", text)
    event = clean_text(" ".join(text.split()), what="Event", limit=EVENT_MAX, required=True)
    return QuickEntry(event=event, occurred_at=occurred_at, owner=owner)


def check_occurred_at(occurred_at: datetime, now: datetime) -> datetime:
    """Refuse a time in the future beyond the tolerance a human clock deserves."""
    if occurred_at.tzinfo is None:
        raise ValidationError("A time must carry a time zone.")
    if occurred_at - now > FUTURE_TOLERANCE:
        raise ValidationError(
            f"{occurred_at:%Y-%m-%d %H:%M} UTC is in the future; log events that have happened."
        )
    return occurred_at
