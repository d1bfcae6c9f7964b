"""The demo incident: a full P1 story through every phase, loaded once."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest

from commander.core.policy import Phase, Severity, Status
from commander.services.demo.create import create_demo
from commander.services.demo.story import DEMO_INCIDENT_ID
from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace


def test_demo_is_a_resolved_p1_with_a_long_timeline(workspace, incidents, clock) -> None:
    result = create_demo(workspace)
    assert result.created is True
    incident = result.incident
    assert incident.id == DEMO_INCIDENT_ID
    assert incident.severity is Severity.P1
    assert incident.status is Status.RESOLVED
    assert incident.phase is Phase.POST_INCIDENT
    assert "Certificate expiry" in incident.title
    timeline = incidents.timeline(incident.id)
    assert len(timeline) >= 30
    times = [e.occurred_at for e in timeline]
    assert times == sorted(times)
    assert clock.now() - timedelta(hours=3) <= times[0] < times[-1] < clock.now()
    assert times[-1] - times[0] >= timedelta(hours=2)


def test_demo_restores_the_workspace_clock(workspace, clock) -> None:
    create_demo(workspace)
    assert workspace.clock is clock


def test_phase_changes_are_logged_in_procedure_order_at_past_times(workspace, incidents) -> None:
    timeline = incidents.timeline(create_demo(workspace).incident.id)
    phases = [
        e.event.split("→ ")[-1]
        for e in timeline
        if e.kind == "system" and e.event.startswith("Phase changed")
    ]
    assert phases == [p.label for p in list(Phase)[1:]]
    system_times = [e.occurred_at for e in timeline if e.kind == "system"]
    # Stamped when each step happened, not all "now": spread over the story.
    assert len(set(system_times)) > 20
    assert max(system_times) - min(system_times) > timedelta(hours=2)
    statuses = [e.event for e in timeline if e.event.startswith("Status changed")]
    assert [s.split("→ ")[-1] for s in statuses] == ["Identified", "Monitoring", "Resolved"]
    assert any(e.event.startswith("Severity changed P2 → P1") for e in timeline)


def test_procedure_deadlines_are_met_in_the_story(workspace, incidents) -> None:
    timeline = incidents.timeline(create_demo(workspace).incident.id)
    start = timeline[0].occurred_at

    def first(text: str) -> timedelta:
        return next(e.occurred_at for e in timeline if text in e.event) - start

    assert "Alert fired" in timeline[0].event
    assert first("Partner notice") <= timedelta(minutes=30)
    assert first("Customer notice") <= timedelta(hours=1)
    assert first("Management notified") <= timedelta(hours=1)
    updates = [e.occurred_at for e in timeline if e.event.startswith("Internal update")]
    resolved = next(e.occurred_at for e in timeline if e.event.endswith("→ Resolved"))
    checkpoints = [start, *[u for u in updates if u <= resolved], resolved]
    gaps = [b - a for a, b in pairwise(checkpoints)]
    assert max(gaps) <= timedelta(minutes=30)
    for command in ("kubectl get certificates", "openssl s_client", "kubectl create job"):
        assert any(command in e.event for e in timeline), command


def test_demo_shows_a_strike_and_an_amendment(workspace, incidents) -> None:
    timeline = incidents.timeline(create_demo(workspace).incident.id)
    struck = [e for e in timeline if e.struck]
    amended = [e for e in timeline if e.amended_event is not None]
    assert len(struck) == 1 and struck[0].strike_reason
    assert len(amended) == 1 and amended[0].amended_event != amended[0].event


def test_demo_is_idempotent(workspace, incidents, clock) -> None:
    first = create_demo(workspace)
    count = len(incidents.timeline(first.incident.id))
    clock.advance(timedelta(hours=5))
    second = create_demo(workspace)
    assert second.created is False
    assert second.incident == first.incident
    assert len(incidents.timeline(first.incident.id)) == count
    assert len(incidents.list()) == 1


def test_demo_is_valid_evidence(workspace) -> None:
    create_demo(workspace)
    assert verify_workspace(workspace).ok


def test_interrupted_load_leaves_nothing_and_can_be_retried(
    workspace, incidents, clock, monkeypatch
) -> None:
    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(IncidentService, "amend", interrupted)
        with pytest.raises(KeyboardInterrupt):
            create_demo(workspace)
    assert workspace.clock is clock
    assert "write" not in vars(workspace) and "read" not in vars(workspace)
    assert incidents.list() == []
    assert _outbox(workspace).outbox() == []  # the outbox rows went with the transaction
    assert verify_workspace(workspace).ops_checked == 0
    assert create_demo(workspace).created is True


def _outbox(workspace):  # type: ignore[no-untyped-def]
    from commander.core.business_hours import BusinessHours
    from commander.services.comms import CommsService
    from commander.services.deadlines import DeadlineService
    from commander.services.outbox import OutboxService

    deadlines = DeadlineService(workspace, hours=BusinessHours())
    return OutboxService(workspace, CommsService(workspace, deadlines), deadlines)


def test_the_outbox_agrees_with_the_timeline_about_what_was_sent(workspace, incidents) -> None:
    incident = create_demo(workspace).incident
    timeline = incidents.timeline(incident.id)
    items = sorted(_outbox(workspace).outbox(incident.id), key=lambda i: i.created_at)
    assert {i.state for i in items} == {"sent"}
    assert all(i.finished_at == i.created_at and i.attempts == 1 for i in items)

    def noted(text: str):  # type: ignore[no-untyped-def]
        return next(e.occurred_at for e in timeline if e.event.startswith(text))

    sent = sorted((i.created_at, i.channel.value, i.template_key) for i in items)
    assert sent == sorted(
        [
            (noted("Partner notice sent"), "email", "partner"),
            (noted("Internal update #1"), "slack", "update"),
            (noted("Internal update #1"), "email", "update"),
            (noted("Customer notice published"), "statuspage", "status-page"),
            (noted("Customer notice published"), "email", "status-page"),
            (noted("Internal update #2"), "slack", "update"),
            (noted("Internal update #3"), "slack", "update"),
            (noted("Resolution notification sent"), "slack", "resolved"),
            (noted("Resolution notification sent"), "statuspage", "status-page"),
        ]
    )
    by_template = {(i.template_key, i.created_at): i for i in items}
    # Composed from the record as it stood then: update #1 went out while "identified".
    first_update = by_template[("update", noted("Internal update #1"))]
    assert first_update.subject == "INCIDENT UPDATE - P1 - Identified"
    resolution = by_template[("resolved", noted("Resolution notification sent"))]
    assert resolution.subject.startswith("INCIDENT RESOLVED - P1")
    # Every field was filled: no "<next update>" or "<report>" went out.
    assert not [i.subject for i in items if "<" in i.body or "<" in i.subject]
    status_page_resolved = by_template[("status-page", noted("Resolution notification sent"))]
    assert "this is our last update on it" in status_page_resolved.body
    assert status_page_resolved.subject == "Sign-in to the customer API: Resolved"
    # The story's own notes say it was sent; the outbox adds no second note.
    assert not any(" update sent via " in e.event for e in timeline)


def test_a_reloaded_demo_adds_no_second_outbox(workspace, clock) -> None:
    create_demo(workspace)
    count = len(_outbox(workspace).outbox())
    clock.advance(timedelta(hours=1))
    create_demo(workspace)
    assert len(_outbox(workspace).outbox()) == count == 9
