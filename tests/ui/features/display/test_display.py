"""The war-room display: layout at three screen sizes, live following, staleness, read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from commander.core.clock import FakeClock
from commander.core.errors import CommanderError
from commander.ui.features.display.feed import RECENT_MAX
from commander.ui.features.display.lists import HEADING, HEADING_KEY, HIGHLIGHT_S
from commander.ui.features.display.window import DisplayWindow
from tests.ui.features.display.support import SIZES, demo_and_another, layout_problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nothing_overlaps_or_is_clipped(qtbot, make_display, workspace, incidents, size) -> None:  # type: ignore[no-untyped-def]
    demo_and_another(workspace, incidents)
    window = make_display(size)
    window.tick()
    qtbot.wait(10)
    assert window.size().width() == size[0]
    assert layout_problems(window) == []
    # the countdowns are the largest text on the screen
    countdown = window.timers.tiles[next(iter(window.timers.tiles))].countdown
    assert countdown.font().pixelSize() >= window.header.title.font().pixelSize()
    # and everything scales with the screen
    assert window.header.title.font().pixelSize() >= size[1] // 45


def test_fonts_follow_the_screen_size(make_display, incidents) -> None:  # type: ignore[no-untyped-def]
    incidents.declare(title="Auth failures", severity="P1")
    window = make_display((1366, 768))
    small = window.recent.heading.font().pixelSize()
    window.resize(3840, 2160)
    assert window.recent.heading.font().pixelSize() > 2 * small


def test_shows_the_incident_at_a_glance(make_display, workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    demo_id = demo_and_another(workspace, incidents)
    window = make_display()
    assert window.view is not None and window.view.incident.id == demo_id  # P1 before P2
    assert window.header.badge.full_text == "P1 · HIGH"
    assert "Status: Monitoring" in window.header.state.full_text
    roles = [label.full_text for label in window.roster.lefts[: window.roster._used]]
    assert roles[:4] == [
        "Incident Commander",
        "Technical Lead",
        "Communications Lead",
        "Security Lead",
    ]
    shown = [label.full_text for label in window.recent.rights if label.isVisible()]
    assert 10 <= len(shown) <= RECENT_MAX
    assert shown[0].startswith("Status changed")  # newest first
    assert "1/2 active" in window.footer.others.full_text


def test_a_new_entry_and_a_severity_change_appear_within_a_second(
    qtbot, make_display, incidents
) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Auth failures", severity="P2").incident
    window = make_display(live=True)
    incidents.log(incident.id, "Rolled back api-gw", owner="bob")
    qtbot.waitUntil(
        lambda: window.recent.rights[0].full_text == "Rolled back api-gw  — @bob", timeout=1000
    )
    assert window.recent.highlighted() == [window.view.incident and window.recent._ids[0]]
    incidents.set_field(incident.id, "severity", "P0")
    qtbot.waitUntil(lambda: window.header.badge.full_text == "P0 · CRITICAL", timeout=1000)


def test_new_entries_are_highlighted_briefly(make_display, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Auth failures", severity="P2").incident
    window = make_display()
    assert window.recent.highlighted() == []  # what was there at start is not "new"
    entry, _changes = incidents.log(incident.id, "Paged the DBA")
    window.poll()
    assert window.recent.highlighted() == [entry.id]
    clock.advance(HIGHLIGHT_S + 1)
    window.tick()
    assert window.recent.highlighted() == []


def test_timers_turn_amber_then_red_with_words(make_display, incidents, clock) -> None:  # type: ignore[no-untyped-def]
    incidents.declare(title="Auth failures", severity="P1")
    window = make_display()
    tile = window.timers.tiles[next(iter(window.timers.tiles))]  # acknowledge, 30 min for P1
    assert (tile.name.full_text, tile.countdown.full_text) == ("Acknowledge", "30:00")
    assert tile.state.full_text == "UPCOMING"
    clock.advance(timedelta(minutes=26))
    window.tick()
    assert tile.state.full_text == "⚠ DUE SOON"
    clock.advance(timedelta(minutes=5))
    window.tick()
    assert (tile.countdown.full_text, tile.state.full_text) == ("+01:00", "✖ OVERDUE")


def test_stale_indicator_when_updates_stop(make_display, incidents, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    incidents.declare(title="Auth failures", severity="P1")
    window = make_display()
    clock.advance(2)
    window.poll()
    window.tick()
    assert window.footer.freshness.full_text == "Updated 0 s ago"
    assert not window.is_stale()
    clock.advance(10)  # no poll for 10 s: a frozen screen
    window.tick()
    assert window.is_stale()
    assert window.footer.freshness.full_text.startswith("✖ STALE — no update for 10 s")

    def broken() -> None:
        raise CommanderError("The workspace file is locked.")

    monkeypatch.setattr(window.feed, "poll", broken)
    window.poll()  # polls keep failing: still stale, and says why
    window.tick()
    assert window.is_stale()
    assert "NOT READING" in window.footer.connection.full_text


def test_rotates_between_active_incidents_highest_severity_first(
    make_display, incidents, clock
) -> None:  # type: ignore[no-untyped-def]
    low = incidents.declare(title="Slow reports", severity="P3").incident
    high = incidents.declare(title="Checkout down", severity="P0").incident
    window = make_display(rotate_s=10)
    assert [i.id for i in window.incidents] == [high.id, low.id]
    assert window.view is not None and window.view.incident.id == high.id
    clock.advance(11)
    window.tick()
    assert window.view.incident.id == low.id
    clock.advance(11)
    window.tick()
    assert window.view.incident.id == high.id


def test_pinned_incident_only(make_display, incidents) -> None:  # type: ignore[no-untyped-def]
    low = incidents.declare(title="Slow reports", severity="P3").incident
    incidents.declare(title="Checkout down", severity="P0")
    window = make_display(incident=low.ref)
    assert [i.id for i in window.incidents] == [low.id]


def test_read_only_keys_write_nothing_and_esc_leaves_full_screen(
    qtbot, make_display, incidents
) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Auth failures", severity="P1").incident
    incidents.log(incident.id, "First entry")
    window = make_display(live=True)
    editable = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QSpinBox, QAbstractButton)
    assert [w for w in window.findChildren(QWidget) if isinstance(w, editable)] == []
    assert window.actions() == []
    before = incidents.last_seq()
    window.showFullScreen()
    window.activateWindow()
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    for key, modifier in (
        (Qt.Key.Key_Z, ctrl),
        (Qt.Key.Key_N, ctrl),
        (Qt.Key.Key_Delete, ctrl),
        (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_S, ctrl | shift),
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier),
    ):
        qtbot.keyClick(window, key, modifier)
    qtbot.mouseClick(window.recent.rights[0], Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(window.header.badge, Qt.MouseButton.LeftButton)
    qtbot.wait(600)  # a poll and a tick happen meanwhile
    assert window.isFullScreen()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isFullScreen()
    assert incidents.last_seq() == before


def test_no_incident_says_so(make_display) -> None:  # type: ignore[no-untyped-def]
    window = make_display((1366, 768))
    assert window.header.title.full_text == "No active incident"
    assert layout_problems(window) == []


def test_main_window_opens_the_display(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert window.action_display.shortcut().toString() == "Ctrl+Shift+D"
    window.action_display.trigger()
    display = window.display_window
    assert isinstance(display, DisplayWindow) and display.isVisible() and display.isWindow()
    window.action_display.trigger()
    assert window.display_window is display  # brought forward, not a second one
    display.close()
    display.tasks.wait()


def test_key_events_stay_at_the_top_of_the_feed(make_display, incidents, clock) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Auth failures", severity="P2").incident
    decision, _ = incidents.log_quick(incident.id, "d: @bob roll back to 1.42")
    incidents.mark_key(decision.id)
    for n in range(RECENT_MAX + 3):  # enough newer lines to push it out of the newest rows
        clock.advance(timedelta(seconds=30))
        incidents.log(incident.id, f"reading {n}")
    question, _ = incidents.log_quick(incident.id, "? is the replica lagging")
    window = make_display()
    shown = [label.full_text for label in window.recent.rights[: window.recent._used]]
    assert shown[0] == "★ ◆ roll back to 1.42"
    assert shown[1] == "? is the replica lagging"  # then the newest, with the kind's icon
    assert shown[2] == f"reading {RECENT_MAX + 2}"
    assert len(shown) == RECENT_MAX and shown.count("★ ◆ roll back to 1.42") == 1
    assert window.recent.heading.full_text == HEADING_KEY
    incidents.mark_key(decision.id, False)
    window.poll()
    assert window.recent.rights[0].full_text == "? is the replica lagging"
    assert window.recent.heading.full_text == HEADING
    assert question.id == window.recent._ids[0]


def test_a_regulatory_clock_gets_its_own_countdown_tile(  # type: ignore[no-untyped-def]
    qtbot, make_display, workspace, incidents, clock
) -> None:
    from pathlib import Path

    from commander.core.procedure_file import seed_text
    from commander.services.deadlines import deadline_service_for
    from commander.services.incident_fields import IncidentFieldService
    from commander.services.procedures import ProcedureService

    pack = Path(__file__).parents[4] / "docs" / "examples" / "gdpr-art33.toml"
    ProcedureService(workspace).load(seed_text() + "\n" + pack.read_text("utf-8"), "seed + GDPR")
    incident = incidents.declare(title="Export leak", severity="P1").incident
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    fields.set(incident.id, "personal_data_breach", "yes")
    fields.set(incident.id, "breach_aware_at", clock.now().isoformat())
    window = make_display()
    window.poll()
    window.tick()
    tile = window.timers.tiles["gdpr_art33_authority"]
    assert tile.isVisible()
    assert tile.name.full_text == "Notify the supervisory authority (GDPR) · GDPR Art. 33(1)"
    assert tile.countdown.full_text == "3d 00:00:00"
    assert layout_problems(window) == []
