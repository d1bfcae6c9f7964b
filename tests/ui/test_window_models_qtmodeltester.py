"""Qt's model tester over the models that need Qt's GUI side: alerts, the outbox, attached
files' thumbnails, and the command palette's list of the real window's actions.

Each is filled from the real services, checked, changed under the watching tester, and checked
again (see ``test_models_qtmodeltester`` for the rest and the list of every model).
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.clock import FakeClock
from commander.services.alerts import AlertService
from commander.services.attachments import AttachmentService
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.outbox import OutboxService
from commander.services.workspace import Workspace
from commander.ui.features.alerts.alert_model import AlertModel
from commander.ui.features.attachments.thumbnails import ThumbnailModel, load_thumbs
from commander.ui.features.comms.outbox_model import OutboxModel
from commander.ui.shell.command_model import CommandModel
from commander.ui.shell.commands import collect_commands
from tests.ui.model_checks import checked as _checked

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_alerts(qtmodeltester, qapp, workspace: Workspace, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    service = AlertService(workspace)
    firing = json.loads((FIXTURES / "alerts" / "alertmanager_webhook_v4.json").read_text())
    service.ingest_payload(firing)
    model = AlertModel(workspace.zone, clock.now)
    model.set_views(service.views())

    def change() -> None:
        clock.advance(timedelta(minutes=3))
        model.set_views(service.views())  # the same alerts: cells repaint in place
        resolved = FIXTURES / "alerts" / "alertmanager_webhook_v4_resolved.json"
        service.ingest_payload(json.loads(resolved.read_text()))
        model.set_views(service.views())  # resolved now: greyed, and saying so

    _checked(qtmodeltester, model, change)


def test_outbox(qtmodeltester, qapp, workspace: Workspace, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    deadlines = DeadlineService(workspace, hours=BusinessHours(zone=UTC))
    outbox = OutboxService(workspace, CommsService(workspace, deadlines), deadlines)
    incident = incidents.declare(
        title="Customer API down", severity="P1", services=["api"], impact="Errors"
    ).incident
    first = outbox.queue(incident.id, "initial", channel=Channel.SLACK)
    model = OutboxModel(workspace.zone)
    model.set_items(outbox.outbox(incident.id))

    def change() -> None:
        outbox.record_sent_earlier(first.id, answer="ok", at=clock.now())
        model.set_items(outbox.outbox(incident.id))  # the same rows: the state cell changes
        outbox.queue(incident.id, "update", channel=Channel.SLACK)
        model.set_items(outbox.outbox(incident.id))

    _checked(qtmodeltester, model, change)
    assert model.rowCount() == 2


def test_thumbnails(qtmodeltester, qapp, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    service = AttachmentService(workspace)
    incident_id = incidents.declare(title="Dashboard red", severity="P2").incident.id
    png = (FIXTURES / "attachments" / "red-2x2.png").read_bytes()
    service.attach(incident_id, png, "graph.png")
    model = ThumbnailModel()
    model.set_thumbs(load_thumbs(service, incident_id))

    def change() -> None:
        service.attach(incident_id, b"pod restarts: 14\n", "restarts.txt")
        model.set_thumbs(load_thumbs(service, incident_id))

    _checked(qtmodeltester, model, change)
    assert model.rowCount() == 2


def test_commands_of_the_window(qtmodeltester, window) -> None:  # type: ignore[no-untyped-def]
    commands = collect_commands(window)
    model = CommandModel()
    model.set_commands(commands)

    def change() -> None:
        model.set_commands([c for c in commands if "incident" in c.text.lower()])
        model.set_commands(collect_commands(window, include_hidden=True))

    _checked(qtmodeltester, model, change)
    assert model.rowCount() > 20
