"""The display's compact grid: every active incident as a tile, highest severity first."""

from __future__ import annotations

import pytest

from commander.core.people import Person
from commander.core.roles import INCIDENT_COMMANDER
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.ui.features.display.grid import GRID_MAX, grid_shape
from tests.ui.features.display.support import SIZES, demo_and_another, layout_problems


def test_grid_shape_stays_wide_and_square() -> None:
    assert grid_shape(1) == (1, 1)
    assert grid_shape(2) == (2, 1)
    assert grid_shape(4) == (2, 2)
    assert grid_shape(5) == (3, 2)
    assert grid_shape(9) == (3, 3)
    assert grid_shape(30) == (3, 3)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_grid_nothing_overlaps_or_is_clipped(make_display, workspace, incidents, size) -> None:  # type: ignore[no-untyped-def]
    demo_and_another(workspace, incidents)
    for n in range(3):
        incidents.declare(title=f"Batch job {n} stuck on a very long queue name", severity="P3")
    window = make_display(size, grid=True)
    window.tick()
    assert window.pages.currentWidget() is window.grid
    assert len(window.grid.shown()) == 5
    assert layout_problems(window) == []


def test_tiles_in_severity_order_with_commander_and_urgent_timer(
    make_display, workspace, incidents
) -> None:  # type: ignore[no-untyped-def]
    low = incidents.declare(title="Slow reports", severity="P3").incident
    high = incidents.declare(title="Checkout down", severity="P0").incident
    PeopleService(workspace).save_person(Person("alice", "Alice Smith"))
    RosterService(workspace).assign(high.id, INCIDENT_COMMANDER, "alice")
    window = make_display(grid=True)
    window.tick()
    tiles = window.grid.shown()
    assert [t.incident_id for t in tiles] == [high.id, low.id]
    assert tiles[0].badge.full_text == "P0 · CRITICAL"
    assert tiles[0].title.full_text == "Checkout down"
    assert "alice" in tiles[0].commander.full_text.lower()
    assert tiles[1].commander.full_text == "IC: ⚠ unassigned"
    # the P0's most urgent deadline (executive notification is due now, 5 min grace), in words
    assert tiles[0].timer.full_text == "Executive notification 05:00 · ⚠ DUE NOW"
    assert tiles[1].timer.full_text == "Next update 30:00 · UPCOMING"  # sooner than a P3 ack
    assert "2 active" in window.footer.others.full_text


def test_grid_follows_changes_and_falls_back_to_one_incident(
    make_display, incidents, clock
) -> None:  # type: ignore[no-untyped-def]
    first = incidents.declare(title="Checkout down", severity="P1").incident
    window = make_display(grid=True)
    window.tick()
    assert window.pages.currentWidget() is not window.grid  # one incident: the full view
    second = incidents.declare(title="Auth failures", severity="P2").incident
    window.poll()
    assert window.pages.currentWidget() is window.grid
    incidents.set_field(second.id, "severity", "P0")
    window.poll()
    assert [t.incident_id for t in window.grid.shown()] == [second.id, first.id]
    clock.advance(16 * 60)  # the P0's acknowledgement is overdue now
    window.tick()
    assert "OVERDUE" in window.grid.shown()[0].timer.full_text
    incidents.set_field(second.id, "status", "resolved")
    window.poll()
    assert window.pages.currentWidget() is not window.grid
    assert window.view is not None and window.view.incident.id == first.id


def test_grid_never_rotates(make_display, incidents, clock) -> None:  # type: ignore[no-untyped-def]
    incidents.declare(title="Checkout down", severity="P0")
    incidents.declare(title="Slow reports", severity="P3")
    window = make_display(grid=True, rotate_s=5)
    before = [t.incident_id for t in window.grid.shown()]
    clock.advance(30)
    window.tick()
    assert [t.incident_id for t in window.grid.shown()] == before
    assert window.pages.currentWidget() is window.grid


def test_more_incidents_than_tiles_are_named_in_the_footer(make_display, incidents) -> None:  # type: ignore[no-untyped-def]
    for n in range(GRID_MAX + 2):
        incidents.declare(title=f"Incident {n}", severity="P3")
    window = make_display(grid=True)
    window.tick()
    assert len(window.grid.shown()) == GRID_MAX
    assert "not shown" in window.footer.others.full_text
