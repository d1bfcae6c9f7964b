"""The lines of chat text copied from Slack or Teams: times, dates, headers and noise.

Pure pattern work for ``core.chat_paste``; every pattern matches a layout kept as a sample
in ``tests/fixtures/chat`` (its README says where each layout was seen). A time is read in
12-hour (``9:01 AM``, ``2:44 pm``) or 24-hour (``23:52``) form; a date as Teams writes it
(``03/12/2026``), as Slack writes it (``Feb 6th``), or as a divider line (``Today``,
``Yesterday``, ``Monday, November 30``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

_TIME = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s?(?P<ap>[AaPp]\.?[Mm]\.?))?"
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_DAY = r"(?P<mon>[A-Za-z]{3,9})\.? (?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,? (?P<year>\d{4}))?"
_NUMERIC_DATE = r"(?P<d1>\d{1,2})/(?P<d2>\d{1,2})/(?P<y>\d{4}|\d{2})"

# Slack desktop: "  9:01 AM  " (indented) after the name; "9:04  " alone continues a run.
SLACK_TIME_LINE = re.compile(rf"^(?P<indent>\s*)\[?{_TIME}\]?\s*$")
# Slack pasted as Markdown: "Name  [7:13 AM](https://…)" and "[7:48](https://…)".
SLACK_LINK_HEADER = re.compile(
    rf"^(?P<name>\S.*?)\s+\[(?:{_MONTH_DAY} at )?{_TIME}\]\((?P<url>https?://[^)\s]+)\)\s*$"
)
SLACK_LINK_CONTINUE = re.compile(rf"^\[{_TIME}\]\((?P<url>https?://[^)\s]+)\)\s*$")
# The older Slack app: "Name [10:42 AM]" starts, "[10:43 AM]text" continues.
SLACK_BRACKET_HEADER = re.compile(rf"^(?P<name>[^\[\]\s][^\[\]]*?)\s+\[{_TIME}\]\s*(?P<rest>.*)$")
SLACK_BRACKET_CONTINUE = re.compile(rf"^\[{_TIME}\]\s*(?P<rest>.*)$")
# Classic Teams: "[9:15 AM] Name" (text below) or "[12:10] Name: text" (one line).
TEAMS_BRACKET_HEADER = re.compile(rf"^\[{_TIME}\]\s+(?P<name>[^:\[\]]+?)(?::\s*(?P<rest>.*))?\s*$")
# New Teams: the time line under (or, for one's own messages, over) the name.
TEAMS_TIME_LINE = re.compile(rf"^(?P<indent>\s*)(?:{_NUMERIC_DATE}\s+)?{_TIME}\s*$")
# New Teams: a quoted reply's preview line, "Begin Reference, rolled back … by Tom Okafor".
TEAMS_REFERENCE = re.compile(r"^Begin Reference, ")
# Teams' interface lines that land on the clipboard with the messages.
TEAMS_NOISE = re.compile(
    r"^(?:has context menu\.?|last read|\d+ [\w\s!'-]+ reactions?\.?|\d+|"
    r"url preview for .*|.*\(GIF Image\))$",
    re.IGNORECASE,
)
DIVIDER = re.compile(
    rf"^(?:(?P<rel>today|yesterday)|(?:(?P<wd>{'|'.join(_WEEKDAYS)}),\s+)?{_MONTH_DAY})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Clock:
    """A time of day as a message header gave it, with the words it was written in."""

    at: time
    written: str
    bare: bool = False  # no AM/PM: in a 12-hour chat, Slack's continuation times ("9:04")


def read_clock(match: re.Match[str]) -> Clock | None:
    """The time a ``_TIME`` group matched, or None when it is no time of day (``25:61``)."""
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    suffix = (match["ap"] or "").replace(".", "").lower()
    if minute > 59 or second > 59:
        return None
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif hour > 23:
        return None
    written = f"{match['h']}:{match['m']}" + (f":{match['s']}" if match["s"] else "")
    if suffix:
        written += f" {suffix.upper()}"
    return Clock(time(hour, minute, second), written, bare=not suffix)


def month_day(match: re.Match[str], today: date) -> date | None:
    """``Feb 6th`` (this year, or last year when that is still to come) or ``Feb 6, 2026``."""
    month = _MONTHS.get((match["mon"] or "").lower())
    if month is None:
        return None
    day = int(match["day"])
    year = int(match["year"]) if match["year"] else today.year
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if not match["year"] and found > today:
        try:
            found = found.replace(year=year - 1)
        except ValueError:
            return None
    return found


def divider_day(line: str, today: date) -> date | None:
    """The day a divider line names (``Today``, ``Yesterday``, ``Monday, November 30``)."""
    match = DIVIDER.match(line.strip())
    if match is None:
        return None
    rel = (match["rel"] or "").lower()
    if rel == "today":
        return today
    if rel == "yesterday":
        return today - timedelta(days=1)
    return month_day(match, today)


@dataclass(frozen=True)
class NumericDate:
    """``03/12/2026`` before it is known whether it is day-first or month-first."""

    first: int
    second: int
    year: int


def numeric_date(match: re.Match[str]) -> NumericDate | None:
    if match["d1"] is None:
        return None
    year = int(match["y"])
    return NumericDate(int(match["d1"]), int(match["d2"]), year + 2000 if year < 100 else year)


def day_first(dates: list[NumericDate], today: date) -> bool:
    """Whether a paste's ``a/b/yyyy`` dates are day-first: a part over 12 decides; otherwise
    the reading whose latest date is nearest to today without passing it."""
    if any(d.first > 12 for d in dates):
        return True
    if any(d.second > 12 for d in dates):
        return False

    def lateness(first: bool) -> tuple[bool, int]:
        days = [resolve_numeric(d, day_first=first) for d in dates]
        latest = max((d for d in days if d is not None), default=None)
        if latest is None:
            return (True, 0)
        return (latest > today, abs((today - latest).days))

    return lateness(True) <= lateness(False)


def resolve_numeric(value: NumericDate, *, day_first: bool) -> date | None:
    day, month = (value.first, value.second) if day_first else (value.second, value.first)
    try:
        return date(value.year, month, day)
    except ValueError:
        return None


def single_name(name: str) -> str:
    """A sender's name as shown once: Slack's Markdown copy doubles it ("Tom OkaforTom
    Okafor", the avatar's alternative text then the name)."""
    name = " ".join(name.split())
    half = len(name) // 2
    if len(name) % 2 == 0 and half and name[:half] == name[half:]:
        return name[:half]
    return name


def looks_like_name(line: str) -> bool:
    """A line that can be a sender's name: short, one line of words, not a link or time."""
    text = line.strip()
    return (
        0 < len(text) <= 80
        and "://" not in text
        and not text.endswith((".", "?", "!", ",", ";"))
        and SLACK_TIME_LINE.match(text) is None
    )
