"""A past incident as a scenario (``commander exercise from INC``): what happened *to* the
team, at the offsets it happened, for the next team to practise on.

Taken from the incident's own records: its declaration (title, first severity, services),
the alerts linked to it (fired and resolved), its impact samples, the messages it logged
from someone outside the team (a communication entry attributed to its sender) and the role
holders it logged as unreachable. What the team did in reply is left out: that is the
exercise.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

from commander.core.entry_kinds import Kind
from commander.core.errors import ValidationError
from commander.core.roles import PROCEDURE_ROLES, find_role
from commander.core.scenario_model import (
    OFFSET_MAX,
    Inject,
    InjectKind,
    Scenario,
    ScenarioIncident,
)
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import alert_store, queries

MESSAGE_PREFIX = re.compile(r"^Message from (?P<sender>.+?): (?P<text>.*)$", re.DOTALL)
UNREACHABLE = re.compile(
    r"^(?:The on-call (?P<role>.+?)|.+? \((?P<held>[^()]+)\)) is unreachable"
    r"(?: \((?P<note>.*)\))?(?:; the role needs a new holder)?$",
    re.DOTALL,
)


def unreachable_event(role_name: str, who: str | None, note: str) -> str:
    """The timeline's words for a role holder gone silent (read back by ``UNREACHABLE``)."""
    tail = f" ({note})" if note else ""
    if who is None:
        return f"The on-call {role_name} is unreachable{tail}"
    return f"{who} ({role_name}) is unreachable{tail}; the role needs a new holder"


def scenario_from_incident(workspace: Workspace, incident_id: str) -> Scenario:
    incident = IncidentService(workspace).get(incident_id)
    declared = incident.declared_at
    with workspace.read() as conn:
        history = queries.register_history(conn, incident_id)
        links = [link for link in alert_store.all_links(conn) if link.incident_id == incident_id]
        cached = {link.fingerprint: alert_store.get(conn, link.fingerprint) for link in links}
    first_severity = incident.severity.value
    if history is not None:
        first_severity = str(history.initial.get("severity", first_severity))
    injects: list[Inject] = []
    for link in links:
        alert = cached.get(link.fingerprint)
        labels = tuple(
            sorted((k, v) for k, v in (alert.labels if alert else {}).items() if k != "alertname")
        )
        summary = alert.summary if alert else ""
        injects.append(
            Inject(
                _offset(link.fired_at, declared),
                InjectKind.ALERT_FIRING,
                link.name,
                labels,
                summary,
            )
        )
        if link.resolved_at is not None:
            injects.append(
                Inject(_offset(link.resolved_at, declared), InjectKind.ALERT_RESOLVED, link.name)
            )
    for sample in ImpactService(workspace).samples(incident_id):
        injects.append(
            Inject(
                _offset(sample.at, declared),
                InjectKind.IMPACT,
                metric=sample.metric.value,
                value=sample.value,
            )
        )
    for entry in IncidentService(workspace).timeline(incident_id):
        if entry.struck:
            continue
        inject = _entry_inject(entry.event, entry.kind, entry.attributed_to, entry.occurred_at)
        if inject is not None:
            injects.append(_moved(inject, _offset(entry.occurred_at, declared)))
    injects.sort(key=lambda i: i.at)
    return Scenario(
        title=f"Replay of {incident.ref}: {incident.title}",
        incident=ScenarioIncident(
            incident.title,
            first_severity,
            tuple(incident.services),
            incident.impact,
            incident.partners_affected,
            incident.security_related,
        ),
        injects=tuple(injects),
        description=f"Made from {incident.ref}, declared {declared:%Y-%m-%d %H:%M} UTC.",
    )


def _entry_inject(event: str, kind: str, sender: str, at: datetime) -> Inject | None:
    if kind == Kind.COMMUNICATION and sender:
        match = MESSAGE_PREFIX.match(event)
        text = match.group("text") if match and match.group("sender") == sender else event
        return Inject(timedelta(0), InjectKind.MESSAGE, sender=sender, text=text)
    if kind == Kind.OBSERVATION:
        found = UNREACHABLE.match(event)
        if found:
            try:
                role = find_role(found.group("role") or found.group("held"), PROCEDURE_ROLES)
            except ValidationError:
                return None
            return Inject(
                timedelta(0), InjectKind.UNREACHABLE, role=role.key, text=found.group("note") or ""
            )
    return None


def _moved(inject: Inject, at: timedelta) -> Inject:
    return replace(inject, at=at)


def _offset(when: datetime, declared: datetime) -> timedelta:
    """Whole seconds after the declaration; what came before it is at the start."""
    seconds = round((when - declared).total_seconds())
    return min(timedelta(seconds=max(0, seconds)), OFFSET_MAX)
