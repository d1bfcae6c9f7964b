"""Action items: default due dates from the term, links to timeline entries, overdue first,
per-field edits, and the handoff briefing that lists the open ones."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from commander.core.errors import NotFoundError, ValidationError
from commander.services.action_items import ActionItemService
from commander.services.roster import RosterService


@pytest.fixture
def items(workspace) -> ActionItemService:
    return ActionItemService(workspace)


@pytest.fixture
def incident(incidents):
    return incidents.declare(title="API down", severity="P1", services="api").incident


def test_action_items_default_due_link_entries_and_sort_overdue_first(
    items, incidents, incident, clock
) -> None:
    entry, _ = incidents.log(incident.id, "Certificate expired unnoticed")
    entry_id = entry.id
    short = items.add_action_item(incident.id, "Alert 14 days before expiry", entry_id=entry_id)
    assert short.due == date(2026, 12, 12) and short.entry_id == entry_id
    medium = items.add_action_item(
        incident.id, "Automate renewal", term="medium", tracker_url="https://jira/OPS-1"
    )
    assert medium.due == date(2027, 2, 28)
    other = incidents.declare(title="Backups failing", severity="P2").incident
    done = items.add_action_item(other.id, "Fix backup job", due=date(2026, 12, 1), status="done")
    clock.advance(timedelta(days=20))  # 18 Dec: the short-term item is overdue
    assert [i.id for i in items.action_items()] == [short.id, medium.id, done.id]
    assert [i.id for i in items.action_items(other.id)] == [done.id]
    assert items.action_item(short.id[-8:]).id == short.id
    with pytest.raises(ValidationError, match="https://"):
        items.add_action_item(incident.id, "x", tracker_url="jira/OPS-1")
    with pytest.raises(NotFoundError, match="not part of this incident"):
        items.add_action_item(other.id, "x", entry_id=entry_id)


def test_changing_the_term_moves_a_default_due_but_not_a_chosen_one(items, incident) -> None:
    item = items.add_action_item(incident.id, "Runbook update")
    assert items.update_action_item(item.id, term="medium").due == date(2027, 2, 28)
    moved = items.update_action_item(item.id, due=date(2027, 1, 15))
    assert items.update_action_item(moved.id, term="long").due == date(2027, 1, 15)
    unchanged = items.update_action_item(item.id, title="Runbook update")
    assert unchanged == items.action_item(item.id)


def test_the_handoff_briefing_lists_open_action_items_overdue_first(
    items, incident, workspace, clock
) -> None:
    from commander.core.business_hours import BusinessHours
    from commander.services.briefing import BriefingService
    from commander.services.deadlines import DeadlineService

    briefing = BriefingService(
        workspace, RosterService(workspace), DeadlineService(workspace, hours=BusinessHours())
    )
    assert "No open action items." in briefing.render(incident.id)
    items.add_action_item(incident.id, "Automate renewal", owner="bob", term="medium")
    items.add_action_item(incident.id, "Page on | expiry", due=date(2026, 11, 27))
    items.add_action_item(incident.id, "Already done", status="done")
    text = briefing.render(incident.id)
    section = text.split("## 5. Open action items")[1].split("## 6.")[0]
    rows = [line for line in section.splitlines() if line.startswith("| 20")]
    assert rows[0].startswith("| 2026-11-27 | Page on \\| expiry | — | Short-term | **⚠ overdue**")
    assert "Automate renewal | bob | Medium-term | Open" in rows[1]
    assert "Already done" not in section
