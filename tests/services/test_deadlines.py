"""Deadlines computed from a real workspace: the service gathers facts the engine needs."""

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from commander.config import (
    DeadlineSettings,
    load_deadline_settings,
    parse_days,
    save_deadline_settings,
)
from commander.core.business_hours import BusinessHours
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.core.errors import ValidationError
from commander.services.deadlines import DeadlineService


@pytest.fixture
def deadlines(workspace) -> DeadlineService:
    return DeadlineService(workspace, hours=BusinessHours(zone=UTC))


def _by_key(items):
    return {d.key: d for d in items}


def test_a_p1_gets_the_procedures_clocks(incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="Auth failures", severity="P1").incident
    found = _by_key(deadlines.deadlines(incident.id))
    start = clock.now()
    assert found[DeadlineKind.RESPONSE].due == start + timedelta(minutes=30)
    assert found[DeadlineKind.ESCALATION].due == start + timedelta(hours=1)
    assert found[DeadlineKind.CUSTOMER_COMMS].due == start + timedelta(hours=1)
    assert found[DeadlineKind.INTERNAL_UPDATE].due == start + timedelta(minutes=30)
    assert found[DeadlineKind.PARTNER_COMMS].state is DeadlineState.NOT_APPLICABLE
    assert found[DeadlineKind.POST_INCIDENT_REVIEW].state is DeadlineState.NOT_APPLICABLE


def test_meeting_a_deadline_is_stored_and_logged(incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    clock.advance(600)
    deadlines.mark_met(incident.id, "escalation", how="Management notified by phone")
    escalation = _by_key(deadlines.deadlines(incident.id))[DeadlineKind.ESCALATION]
    assert escalation.state is DeadlineState.MET
    assert escalation.met_at == clock.now()
    assert escalation.met_by == "alice"
    assert escalation.how == "Management notified by phone"
    last = incidents.timeline(incident.id)[-1]
    assert last.event.startswith("Deadline met: ") and last.action == "Management notified by phone"


def test_an_update_sent_restarts_only_the_update_clock(incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    clock.advance(20 * 60)
    before = _by_key(deadlines.deadlines(incident.id))
    deadlines.update_sent(incident.id)
    after = _by_key(deadlines.deadlines(incident.id))
    assert after[DeadlineKind.INTERNAL_UPDATE].due == clock.now() + timedelta(minutes=30)
    assert deadlines.next_update(incident.id) == clock.now() + timedelta(minutes=30)
    for kind in (DeadlineKind.RESPONSE, DeadlineKind.ESCALATION, DeadlineKind.CUSTOMER_COMMS):
        assert after[kind].due == before[kind].due


def test_an_upgrade_to_p0_makes_the_executive_notification_due_now(
    incidents, deadlines, clock
) -> None:
    incident = incidents.declare(title="x", severity="P2").incident
    clock.advance(40 * 60)
    incidents.set_field(incident.id, "severity", "P0")
    escalation = _by_key(deadlines.deadlines(incident.id))[DeadlineKind.ESCALATION]
    assert escalation.due == clock.now()
    assert escalation.severity.value == "P0"


def test_partners_and_resolution_bring_their_deadlines(incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="x", severity="P2").incident
    clock.advance(60)
    incidents.set_field(incident.id, "partners_affected", "yes")
    assert incidents.get(incident.id).partners_affected
    found = _by_key(deadlines.deadlines(incident.id))
    assert found[DeadlineKind.PARTNER_COMMS].due == clock.now() + timedelta(minutes=30)
    clock.advance(3600)
    incidents.set_field(incident.id, "status", "resolved")
    found = _by_key(deadlines.deadlines(incident.id))
    assert found[DeadlineKind.POST_INCIDENT_REVIEW].due == clock.now() + timedelta(days=7)
    assert found[DeadlineKind.TIMELINE_IMPACT].due == clock.now() + timedelta(hours=24)
    assert found[DeadlineKind.INTERNAL_UPDATE].state is DeadlineState.NOT_APPLICABLE


def test_an_overdue_deadline_is_logged_once(incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="x", severity="P0").incident
    clock.advance(15 * 60 + 30)
    response = _by_key(deadlines.deadlines(incident.id))[DeadlineKind.RESPONSE]
    assert response.state is DeadlineState.OVERDUE
    assert not deadlines.log_overdue(incident.id, response)  # a minute's grace first
    clock.advance(60)
    response = _by_key(deadlines.deadlines(incident.id))[DeadlineKind.RESPONSE]
    assert deadlines.log_overdue(incident.id, response)
    assert not deadlines.log_overdue(incident.id, response)
    missed = [e for e in incidents.timeline(incident.id) if e.event.startswith("Deadline missed")]
    assert len(missed) == 1
    assert _by_key(deadlines.deadlines(incident.id))[DeadlineKind.RESPONSE].state is (
        DeadlineState.OVERDUE
    )


def test_snooze_and_bad_input(incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    deadlines.snooze(
        incident.id,
        "customer-comms",
        until=clock.now() + timedelta(minutes=10),
        reason="Status page vendor down; using email",
    )
    customer = _by_key(deadlines.deadlines(incident.id))[DeadlineKind.CUSTOMER_COMMS]
    assert customer.snoozed_until == clock.now() + timedelta(minutes=10)
    with pytest.raises(ValidationError, match="Unknown deadline"):
        deadlines.mark_met(incident.id, "coffee")
    with pytest.raises(ValidationError, match="future"):
        deadlines.snooze(incident.id, "response", until=clock.now(), reason="x")
    with pytest.raises(ValidationError, match="Reason must not be empty"):
        deadlines.snooze(incident.id, "response", until=clock.now() + timedelta(1), reason=" ")
    with pytest.raises(ValidationError, match="No incident"):
        deadlines.mark_met("missing", "response")


def test_settings_round_trip_and_refuse_nonsense(tmp_path: Path) -> None:
    assert load_deadline_settings(tmp_path) == DeadlineSettings()
    settings = DeadlineSettings(
        days=parse_days("sun-thu"),
        start="08:00",
        end="16:30",
        zone="Asia/Jerusalem",
        due_soon_minutes=10,
    )
    save_deadline_settings(tmp_path, settings)
    assert load_deadline_settings(tmp_path) == settings
    assert parse_days("fri-mon") == frozenset({4, 5, 6, 0})
    with pytest.raises(ValidationError, match="name days"):
        parse_days("funday")
    (tmp_path / "settings.json").write_text('{"business_start": "17:00", "business_end": "09:00"}')
    with pytest.raises(ValidationError, match="end after it starts"):
        load_deadline_settings(tmp_path)
    (tmp_path / "settings.json").write_text("{not json")
    with pytest.raises(ValidationError, match="fix or delete it"):
        load_deadline_settings(tmp_path)
    with pytest.raises(ValidationError, match="Unknown time zone"):
        save_deadline_settings(tmp_path, DeadlineSettings(zone="Mars/Olympus"))
