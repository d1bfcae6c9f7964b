"""Checklists through a real PostgreSQL: an edit, ticks (and an untick) and placeholder values
made on one laptop show on the other; concurrent ticks of one step end the same on both."""

from __future__ import annotations

from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.runbooks import RunbookService
from tests.sync.helpers import sync_once


def test_edits_ticks_and_values_sync(make_workspace, server):
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    checklists = ChecklistService(alice)
    checklists.add_step("initial-response", "Open the bridge call")
    checklists.tick(incident.id, "Acknowledge Alert")
    checklists.tick(incident.id, "Assess Severity")
    checklists.tick(incident.id, "Assess Severity", done=False)
    RunbookService(alice).set_value(incident.id, "namespace", "payments")
    sync_once(alice, server)
    sync_once(bob, server)
    assert (
        ChecklistService(bob).progress(incident.id).to_json()
        == checklists.progress(incident.id).to_json()
    )
    assert ChecklistService(bob).checklist("initial-response").steps[-1].text == (
        "Open the bridge call"
    )
    assert RunbookService(bob).step(incident.id, "db.pool-logs").filled.preview == (
        "kubectl logs -n payments <pod> | grep -i mongo | tail -50"
    )
    # both tick and untick the same step without seeing each other: last writer wins everywhere
    ChecklistService(bob).tick(incident.id, "Form Response Team")
    checklists.tick(incident.id, "Form Response Team")
    checklists.tick(incident.id, "Form Response Team", done=False)
    for ws in (alice, bob, alice):
        sync_once(ws, server)
    a = checklists.progress(incident.id).state("initial.team")
    b = ChecklistService(bob).progress(incident.id).state("initial.team")
    assert a is not None and b is not None and a.done == b.done
