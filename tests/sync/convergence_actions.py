"""One user action per kind of synced record, for the convergence property test.

Each action goes through the service a person would use, so every entity kind's apply code
(incident, entry, deadline, role, person, custom role, template, draft, impact, review,
action item, checklist, check, runbook value, alert link, procedure) is exercised by the replicas.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, timedelta
from pathlib import Path

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.errors import CommanderError
from commander.core.people import Person
from commander.core.procedure_file import seed_text
from commander.core.review import REVIEW_LABELS
from commander.core.roles import INCIDENT_COMMANDER
from commander.core.templates import Audience
from commander.services.action_items import ActionItemService
from commander.services.alerts import AlertService
from commander.services.checklists import ChecklistService
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.procedures import ProcedureService
from commander.services.recovery import DERIVED_TABLES as RECOVERY_DERIVED_TABLES
from commander.services.review import ReviewService
from commander.services.roster import RosterService
from commander.services.runbooks import RunbookService
from commander.services.workspace import Workspace
from commander.storage import oplog

ALERTS = Path(__file__).parent.parent / "fixtures" / "alerts" / "alertmanager_webhook_v4.json"
Action = Callable[[Workspace, str, random.Random, int], object]


def _deadlines(ws: Workspace) -> DeadlineService:
    return DeadlineService(ws, hours=BusinessHours(zone=UTC))


def log(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    return IncidentService(ws).log(incident, f"step {index} by {ws.author}")


def register(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    name = rng.choice(["severity", "status", "title"])
    value = {
        "severity": rng.choice(["P0", "P1", "P2", "P3"]),
        "status": rng.choice(["investigating", "identified", "monitoring"]),
        "title": f"Outage {index}",
    }[name]
    return IncidentService(ws).set_field(incident, name, value)


def strike(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = IncidentService(ws)
    entries = [e for e in service.timeline(incident) if not e.struck]
    return service.strike(rng.choice(entries).id, f"wrong {index}") if entries else None


def person(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    handle = rng.choice(["dana", "eli"])
    return PeopleService(ws).save_person(
        Person(
            handle, handle.title(), phone=f"+1 555 {1000 + index}", team=rng.choice(["db", "web"])
        )
    )


def role_def(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    roster = RosterService(ws)
    if any(r.key == "scribe" for r in roster.roles()):
        return roster.remove_role("scribe")
    return roster.add_role("Scribe", f"takes notes ({index})")


def role(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    roster = RosterService(ws)
    people = [p.handle for p in PeopleService(ws).people()]
    if not people:
        return None

    def assign() -> object:
        return roster.assign(incident, INCIDENT_COMMANDER, rng.choice(people), note=str(index))

    def release() -> object:
        return roster.release(incident, INCIDENT_COMMANDER, note=f"break {index}")

    first, second = (release, assign) if rng.random() < 0.2 else (assign, release)
    try:
        return first()
    except CommanderError:  # nobody to release, or the same person again
        return second()


def template(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    return CommsService(ws, _deadlines(ws)).save_template(
        name=f"Status {index}",
        audience=Audience.INTERNAL,
        subject="Status",
        body=f"Update {index}",
        key="status-update",
    )


def draft(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    comms = CommsService(ws, _deadlines(ws))
    key = comms.templates()[0].key
    return comms.save_draft(
        incident,
        template_key=key,
        audience=Audience.INTERNAL,
        channel=Channel.SLACK,
        typed={"summary": f"typed {index}"},
        draft_id=f"draft-{incident}",
    )


def impact(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = ImpactService(ws)
    samples = service.samples(incident)
    if samples and rng.random() < 0.3:
        return service.strike(rng.choice(samples).id, f"bad {index}")
    return service.add(incident, "error_rate", float(index % 100))


def review(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = ReviewService(ws)
    if rng.random() < 0.3:
        when = ws.clock.now() + timedelta(days=1, minutes=index)
        return service.schedule_review(incident, when)
    return service.set_field(incident, rng.choice(sorted(REVIEW_LABELS)[:3]), f"text {index}")


def action_item(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = ActionItemService(ws)
    items = service.action_items(incident)
    if items and rng.random() < 0.6:
        return service.update_action_item(
            rng.choice(items).id, title=f"Fix {index}", status=rng.choice(["open", "done"])
        )
    return service.add_action_item(incident, f"Item {index}", owner="dana")


def checklist(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = ChecklistService(ws)
    return service.add_step(service.checklists()[0].key, f"Check {index}")


def tick(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = ChecklistService(ws)
    key = rng.choice(service.checklists()[0].steps[:3]).key
    state = service.progress(incident).state(key)
    return service.tick(incident, key, done=not (state and state.done))  # a change each time


def runbook(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    return RunbookService(ws).set_value(incident, "namespace", f"ns-{index}")


def alert_link(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = AlertService(ws)
    service.ingest_payload(json.loads(ALERTS.read_text()))
    with ws.read() as conn:
        linked = (
            oplog.dbapi(conn)
            .execute("SELECT 1 FROM alert_link WHERE incident_id = ?", (incident,))
            .fetchone()
        )
    return None if linked else service.link("1a30ba71cca2921f", incident)


def procedure(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    text = seed_text().replace('version = "1"', f'version = "1.{index}"', 1)
    return ProcedureService(ws).load(text, f"procedure-{index}.toml")


def deadline(ws: Workspace, incident: str, rng: random.Random, index: int) -> object:
    service = _deadlines(ws)
    if rng.random() < 0.5:
        return service.update_sent(incident, how=f"slack {index}")
    until = ws.clock.now() + timedelta(minutes=10)
    return service.snooze(incident, "internal_update", until=until, reason=f"busy {index}")


ACTIONS: dict[str, Action] = {
    "log": log,
    "register": register,
    "strike": strike,
    "person": person,
    "role_def": role_def,
    "role": role,
    "template": template,
    "draft": draft,
    "impact": impact,
    "review": review,
    "action_item": action_item,
    "checklist": checklist,
    "tick": tick,
    "runbook": runbook,
    "alert_link": alert_link,
    "deadline": deadline,
    "procedure": procedure,
}

# Every table materialized from ops (recovery rebuilds the same set), compared across replicas.
DERIVED_TABLES = tuple(sorted(RECOVERY_DERIVED_TABLES))
