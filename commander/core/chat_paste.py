"""Chat copied from Slack or Teams, read back into messages with their own times.

A scribe copies a run of messages from the incident channel and pastes it into Commander;
each message should land on the timeline at the time it was sent, from the person who sent
it. The clients put different text on the clipboard (``tests/fixtures/chat/README.md`` keeps
a sample of each layout and says where it was seen); ``parse_chat`` detects which one it is
and returns the messages, plus every line it did not take (interface text, a quoted reply, a
message with no text, lines before the first message) so the preview can say so.

Times without a date are placed as late as they can be without the run's last message being
in the future (today, usually: a scribe pastes what was just said), or on ``first_day`` when
the user names it; a time earlier than the one before it is the next day (the chat crossed
midnight). A date divider (``Today``, ``Monday, November 30``) or a date in the header wins.
Times are read in the user's zone. Pure: no I/O, no clock of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from commander.core import chat_lines as cl
from commander.core.chat_days import Raw, instant, place, settle_bare_clocks


class Format:
    """The layouts ``parse_chat`` knows, by id; ``LABELS`` says them in words."""

    SLACK = "slack"
    SLACK_MARKDOWN = "slack-markdown"
    SLACK_LEGACY = "slack-legacy"
    TEAMS = "teams"
    TEAMS_CLASSIC = "teams-classic"
    UNKNOWN = "unknown"


LABELS: dict[str, str] = {
    Format.SLACK: "Slack (desktop app)",
    Format.SLACK_MARKDOWN: "Slack (pasted with links)",
    Format.SLACK_LEGACY: "Slack (older app: Name [time])",
    Format.TEAMS: "Microsoft Teams",
    Format.TEAMS_CLASSIC: "Microsoft Teams (older: [time] Name)",
    Format.UNKNOWN: "not a chat layout Commander knows",
}


@dataclass(frozen=True)
class ChatMessage:
    line: int  # 1-based line of the message's header in the pasted text
    author: str
    occurred_at: datetime  # aware UTC
    text: str
    written: str  # the time as the chat showed it ("9:01 AM")


@dataclass(frozen=True)
class SkippedLine:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class ChatPaste:
    format: str
    messages: tuple[ChatMessage, ...]
    skipped: tuple[SkippedLine, ...]
    first_day: date | None  # where the run's undated start was placed (None: all dated)

    @property
    def label(self) -> str:
        return LABELS[self.format]


@dataclass
class _Walk:
    """The state one layout's reader builds line by line."""

    lines: list[str]
    today: date
    raws: list[Raw] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)
    divider: date | None = None

    def start(
        self,
        line: int,
        author: str,
        clock: cl.Clock | None,
        *,
        day: date | None = None,
        numeric: cl.NumericDate | None = None,
        quote: bool = False,
    ) -> bool:
        """Begin a message at ``line`` (0-based); False when its time is no time of day."""
        if clock is None:
            return False
        raw = Raw(line + 1, cl.single_name(author), clock, day, numeric, self.divider, quote)
        self.divider = None
        self.raws.append(raw)
        return True

    def text(self, index: int) -> None:
        line = self.lines[index]
        day = cl.divider_day(line, self.today)
        if day is not None:
            self.divider = day
            self.skipped.append(SkippedLine(index + 1, line.strip(), "a date divider"))
        elif self.raws:
            self.raws[-1].lines.append(line)
        elif line.strip():
            self.skipped.append(SkippedLine(index + 1, line.strip(), "before the first message"))

    def noise(self, index: int, reason: str) -> None:
        self.skipped.append(SkippedLine(index + 1, self.lines[index].strip(), reason))

    def author(self) -> str | None:
        return self.raws[-1].author if self.raws else None


def _next(lines: list[str], index: int) -> str:
    return lines[index + 1] if index + 1 < len(lines) else ""


def _read_slack(walk: _Walk) -> None:
    lines, i = walk.lines, 0
    while i < len(lines):
        line, below = lines[i], _next(lines, i)
        header = cl.SLACK_TIME_LINE.match(below)
        indented = header is not None and bool(header["indent"]) and cl.looks_like_name(line)
        if header and indented and walk.start(i, line, cl.read_clock(header)):
            i += 2
            continue
        again = cl.SLACK_TIME_LINE.match(line)
        author = walk.author()
        if again and author and walk.start(i, author, cl.read_clock(again)):
            i += 1
            continue
        walk.text(i)
        i += 1


def _read_slack_markdown(walk: _Walk) -> None:
    for i, line in enumerate(walk.lines):
        again = cl.SLACK_LINK_CONTINUE.match(line)
        author = walk.author()
        if again and author and walk.start(i, author, cl.read_clock(again)):
            continue
        header = cl.SLACK_LINK_HEADER.match(line)
        if header:
            day = cl.month_day(header, walk.today) if header["mon"] else None
            if walk.start(i, header["name"], cl.read_clock(header), day=day):
                continue
        walk.text(i)


def _read_slack_legacy(walk: _Walk) -> None:
    for i, line in enumerate(walk.lines):
        again = cl.SLACK_BRACKET_CONTINUE.match(line)
        author = walk.author()
        if again and author and walk.start(i, author, cl.read_clock(again)):
            _rest(walk, again["rest"])
            continue
        header = cl.SLACK_BRACKET_HEADER.match(line)
        named = header is not None and cl.looks_like_name(header["name"])
        if header and named and walk.start(i, header["name"], cl.read_clock(header)):
            _rest(walk, header["rest"])
            continue
        walk.text(i)


