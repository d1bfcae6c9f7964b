"""Recording impact samples by hand (one, or a pasted export) and reading the series back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from commander.core.clock import from_ms, iso
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.impact import (
    Metric,
    PasteResult,
    Sample,
    check_value,
    parse_metric,
    parse_rows,
)
from commander.core.limits import check_backfill
from commander.core.ops import Entity, Field
from commander.core.records import ChangeSet
from commander.core.text import SHORT_MAX, clean_text
from commander.services.workspace import Workspace
from commander.storage import impact_queries, queries
from commander.storage.oplog import OpDraft


@dataclass(frozen=True)
class StoredSample:
    id: str
    metric: Metric
    at: datetime
    value: float
    author: str


@dataclass(frozen=True)
class ImpactTail:
    """What changed in an incident's impact since a live view last read it."""

    counts: dict[Metric, int]  # samples per metric now, struck ones left out
    new: dict[Metric, list[Sample]]  # arrived since, in arrival order
    last_row: int  # pass it to the next ``series_after``


class ImpactService:
    """Impact time series of incidents."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def workspace(self) -> Workspace:
        return self._ws

    def add(
        self,
        incident_id: str,
        metric: Metric | str,
        value: float,
        at: datetime | None = None,
    ) -> ChangeSet:
        """One sample, logged on the timeline ("Impact: Error rate 12 % at 10:05")."""
        metric = metric if isinstance(metric, Metric) else parse_metric(metric)
        value = check_value(metric, value)
        now = self._ws.clock.now()
        at = at or now
        if at - now > timedelta(minutes=5):
            raise ValidationError("An impact sample cannot be in the future.")
        local = at.astimezone(self._ws.zone)
        event = f"Impact: {metric.label} {value:g} {metric.unit} at {local:%H:%M}"
        return self._write(incident_id, metric, [Sample(at, value)], event)

    def add_rows(
        self, incident_id: str, metric: Metric | str, text: str
    ) -> tuple[PasteResult, ChangeSet]:
        """Pasted ``time,value`` rows in one transaction; bad rows are reported, not dropped."""
        metric = metric if isinstance(metric, Metric) else parse_metric(metric)
        now = self._ws.clock.now()
        result = parse_rows(text, metric, now=now, zone=self._ws.zone)
        if not result.samples:
            reasons = "; ".join(f"line {n}: {why}" for n, why in result.skipped[:3])
            raise ValidationError(f"No samples to record{': ' + reasons if reasons else '.'}")
        event = f"Impact: {len(result.samples)} samples of {metric.label} recorded"
        if result.skipped:
            event += f" ({len(result.skipped)} rows skipped)"
        return result, self._write(incident_id, metric, result.samples, event, logged_at=now)

    def strike(self, sample_id: str, reason: str) -> ChangeSet:
        reason = clean_text(reason, what="Reason", limit=SHORT_MAX, required=True)
        with self._ws.read() as conn:
            incident_id = impact_queries.sample_incident_id(conn, sample_id)
        if incident_id is None:
            raise NotFoundError(f"No impact sample with id {sample_id}.")
        with self._ws.write() as conn:
            ops = self._ws.append(
                conn,
                [OpDraft(incident_id, Entity.IMPACT, sample_id, Field.STRIKE, {"reason": reason})],
            )
        return ChangeSet.of(ops)

    def samples(self, incident_id: str) -> list[StoredSample]:
        """Every sample not struck, by metric then time."""
        with self._ws.read() as conn:
            rows = impact_queries.live_samples(conn, incident_id)
        return [StoredSample(i, Metric(m), from_ms(at), v, a) for i, m, at, v, a in rows]

    def counts(self, incident_id: str) -> dict[Metric, int]:
        """How many samples each metric has (not struck): one aggregate, no rows read out."""
        with self._ws.read() as conn:
            return _by_metric(impact_queries.live_sample_counts(conn, incident_id))

    def series_after(self, incident_id: str, after: int) -> ImpactTail:
        """Each metric's count, and the samples stored after row ``after`` (by arrival):
        a live view that holds the rest reads only what is new, so a display following an
        incident for days does not re-read its whole history every few seconds."""
        with self._ws.read() as conn:
            counts = _by_metric(impact_queries.live_sample_counts(conn, incident_id))
            rows = impact_queries.live_samples_after(conn, incident_id, after)
        new: dict[Metric, list[Sample]] = {}
        for _row, metric, at, value in rows:
            new.setdefault(Metric(metric), []).append(Sample(from_ms(at), value))
        return ImpactTail(counts, new, rows[-1][0] if rows else after)

    def last_row(self, incident_id: str) -> int:
        """Where ``series_after`` should start for a view built from ``series`` now."""
        with self._ws.read() as conn:
            return impact_queries.last_sample_row(conn, incident_id)

    def series(self, incident_id: str) -> dict[Metric, list[Sample]]:
        result: dict[Metric, list[Sample]] = {}
        for sample in self.samples(incident_id):
            result.setdefault(sample.metric, []).append(Sample(sample.at, sample.value))
        return result

    def _write(
        self,
        incident_id: str,
        metric: Metric,
        samples: Sequence[Sample],
        event: str,
        logged_at: datetime | None = None,
    ) -> ChangeSet:
        """Samples and one timeline entry: at the sample's time, or ``logged_at`` (a paste)."""
        now = self._ws.clock.now()
        drafts = [
            OpDraft(
                incident_id,
                Entity.IMPACT,
                new_id(),
                Field.SAMPLE,
                {"metric": metric.value, "at": iso(s.at), "value": s.value},
            )
            for s in samples
        ]
        drafts.append(
            OpDraft(
                incident_id,
                Entity.ENTRY,
                new_id(),
                Field.CREATE,
                {
                    "occurred_at": iso(logged_at or min(max(s.at for s in samples), now)),
                    "event": event,
                    "action": "",
                    "owner": self._ws.author,
                    "kind": "system",
                },
            )
        )
        with self._ws.write() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            earliest = min(s.at for s in samples)
            check_backfill(earliest, incident.declared_at, what="An impact sample")
            ops = self._ws.append(conn, drafts)
        return ChangeSet.of(ops)


def _by_metric(counts: dict[str, int]) -> dict[Metric, int]:
    return {Metric(m): n for m, n in counts.items()}
