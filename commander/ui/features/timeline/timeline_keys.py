"""Marking key events from the timeline: one key press (Ctrl+Shift+M) on the selection.

Apart from the timeline panel, which only shows and selects; the mark is a register op
(``IncidentService.mark_key``) that reaches the table through the window's refresh.
"""

from __future__ import annotations

from commander.core.errors import CommanderError
from commander.services.incidents import IncidentService
from commander.ui.features.timeline.timeline_panel import TimelinePanel


def toggle_key_selected(panel: TimelinePanel, service: IncidentService) -> bool:
    """Mark the selected entries key, or unmark them if all already are."""
    entries = panel.selected_entries()
    current = panel.current_entry()
    if not entries and current is not None:
        entries = [current]
    if not entries:
        panel.sig_message.emit("Select an entry to mark as a key event")
        return False
    marked = not all(e.key_event for e in entries)
    try:
        for entry in entries:
            service.mark_key(entry.id, marked)
    except CommanderError as err:
        panel.sig_message.emit(str(err))
        return False
    panel.sig_local_change.emit()
    panel.sig_message.emit(f"{'Marked' if marked else 'Unmarked'} as key: {len(entries)}")
    return True
