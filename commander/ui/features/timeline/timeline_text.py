"""Timeline rows as text for the clipboard: tab-separated, or the procedure's Markdown table."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from commander.core.records import TimelineEntry
from commander.ui.features.timeline.timeline_model import shown_action, shown_event


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def _marked(entry: TimelineEntry, text: str) -> str:
    if entry.struck and text:
        return f"~~{text}~~"
    return text


def as_tsv(entries: Iterable[TimelineEntry], format_time: Callable[[TimelineEntry], str]) -> str:
    """Time, event, action, owner, author; one line per entry, pasteable into a spreadsheet."""
    lines = []
    for entry in entries:
        event = shown_event(entry)
        if entry.struck:
            event = f"[struck: {entry.strike_reason}] {event}"
        cells = (format_time(entry), event, shown_action(entry), entry.owner, entry.author)
        lines.append("\t".join(_one_line(c).replace("\t", " ") for c in cells))
    return "\n".join(lines) + ("\n" if lines else "")


def as_markdown(
    entries: Iterable[TimelineEntry], format_time: Callable[[TimelineEntry], str]
) -> str:
    """The procedure's ``| Time | Event | Action taken | Owner |`` table."""
    lines = ["| Time | Event | Action taken | Owner |", "|------|-------|--------------|-------|"]
    for entry in entries:
        event = _marked(entry, _cell(shown_event(entry)))
        if entry.struck:
            event += f" (struck: {_cell(entry.strike_reason)})"
        action = _marked(entry, _cell(shown_action(entry)))
        owner = _cell(entry.owner)
        lines.append(f"| {format_time(entry)} | {event} | {action} | {owner} |")
    return "\n".join(lines) + "\n"
