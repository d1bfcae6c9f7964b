"""Past incidents that resemble this one: what happened then, and what was done about it.

Everything is read from the local workspace (nothing leaves the laptop): the features of
every earlier incident (services, linked alerts and their labels, the words of its title and
first hour, ``core.similarity``), and for the five best matches the review's root cause and
resolution, the duration, and the runbook steps that were run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import iso, to_ms
from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.core.review_metrics import format_duration
from commander.core.similarity import Features, Resemblance, compare
from commander.services.review import ReviewService
from commander.services.workspace import Workspace
from commander.storage import queries, similar_queries

LIMIT = 5
EARLY = timedelta(hours=1)  # "early timeline text": the first hour after declaring
EARLY_ENTRIES = 30
RUNBOOK_PREFIX = "Runbook — "  # the event of a runbook step that was run (services.runbooks)
ROOT_CAUSE_KEYS = ("primary_cause", "why_it_happened", "agenda_root_cause")
RESOLUTION_KEYS = ("resolution_steps", "how_we_responded")


@dataclass(frozen=True)
class Probe:
    """The incident being declared (or just declared) that past ones are compared with."""

    features: Features
    before: datetime | None = None  # only incidents declared up to then
    exclude: str = ""


@dataclass(frozen=True)
class SimilarIncident:
    incident: Incident
    resemblance: Resemblance
    duration: timedelta | None
    root_cause: str
    resolution: str
    runbook_steps: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return self.resemblance.explanation

    @property
    def duration_text(self) -> str:
        return "unresolved" if self.duration is None else format_duration(self.duration)

    # Hand-written: flattens the incident and the resemblance.
    def to_json(self) -> dict[str, Any]:
        i = self.incident
        return {
            "incident_id": i.id,
            "ref": i.ref,
            "title": i.title,
            "severity": i.severity.value,
            "status": i.status.value,
            "declared_at": iso(i.declared_at),
            "duration_seconds": None if self.duration is None else self.duration.total_seconds(),
            "score": self.resemblance.score,
            "reasons": list(self.resemblance.reasons),
            "explanation": self.explanation,
            "root_cause": self.root_cause,
            "resolution": self.resolution,
            "runbook_steps": list(self.runbook_steps),
        }


def _early_text(conn: Connection, incident_id: str, declared_ms: int) -> str:
    """What people wrote in the first hour (the app's own entries left out)."""
    until_ms = declared_ms + int(EARLY.total_seconds() * 1000)
    return similar_queries.people_entry_texts(conn, incident_id, until_ms, EARLY_ENTRIES)


def _runbook_steps(conn: Connection, incident_id: str) -> tuple[str, ...]:
    """The runbook steps run, in the order they were: those logged as run ("Runbook — …")
    and those ticked done on the checklist, each named as the timeline names it."""
    rows = [
        (at_ms, event[len(RUNBOOK_PREFIX) :].strip())
        for at_ms, event in similar_queries.entry_events_starting(conn, incident_id, RUNBOOK_PREFIX)
    ]
    rows += similar_queries.runbook_steps_ticked(conn, incident_id)
    steps: list[str] = []
    for _, step in sorted(rows, key=lambda row: row[0]):
        if step and step not in steps:
            steps.append(step)
    return tuple(steps)


class SimilarService:
    """Finding past incidents like this one (read-only; safe on a worker thread)."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def probe_for(self, incident_id: str) -> Probe:
        """The features of a recorded incident: services, alerts, title and first hour."""
        with self._ws.read() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise CommanderError(f"No incident with id {incident_id}.")
            text = (
                f"{incident.title}\n{_early_text(conn, incident.id, to_ms(incident.declared_at))}"
            )
            names, labels = similar_queries.alert_features_by_incident(conn).get(
                incident.id, (set(), set())
            )
        features = Features.of(services=incident.services, alerts=names, labels=labels, text=text)
        return Probe(features, before=incident.declared_at, exclude=incident.id)

    def probe_draft(
        self,
        title: str,
        services: Iterable[str] = (),
        alerts: Iterable[str] = (),
        labels: Iterable[tuple[str, str]] = (),
    ) -> Probe:
        """An incident not declared yet (the declare dialog, as it is filled in)."""
        return Probe(Features.of(services=services, alerts=alerts, labels=labels, text=title))

    def similar(self, probe: Probe, *, limit: int = LIMIT) -> list[SimilarIncident]:
        """Up to ``limit`` past incidents sharing something with ``probe``, best first."""
        with self._ws.read() as conn:
            incidents = [
                i
                for i in queries.list_incidents(conn)
                if i.id != probe.exclude and (probe.before is None or i.declared_at <= probe.before)
            ]
            alerts = similar_queries.alert_features_by_incident(conn)
            scored: list[tuple[Resemblance, Incident]] = []
            for incident in incidents:
                names, labels = alerts.get(incident.id, (set(), set()))
                early = _early_text(conn, incident.id, to_ms(incident.declared_at))
                past = Features.of(
                    services=incident.services,
                    alerts=names,
                    labels=labels,
                    text=f"{incident.title}\n{early}",
                )
                resemblance = compare(probe.features, past)
                if resemblance.reasons:
                    scored.append((resemblance, incident))
            scored.sort(key=lambda pair: (-pair[0].score, -to_ms(pair[1].declared_at)))
            picked = scored[:limit]
            details = [
                (
                    similar_queries.first_review_text(conn, i.id, ROOT_CAUSE_KEYS),
                    similar_queries.first_review_text(conn, i.id, RESOLUTION_KEYS),
                    _runbook_steps(conn, i.id),
                )
                for _, i in picked
            ]
        review = ReviewService(self._ws)
        out: list[SimilarIncident] = []
        for (resemblance, incident), (cause, resolution, steps) in zip(
            picked, details, strict=True
        ):
            try:
                duration = review.metrics(incident.id).duration
            except CommanderError:
                duration = None
            out.append(SimilarIncident(incident, resemblance, duration, cause, resolution, steps))
        return out

    def for_incident(self, incident_id: str, *, limit: int = LIMIT) -> list[SimilarIncident]:
        return self.similar(self.probe_for(incident_id), limit=limit)
