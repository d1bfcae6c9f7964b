"""Alerts in: polling and webhook ingest, declaring an incident from an alert, and logging
the alert's resolution on the incidents it belongs to.

Resolution is logged once per incident however often it is reported (two Alertmanager
peers, a webhook after a poll, two laptops): the link remembers it resolved, and the
timeline entry has an id derived from the link and the firing, so even two laptops
logging it before they sync materialize one entry. An alert that fires again after it
resolved (a later start) is logged as "Alert fired again", and its next resolution too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from commander.core.alert_mapping import (
    SeverityMapping,
    fired_event,
    incident_title,
    refired_event,
    resolved_event,
)
from commander.core.alerts import RESOLVED, Alert, parse_payload
from commander.core.clock import iso
from commander.core.errors import AmbiguousError, NotFoundError, ValidationError
from commander.core.ops import Entity, Field
from commander.core.policy import Severity, parse_severity
from commander.core.records import ChangeSet, Incident
from commander.core.records_json import JsonRecord, json_field
from commander.integrations.alertmanager import SourceResult, host_of, poll_sources
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import alert_store, queries
from commander.storage.oplog import OpDraft, system_entry

RESOLVED_KEPT = timedelta(hours=24)
_ENTRY_NAMESPACE = uuid.UUID("0b6f3f4e-6a9e-4f43-9d0c-6c1f2a8e7b51")


@dataclass(frozen=True)
class AlertView:
    """An alert as the panel and ``alerts list`` show it."""

    alert: Alert
    severity: Severity  # suggested by the mapping
    reason: str
    incidents: tuple[Incident, ...] = ()

    # Hand-written: the alert's JSON merged with the view's, incidents as refs.
    def to_json(self) -> dict[str, Any]:
        return {
            **self.alert.to_json(),
            "suggested_severity": self.severity.value,
            "severity_reason": self.reason,
            "incidents": [i.ref for i in self.incidents],
        }


@dataclass
class IngestReport(JsonRecord):
    """What a poll or an ingest changed."""

    received: int = 0
    new: list[str] = field(default_factory=list)  # fingerprints newly firing
    resolved: list[str] = field(default_factory=list)
    logged: int = 0  # timeline entries written on incidents
    errors: list[str] = field(default_factory=list)  # one sentence per failing source
    unreachable: list[str] = field(default_factory=list, metadata=json_field(omit=True))
    changes: ChangeSet = field(default_factory=ChangeSet, metadata=json_field(omit=True))


@dataclass(frozen=True)
class DeclaredFromAlert:
    incident: Incident
    alert: Alert
    severity: Severity
    reason: str
    changes: ChangeSet


class AlertService:
    """Use cases on alerts; the incident itself is declared through ``IncidentService``."""

    def __init__(
        self,
        workspace: Workspace,
        mapping: SeverityMapping | None = None,
        incidents: IncidentService | None = None,
    ) -> None:
        self._ws = workspace
        self.mapping = mapping or SeverityMapping()
        self._incidents = incidents or IncidentService(workspace)

    # -- reading -------------------------------------------------------------------------

    def views(self, *, include_resolved: bool = True) -> list[AlertView]:
        """Firing first (most severe, newest first), then silenced/inhibited, then resolved."""
        with self._ws.read() as conn:
            alerts = alert_store.all_alerts(conn)
            links = alert_store.all_links(conn)
            incidents = {i.id: i for i in queries.list_incidents(conn)}
        by_alert: dict[str, list[Incident]] = {}
        for link in links:
            if link.incident_id in incidents:
                by_alert.setdefault(link.fingerprint, []).append(incidents[link.incident_id])
        result = [
            AlertView(
                a,
                self.mapping.severity_for(a),
                self.mapping.reason(a),
                tuple(by_alert.get(a.fingerprint, ())),
            )
            for a in alerts
            if include_resolved or a.firing
        ]
        order = {"Firing": 0, "Inhibited": 1, "Silenced": 1, "Resolved": 2}
        result.sort(key=lambda v: -v.alert.starts_at.timestamp())
        result.sort(key=lambda v: (order[v.alert.state_text], v.severity.rank))
        return result

    def stamp(self) -> tuple[int, ...]:
        """Changes whenever the alert cache does, whoever wrote it (see ``views``)."""
        with self._ws.read() as conn:
            return alert_store.state_stamp(conn)

    def find(self, key: str) -> Alert:
        """An alert by its fingerprint or a unique prefix of it."""
        key = key.strip()
        if not key:
            raise ValidationError("Name an alert by its fingerprint.")
        with self._ws.read() as conn:
            exact = alert_store.get(conn, key)
            found = [exact] if exact else alert_store.match(conn, key)
        if not found:
            raise NotFoundError(f"No alert with fingerprint {key!r}; see 'commander alerts list'.")
        if len(found) > 1:
            raise AmbiguousError(f"{key!r} matches several alerts; give more of the fingerprint.")
        return found[0]

    # -- alerts in ------------------------------------------------------------------------

    def ingest_payload(self, data: Any, *, source: str | None = None) -> IngestReport:
        """A webhook body (Alertmanager v4, Grafana) or an API v2 list, already JSON-decoded."""
        alerts = parse_payload(data, now=self._ws.clock.now(), source=source)
        return self.ingest(alerts)

    def poll(
        self,
        sources: Sequence[str],
        *,
        token_for: Callable[[str], str | None],
        timeout: float = 10.0,
    ) -> IngestReport:
        """Poll every source now and apply what they say (network first, then one write)."""
        results = poll_sources(
            sources, token_for=token_for, now=self._ws.clock.now(), timeout=timeout
        )
        return self.apply_poll(results)

    def apply_poll(self, results: Sequence[SourceResult]) -> IngestReport:
        """Alerts from sources that answered; a firing alert that a source which answered no
        longer lists has resolved. A source that failed resolves nothing."""
        alerts = [a for r in results if r.ok for a in r.alerts]
        answered = [r.source for r in results if r.ok]
        report = self.ingest(alerts, answered_sources=answered)
        report.errors = [r.error for r in results if not r.ok]
        report.unreachable = [host_of(r.source) for r in results if not r.reachable]
        return report

    def ingest(
        self, alerts: Sequence[Alert], *, answered_sources: Sequence[str] = ()
    ) -> IngestReport:
        now = self._ws.clock.now()
        report = IngestReport(received=len(alerts))
        unique: dict[str, Alert] = {}
        for alert in alerts:
            unique.setdefault(alert.fingerprint, alert)
        drafts: list[OpDraft] = []
        with self._ws.write() as conn:
            for alert in unique.values():
                old = alert_store.get(conn, alert.fingerprint)
                alert_store.upsert(conn, alert, now)
                if alert.firing and (old is None or not old.firing):
                    report.new.append(alert.fingerprint)
                if alert.firing:
                    drafts += self._refiring_drafts(conn, alert)
                if not alert.firing:
                    if old is None or old.firing:
                        report.resolved.append(alert.fingerprint)
                    drafts += self._resolution_drafts(conn, alert, now)
            for cached in alert_store.firing_from(conn, answered_sources):
                if cached.fingerprint in unique:
                    continue
                ended = cached.ends_at if cached.ends_at and cached.ends_at <= now else now
                gone = replace(cached, status=RESOLVED, ends_at=ended)
                alert_store.upsert(conn, gone, now)
                report.resolved.append(gone.fingerprint)
                drafts += self._resolution_drafts(conn, gone, now)
            alert_store.prune_resolved(conn, now - RESOLVED_KEPT)
            if drafts:
                ops = self._ws.append(conn, drafts)
                report.changes = ChangeSet.of(ops)
                report.logged = sum(1 for d in drafts if d.entity == Entity.ENTRY)
        return report

    # -- declaring and linking -----------------------------------------------------------

    def suggestion(self, key: str) -> tuple[Alert, Severity, str]:
        alert = self.find(key)
        return alert, self.mapping.severity_for(alert), self.mapping.reason(alert)

    def declare_from_alert(
        self, key: str, *, severity: Severity | str | None = None
    ) -> DeclaredFromAlert:
        """One action: the incident (title, services, suggested severity), the link, and
        "Alert fired" on its timeline at the time the alert fired."""
        alert, suggested, reason = self.suggestion(key)
        chosen = suggested if severity is None else parse_severity(str(severity))
        if severity is not None and chosen != suggested:
            reason = f"{chosen} chosen (mapping suggested {suggested})"
        with self._ws.unit_of_work() as conn:
            declared = self._incidents.declare(
                title=incident_title(alert),
                severity=chosen,
                services=self.mapping.services_for(alert),
            )
            changes = self._link(conn, declared.incident.id, alert, reason)
            incident = queries.get_incident(conn, declared.incident.id)
        assert incident is not None
        changes.incident_ids |= declared.changes.incident_ids
        changes.records_changed |= declared.changes.records_changed
        for incident_id, entries in declared.changes.entry_ids.items():
            changes.entry_ids.setdefault(incident_id, set()).update(entries)
        return DeclaredFromAlert(incident, alert, chosen, reason, changes)

    def link(self, key: str, incident_id: str) -> ChangeSet:
        """Attach an alert to an existing incident: logged, and its resolution will be."""
        alert, _severity, reason = self.suggestion(key)
        with self._ws.write() as conn:
            if not queries.incident_exists(conn, incident_id):
                raise NotFoundError(f"No incident with id {incident_id}.")
            return self._link(conn, incident_id, alert, reason)

    def _link(self, conn: Connection, incident_id: str, alert: Alert, reason: str) -> ChangeSet:
        links = alert_store.links_of(conn, alert.fingerprint)
        if any(link.incident_id == incident_id for link in links):
            raise ValidationError(f"Alert {alert.name} is already linked to this incident.")
        now = self._ws.clock.now()
        fired_at = min(alert.starts_at, now)
        action = f"Suggested severity: {reason}"
        if alert.generator_url:
            action += f"; source: {alert.generator_url}"
        drafts = [
            OpDraft(
                incident_id,
                Entity.ALERT_LINK,
                f"{incident_id}:{alert.fingerprint}",
                Field.CREATE,
                {
                    "fingerprint": alert.fingerprint,
                    "name": alert.name,
                    "summary": alert.summary,
                    "starts_at": iso(alert.starts_at),
                    "source": alert.source,
                    "generator_url": alert.generator_url,
                    "labels": dict(alert.labels),
                },
            ),
            system_entry(
                incident_id,
                fired_at,
                fired_event(alert),
                action[:4000],
                self._ws.author,
                _entry_id(incident_id, alert, "fired"),
            ),
        ]
        ops = self._ws.append(conn, drafts)
        if not alert.firing:
            ops += self._ws.append(conn, self._resolution_drafts(conn, alert, now))
        return ChangeSet.of(ops)

    def _refiring_drafts(self, conn: Connection, alert: Alert) -> list[OpDraft]:
        """For each incident whose alert resolved and now fires again (a later start): the
        link's new firing and "Alert fired again" at the time it started, so its next
        resolution is logged too."""
        drafts = []
        for link in alert_store.links_of(conn, alert.fingerprint):
            if link.resolved_at is None or alert.starts_at <= link.fired_at:
                continue
            drafts.append(
                OpDraft(
                    link.incident_id,
                    Entity.ALERT_LINK,
                    f"{link.incident_id}:{alert.fingerprint}",
                    Field.FIRED,
                    {"at": iso(alert.starts_at)},
                )
            )
            drafts.append(
                system_entry(
                    link.incident_id,
                    alert.starts_at,
                    refired_event(alert),
                    f"It had resolved at {link.resolved_at.astimezone(self._ws.zone):%H:%M}",
                    self._ws.author,
                    _entry_id(link.incident_id, alert, "fired"),
                )
            )
        return drafts

    def _resolution_drafts(self, conn: Connection, alert: Alert, now: datetime) -> list[OpDraft]:
        """For each incident this alert belongs to and has not yet resolved on: the link's
        resolution and the "Alert resolved" entry at the time it ended."""
        when = min(alert.ends_at or now, now)
        drafts = []
        for link in alert_store.links_of(conn, alert.fingerprint):
            if link.resolved_at is not None:
                continue
            drafts.append(
                OpDraft(
                    link.incident_id,
                    Entity.ALERT_LINK,
                    f"{link.incident_id}:{alert.fingerprint}",
                    Field.RESOLVED,
                    {"at": iso(when)},
                )
            )
            drafts.append(
                system_entry(
                    link.incident_id,
                    max(when, link.fired_at),
                    resolved_event(alert.name),
                    "",
                    self._ws.author,
                    _entry_id(link.incident_id, alert, "resolved"),
                )
            )
        return drafts


def _entry_id(incident_id: str, alert: Alert, what: str) -> str:
    """The same id on every laptop for the same fact: duplicates collapse on apply."""
    key = f"{incident_id}:{alert.fingerprint}:{iso(alert.starts_at)}:{what}"
    return str(uuid.uuid5(_ENTRY_NAMESPACE, key))
