"""The search's statements (storage/search_queries.py): matches of an FTS expression newest
indexed first with their incident's heading, narrowed by severity, status, service and
declaration time, short texts marked whole and long ones as a snippet; a bad expression is a
``ValidationError``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.clock import FakeClock, to_ms
from commander.core.errors import ValidationError
from commander.core.search_text import MARK_END, MARK_START, match_query
from commander.services.incidents import IncidentService
from commander.services.search import SearchService
from commander.services.workspace import Workspace
from commander.storage import search_queries as sq


def _expr(text: str) -> str:
    return match_query(text).expression


def _hits(workspace: Workspace, text: str, kind: str = "", **filters) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(kind, key) of each match, of ``kind`` only when given."""
    SearchService(workspace).catch_up()
    with workspace.read() as conn:
        found = sq.search_hit_rows(conn, _expr(text), limit=50, **filters)
    return [(row[0], row[1]) for row in found if not kind or row[0] == kind]


def test_matches_come_newest_first_with_their_incident_heading(
    workspace: Workspace, incidents: IncidentService
) -> None:
    declared = incidents.declare(title="Checkout pool errors", severity="P1", services=["api"])
    incident = declared.incident
    search = SearchService(workspace)
    search.catch_up()
    ids = []
    for n in range(3):  # each indexed in its own catch-up, so the index's order is theirs
        ids.append(incidents.log(incident.id, f"pool exhausted on db-{n}")[0].id)
        search.catch_up()
    with workspace.read() as conn:
        rows = sq.search_hit_rows(conn, _expr("pool"), limit=10)
        limited = sq.search_hit_rows(conn, _expr("pool"), limit=2)
        none = sq.search_hit_rows(conn, _expr("nothing-like-it"), limit=10)
    assert [(row[0], row[1]) for row in rows[:3]] == [("entry", e) for e in reversed(ids)]
    declaration = {row[0]: row[1] for row in rows[3:]}  # the record and its first entry
    assert len(rows) == 5 and declaration["incident"] == incident.id
    _kind, _key, incident_id, at_ms, marked, ref, title, severity, status, declared_at = rows[0]
    assert (incident_id, ref, title, severity, status) == (
        incident.id, incident.ref, "Checkout pool errors", "P1", "investigating",
    )  # fmt: skip
    assert marked.rstrip("\n") == f"{MARK_START}pool{MARK_END} exhausted on db-2"  # + empty lines
    assert declared_at == to_ms(incident.declared_at) and at_ms >= declared_at
    assert [(row[0], row[1]) for row in limited] == [("entry", ids[2]), ("entry", ids[1])]
    assert none == []


def test_a_long_text_is_a_snippet_around_the_match(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="Slow pages", severity="P3").incident
    incidents.log(incident.id, "filler " * 80 + "the cache stampede began " + "more " * 80)
    SearchService(workspace).catch_up()
    with workspace.read() as conn:
        (row,) = sq.search_hit_rows(conn, _expr("stampede"), limit=5)
    marked = row[4]
    assert f"{MARK_START}sta" in marked and "…" in marked
    assert len(marked) < sq.WHOLE_TEXT


def test_filters_narrow_by_the_incident(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    early = incidents.declare(title="Broker outage one", severity="P1", services=["Kafka"])
    clock.advance(timedelta(hours=2))
    late = incidents.declare(title="Broker outage two", severity="P3", services=["api"])
    incidents.set_field(late.incident.id, "status", "identified")
    a, b = ("incident", early.incident.id), ("incident", late.incident.id)
    assert _hits(workspace, "broker outage", "incident") == [b, a]
    assert _hits(workspace, "broker outage", "incident", severities=["P1", "P2"]) == [a]
    assert _hits(workspace, "broker outage", "incident", statuses=["identified"]) == [b]
    assert _hits(workspace, "broker outage", "incident", service=" kafka ") == [
        a
    ]  # any case, trimmed
    assert _hits(workspace, "broker outage", "incident", service="  ") == [b, a]  # blank: no filter
    split = to_ms(late.incident.declared_at)
    assert _hits(workspace, "broker outage", "incident", since_ms=split) == [b]
    assert _hits(workspace, "broker outage", "incident", until_ms=split) == [a]
    assert (
        _hits(workspace, "broker outage", "incident", severities=["P3"], statuses=["resolved"])
        == []
    )


def test_struck_and_amended_entries_are_found_by_every_text(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="Login failures", severity="P2").incident
    entry, _ = incidents.log(incident.id, "restarted auth-service")
    incidents.amend(entry.id, event="restarted auth-gateway")
    incidents.strike(entry.id, "wrong incident entirely")
    assert _hits(workspace, "auth-service", "entry") == [("entry", entry.id)]
    assert _hits(workspace, "auth-gateway", "entry") == [("entry", entry.id)]
    assert _hits(workspace, "entirely", "entry") == [("entry", entry.id)]


def test_every_matching_key_and_a_refused_expression(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="Disk full on node-7", severity="P2").incident
    entries = [incidents.log(incident.id, f"node-7 disk at {n}0%")[0].id for n in range(8, 10)]
    SearchService(workspace).catch_up()
    with workspace.read() as conn:
        keys = sq.matching_kind_keys(conn, _expr("node-7"))
        assert sq.matching_kind_keys(conn, _expr("zzzzzz")) == set()
        with pytest.raises(ValidationError, match="could not be run"):
            sq.search_hit_rows(conn, '"unterminated', limit=5)
    assert keys > {("incident", incident.id), *(("entry", e) for e in entries)}
    assert len(keys) == 4  # and the declaration's entry, which names the title
