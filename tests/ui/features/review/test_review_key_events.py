"""The review's walk through the timeline starts from the key events: the Review tab opens
on them (all of them, however long the timeline), and one tick shows every entry."""

from __future__ import annotations

from commander.services.review import ReviewService
from commander.ui.shell.main_window import MainWindow


def _events(window: MainWindow) -> list[str]:
    model = window.review.panel.timeline_model
    return [model.entry_at(row).event for row in range(model.rowCount())]


def test_the_review_timeline_opens_on_the_key_events(qtbot, window, incidents, workspace) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="API down", severity="P1").incident.id
    decision, _ = incidents.log_quick(incident_id, "d: roll back to 1.42")
    incidents.log_quick(incident_id, "o: errors falling")
    wrong, _ = incidents.log_quick(incident_id, "o: marked by mistake")
    for entry_id in (decision.id, wrong.id):
        incidents.mark_key(entry_id)
    incidents.strike(wrong.id, "wrong incident")
    window.refresh()
    window.select_incident(incident_id)
    window.review.show_review()
    panel = window.review.panel
    timeline = panel.timeline
    qtbot.waitUntil(lambda: timeline.key_only.isChecked())
    assert _events(window) == ["roll back to 1.42"]  # struck key events are left out
    assert timeline.key_only.text() == "★ Key events only (1)"
    assert panel.timeline_note.text().startswith("1 key event of 4 entries;")
    timeline.key_only.setChecked(False)
    assert len(_events(window)) == 4 and not panel.timeline_note.isVisible()
    timeline.key_only.setChecked(True)
    assert _events(window) == ["roll back to 1.42"]
    assert [e.id for e in ReviewService(workspace).key_events(incident_id)] == [decision.id]


def test_without_key_events_the_review_shows_every_entry(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="API down", severity="P1").incident.id
    incidents.log_quick(incident_id, "o: errors rising")
    window.refresh()
    window.select_incident(incident_id)
    window.review.show_review()
    timeline = window.review.panel.timeline
    qtbot.waitUntil(lambda: len(_events(window)) == 2)
    assert not timeline.key_only.isChecked() and not timeline.key_only.isEnabled()
