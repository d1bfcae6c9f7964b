"""Search everything: one query over the full-text index of every incident, grouped by incident.

Matches come newest first (the index's row order, which FTS5 walks without ranking every
match: a common word among a million entries costs no more than a rare one) up to ``limit``,
then are grouped by incident, each group in the order of its first match. Filters narrow by
the incident's severity, status, service and declaration date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import from_ms, iso, to_ms
from commander.core.errors import ValidationError
from commander.core.policy import Status
from commander.core.records_json import JsonRecord, json_computed, json_field
from commander.core.review import REVIEW_LABELS
from commander.core.search_text import Marked, match_query, unmark
from commander.core.severity_names import BUILTIN, SeverityNames
from commander.services.workspace import Workspace
from commander.storage import search_index, search_queries
from commander.storage.search_index import catch_up_index

DEFAULT_LIMIT = 200

KIND_LABELS = {
    "incident": "Incident",
    "entry": "Timeline",
    "review": "Review",
    "action_item": "Action item",
    "message": "Message sent",
    "alert": "Alert",
    "runbook": "Runbook step",
}


@dataclass(frozen=True)
class SearchFilters(JsonRecord):
    """What narrows a search; empty means no restriction."""

    severities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    service: str = ""
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Hit:
    """One matching record: ``key`` is the entry id for a timeline match (open it there)."""

    kind: str
    key: str
    incident_id: str
    at: datetime
    marked: Marked
    section: str = ""  # the review section's label

    @property
    def label(self) -> str:
        base = KIND_LABELS.get(self.kind, self.kind)
        return f"{base}: {self.section}" if self.section else base

    @property
    def entry_id(self) -> str | None:
        return self.key if self.kind == "entry" else None

    # Hand-written: adds the computed label and entry id and unpacks the marked text.
    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "key": self.key,
            "entry_id": self.entry_id,
            "at": iso(self.at),
            "text": self.marked.text,
            "highlights": [list(span) for span in self.marked.spans],
        }


@dataclass(frozen=True)
class IncidentHits(JsonRecord):
    """The matches of one incident, in time order."""

    incident_id: str
    ref: str
    title: str
    severity: str
    status: str
    declared_at: datetime
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class SearchResults(JsonRecord):
    query: str
    terms: tuple[str, ...]
    ignored: tuple[str, ...]
    groups: tuple[IncidentHits, ...] = field(metadata=json_field(name="incidents"))
    # more matched than ``limit``: the oldest were left out
    truncated: bool = field(metadata=json_field(before="groups"))
    filters: SearchFilters = field(
        default_factory=SearchFilters, metadata=json_field(before="truncated")
    )

    JSON_COMPUTED = (json_computed("hit_count", name="matches", before="groups"),)

    @property
    def hit_count(self) -> int:
        return sum(len(group.hits) for group in self.groups)

    def summary(self) -> str:
        """One line: how many matches, in how many incidents, and what was left out."""
        count = self.hit_count
        text = (
            f"{count}{'+' if self.truncated else ''} match{'es' if count != 1 else ''} "
            f"in {len(self.groups)} incident{'s' if len(self.groups) != 1 else ''}"
        )
        if self.truncated:
            text += " (newest shown; add a word to narrow)"
        if self.ignored:
            text += f"; too short to look up: {', '.join(self.ignored)}"
        return text


def run_search(
    conn: Connection,
    text: str,
    filters: SearchFilters = SearchFilters(),
    *,
    limit: int = DEFAULT_LIMIT,
) -> SearchResults:
    """The search on an open connection (the benchmark times exactly this).

    Raises:
        ValidationError: nothing long enough was typed, or the index refused the query.
    """
    query = match_query(text)
    rows = search_queries.search_hit_rows(
        conn,
        query.expression,
        severities=filters.severities,
        statuses=filters.statuses,
        service=filters.service,
        since_ms=None if filters.since is None else to_ms(filters.since),
        until_ms=None if filters.until is None else to_ms(filters.until),
        limit=limit + 1,
    )
    truncated = len(rows) > limit
    groups: dict[str, list[Any]] = {}
    heads: dict[str, tuple[Any, ...]] = {}
    for row in rows[:limit]:
        kind, key, incident_id, at_ms, marked = row[:5]
        heads.setdefault(incident_id, row[5:])
        section = ""
        if kind == "review":
            section = REVIEW_LABELS.get(str(key).partition(":")[2], "")
        groups.setdefault(incident_id, []).append(
            Hit(kind, key, incident_id, from_ms(at_ms), unmark(marked), section)
        )
    result = tuple(
        IncidentHits(
            incident_id,
            heads[incident_id][0],
            heads[incident_id][1],
            heads[incident_id][2],
            heads[incident_id][3],
            from_ms(heads[incident_id][4]),
            tuple(sorted(hits, key=lambda h: (h.at, h.kind, h.key))),
        )
        for incident_id, hits in groups.items()
    )
    return SearchResults(text, query.terms, query.ignored, result, truncated, filters)


class SearchService:
    """Searching the open workspace (safe on a worker thread).

    Each search first indexes what changed since the index last caught up (usually nothing;
    after a pull, what sync has not caught up yet), so it never misses a row.
    """

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def catch_up(self, chunk: int = search_index.CATCH_UP_CHUNK) -> int:
        """Index every noted change, ``chunk`` rows per transaction; returns how many."""
        return catch_up_index(self._ws.engine, chunk)

    def search(
        self,
        text: str,
        filters: SearchFilters = SearchFilters(),
        *,
        limit: int = DEFAULT_LIMIT,
    ) -> SearchResults:
        self.catch_up()
        with self._ws.read() as conn:
            return run_search(conn, text, filters, limit=limit)

    def matching_keys(self, text: str) -> set[tuple[str, str]]:
        """Every (kind, key) matching ``text``, unlimited (consistency checks)."""
        query = match_query(text)
        self.catch_up()
        with self._ws.read() as conn:
            return search_queries.matching_kind_keys(conn, query.expression)


def parse_statuses(values: Sequence[str]) -> tuple[str, ...]:
    """Status names as typed (any case), checked against the procedure's."""
    known = {s.value for s in Status}
    out: list[str] = []
    for value in values:
        name = value.strip().lower()
        if name not in known:
            raise ValidationError(
                f"Unknown status {value!r}; use one of {', '.join(sorted(known))}."
            )
        out.append(name)
    return tuple(out)


def parse_severities(values: Sequence[str], names: SeverityNames = BUILTIN) -> tuple[str, ...]:
    """Severities as typed (``p1``, ``SEV2``, ``major``): the stored keys they name."""
    return tuple(names.parse(value).value for value in values)