def _read_teams_classic(walk: _Walk) -> None:
    for i, line in enumerate(walk.lines):
        header = cl.TEAMS_BRACKET_HEADER.match(line)
        if header and walk.start(i, header["name"], cl.read_clock(header)):
            _rest(walk, header["rest"] or "")
            continue
        walk.text(i)


def _read_teams(walk: _Walk) -> None:
    lines, i = walk.lines, 0
    expected, quote = "", False
    while i < len(lines):
        line, below = lines[i], _next(lines, i)
        named = _preview_of(lines, i)
        if named:
            expected, quote = named, bool(cl.TEAMS_REFERENCE.match(line))
            walk.noise(i, "a quoted reply" if quote else "the preview line Teams adds")
            i += 1
            continue
        stamp = cl.TEAMS_TIME_LINE.match(below)
        under = stamp is not None and cl.looks_like_name(line) and _teams_stamp(stamp)
        if stamp and under and _teams_start(walk, i, line, stamp, quote):
            expected, quote = "", False
            i += 2
            continue
        own = cl.TEAMS_TIME_LINE.match(line)
        over = bool(expected) and below.strip() == expected
        if own and over and _teams_start(walk, i, expected, own, quote):
            expected, quote = "", False
            i += 2
            continue
        if cl.TEAMS_NOISE.match(line.strip()):
            walk.noise(i, "interface text Teams adds")
        else:
            walk.text(i)
        i += 1


def _teams_start(walk: _Walk, i: int, name: str, stamp: re.Match[str], quote: bool) -> bool:
    return walk.start(i, name, cl.read_clock(stamp), numeric=cl.numeric_date(stamp), quote=quote)


def _teams_stamp(stamp: re.Match[str]) -> bool:
    """A new-Teams time line: with its date, or with am/pm written lower-case or not indented
    (Slack indents the time under a name, and writes AM)."""
    suffix = stamp["ap"] or ""
    return stamp["d1"] is not None or (bool(suffix) and (suffix.islower() or not stamp["indent"]))


def _preview_of(lines: list[str], i: int) -> str:
    """The sender a Teams preview line (``… by Name``) announces, or ``""``."""
    line = lines[i].rstrip()
    for j in (i + 1, i + 2):
        name = lines[j].strip() if j < len(lines) else ""
        if name and cl.looks_like_name(name) and line.endswith(f" by {name}"):
            return name
    return ""


def _rest(walk: _Walk, rest: str) -> None:
    if rest.strip():
        walk.raws[-1].lines.append(rest)


_READERS: dict[str, Callable[[_Walk], None]] = {
    Format.SLACK: _read_slack,
    Format.SLACK_MARKDOWN: _read_slack_markdown,
    Format.SLACK_LEGACY: _read_slack_legacy,
    Format.TEAMS: _read_teams,
    Format.TEAMS_CLASSIC: _read_teams_classic,
}


def detect(lines: list[str]) -> str:
    """The layout whose message headers the lines hold most of (``Format.UNKNOWN``: none)."""
    scores = dict.fromkeys(_READERS, 0)
    for i, line in enumerate(lines):
        below = _next(lines, i)
        slack = cl.SLACK_TIME_LINE.match(below)
        if slack and slack["indent"] and cl.looks_like_name(line):
            scores[Format.SLACK] += 1
        if cl.SLACK_LINK_HEADER.match(line) or cl.SLACK_LINK_CONTINUE.match(line):
            scores[Format.SLACK_MARKDOWN] += 1
        legacy = cl.SLACK_BRACKET_HEADER.match(line)
        if legacy and cl.looks_like_name(legacy["name"]):
            scores[Format.SLACK_LEGACY] += 1
        if cl.TEAMS_BRACKET_HEADER.match(line):
            scores[Format.TEAMS_CLASSIC] += 1
        stamp = cl.TEAMS_TIME_LINE.match(below)
        if (stamp and _teams_stamp(stamp) and cl.looks_like_name(line)) or _preview_of(lines, i):
            scores[Format.TEAMS] += 1
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] else Format.UNKNOWN


def parse_chat(
    text: str, *, now: datetime, zone: tzinfo, first_day: date | None = None
) -> ChatPaste:
    """Read pasted chat text into messages (see the module docstring for how days are
    placed); nothing is refused here: what is not a message is returned as skipped."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    today = now.astimezone(zone).date()
    kind = detect(lines)
    if kind == Format.UNKNOWN:
        skipped = tuple(
            SkippedLine(i + 1, line.strip(), "not a chat message Commander can read")
            for i, line in enumerate(lines)
            if line.strip()
        )
        return ChatPaste(kind, (), skipped, None)
    walk = _Walk(lines, today)
    _READERS[kind](walk)
    settle_bare_clocks(walk.raws)
    days, placed = place(walk.raws, now=now, zone=zone, first_day=first_day)
    messages: list[ChatMessage] = []
    for raw, day in zip(walk.raws, days, strict=True):
        body = _body(raw.lines)
        what = f"{raw.author} at {raw.clock.written}"
        if raw.quote:
            walk.skipped.append(SkippedLine(raw.line, what, "a quoted reply"))
        elif not body:
            walk.skipped.append(
                SkippedLine(raw.line, what, "a message with no text (a file, image or emoji)")
            )
        else:
            when = instant(day, raw.clock.at, zone)
            messages.append(ChatMessage(raw.line, raw.author, when, body, raw.clock.written))
    skipped = tuple(sorted(walk.skipped, key=lambda s: s.line))
    return ChatPaste(kind, tuple(messages), skipped, placed)


def _body(lines: list[str]) -> str:
    """A message's lines as one text: trailing spaces gone, blank runs made one blank line."""
    out: list[str] = []
    for line in (raw.rstrip() for raw in lines):
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
