"""What the timeline shows of an entry's kind, and the kind filter's test.

Apart from the model so the model's storage and text filter stay where they were: the kind
is one more role of the Event cell, the kind filter one more condition. A tag in the Event
cell rather than a Kind column: at 1280 px a column as wide as "✉ communication" would take
the width the event text needs.
"""

from __future__ import annotations

from commander.core.entry_kinds import ALL_KINDS, ICONS, KEY_ICON, Kind, label, normalize_kind
from commander.core.records import TimelineEntry

KEY_EVENTS = "key"  # the kind filter's "key events only"


def kind_filter_choices() -> list[tuple[str, str]]:
    """(shown text, filter value) for the kind picker beside the text filter."""
    return [
        ("All kinds", ""),
        (f"{KEY_ICON} Key events", KEY_EVENTS),
        *((f"{ICONS[k]} {k.capitalize()}", k) for k in ALL_KINDS),
    ]


def shown_kind(entry: TimelineEntry) -> str:
    """``★ ◆ decision by bob``: the key mark, the kind's icon and word, and who decided."""
    text = label(entry.kind)
    if entry.key_event:
        text = f"{KEY_ICON} {text}"
    if entry.kind == Kind.DECISION and entry.attributed_to:
        text += f" by {entry.attributed_to}"
    return text


def kind_matches(entry: TimelineEntry, wanted: str) -> bool:
    """The kind filter: ``""`` all, ``KEY_EVENTS`` entries marked key, else one kind."""
    if not wanted:
        return True
    if wanted == KEY_EVENTS:
        return bool(entry.key_event)
    return normalize_kind(entry.kind) == wanted


def kind_notes(entry: TimelineEntry) -> list[str]:
    """Tooltip lines of the Kind cell."""
    notes = []
    if entry.key_event:
        notes.append("Key event")
    if entry.kind == Kind.DECISION and entry.attributed_to:
        notes.append(f"Decided by {entry.attributed_to}")
    elif entry.attributed_to:
        notes.append(f"From {entry.attributed_to}")
    if entry.answers:
        notes.append("Answers an earlier question")
    return notes
