"""The search (services/search.py): one query over every incident, grouped by incident and
narrowed by filters, with a one-sentence refusal; and the index it reads stays consistent
whatever path changed the tables.

Two laptops edit every searchable kind of record in random order; ops travel between them
through the one apply path sync uses (``oplog.store`` + ``oplog.apply``), some scopes are
replayed from their ops (what a re-ordering does). After every run, on both laptops: every
search result exists and contains what was searched, every record containing it is found
(an oracle reading the tables in Python), FTS5's own integrity check passes, and a rebuilt
index holds exactly the rows the triggers kept.
"""

from __future__ import annotations

import contextlib
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commander.core.clock import FakeClock
from commander.core.errors import CommanderError, ValidationError
from commander.services.action_items import ActionItemService
from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.services.search import (
    SearchFilters,
    SearchService,
    parse_severities,
    parse_statuses,
)
from commander.services.workspace import Workspace
from commander.storage import oplog, search_index
from commander.storage.database import dbapi
from tests.services.ops_exchange import copy_ops

VOCAB = ["Certificate", "expired", "GATEWAY", "renewal", "mongo", "Timeout", "rollback"]
TERMS = [
    "cert",
    "EXPIR",
    "gate",
    "renew",
    "ngo",
    "timeout",
    "back",
    "ifi",
    "way",
    "istioctl",
    "kubectl",
]
ACTIONS = [
    "declare",
    "log",
    "amend",
    "strike",
    "title",
    "services",
    "review",
    "item",
    "edit",
    "tick",
    "step",
]
STEPS = ["cert.certificates", "net.proxy-status", "recovery.pod-restart", "1.1"]


def _text(rng: random.Random) -> str:
    words = rng.choices([*VOCAB, "plain", "words"], k=rng.randint(1, 4))
    return " ".join(w if rng.random() < 0.5 else w.swapcase() for w in words)


def _act(ws: Workspace, action: str, rng: random.Random) -> None:
    service = IncidentService(ws)
    incidents = service.list()
    if action == "declare" or not incidents:
        service.declare(title=_text(rng), severity="P2", services=[rng.choice(VOCAB).lower()])
        return
    incident = rng.choice(incidents)
    entries = service.timeline(incident.id)
    if action == "log":
        service.log(incident.id, _text(rng), action=_text(rng), owner=rng.choice(["", "mongo"]))
    elif action == "amend" and entries:
        service.amend(rng.choice(entries).id, event=_text(rng))
    elif action == "strike" and entries:
        service.strike(rng.choice(entries).id, _text(rng))
    elif action == "title":
        service.set_field(incident.id, "title", _text(rng))
    elif action == "services":
        service.set_field(incident.id, "services", [rng.choice(VOCAB).lower()])
    elif action == "review":
        ReviewService(ws).set_field(incident.id, "primary_cause", rng.choice(["", _text(rng)]))
    elif action == "item":
        ActionItemService(ws).add_action_item(incident.id, _text(rng), owner="dana")
    elif action == "tick":
        ChecklistService(ws).tick(incident.id, rng.choice(STEPS), done=rng.random() < 0.7)
    elif action == "step":  # rename a runbook step, or take its command away and back
        key = rng.choice(STEPS[:3])
        changes = (
            {"text": _text(rng)}
            if rng.random() < 0.7
            else {"command": rng.choice(["", _text(rng)])}
        )
        ChecklistService(ws).edit_step(key, **changes)
    elif action == "edit":
        items = ActionItemService(ws).action_items(incident.id)
        if items:
            ActionItemService(ws).update_action_item(rng.choice(items).id, title=_text(rng))


def _expected(ws: Workspace, term: str) -> set[tuple[str, str]]:
    """What contains ``term``, read from the tables themselves (the oracle)."""
    needle = term.lower()
    queries = {
        "incident": "SELECT id, ref, title, services, impact FROM incident",
        "entry": "SELECT id, event, action, owner, amended_event, amended_action, "
        "strike_reason FROM entry",
        "review": "SELECT id, text FROM review_field",
        "action_item": "SELECT id, title, owner FROM action_item",
        "alert": "SELECT incident_id || ':' || fingerprint, name, summary FROM alert_link",
        "message": "SELECT id, subject, body FROM outbox WHERE state = 'sent'",
    }
    found: set[tuple[str, str]] = set()
    with ws.read() as conn:
        db = dbapi(conn)
        for kind, sql in queries.items():
            for key, *texts in db.execute(sql):
                if any(needle in (t or "").lower() for t in texts):
                    found.add((kind, key))
        checklists = ChecklistService(ws).checklists()
        steps = {s.key: (c, s) for c in checklists for s in c.steps if s.command}
        for incident_id, step_key in db.execute(
            "SELECT incident_id, step_key FROM checklist_tick WHERE done = 1"
        ):
            if step_key in steps:
                checklist, step = steps[step_key]
                texts = (step.text, step.command, step.note, checklist.title)
                if any(needle in t.lower() for t in texts):
                    found.add(("runbook", f"{incident_id}:{step_key}"))
    return found


def _check(ws: Workspace) -> None:
    search = SearchService(ws)
    for term in TERMS:
        assert search.matching_keys(term) == _expected(ws, term), term
    with ws.write() as conn:
        db = dbapi(conn)
        assert search_index.stale_count(db) == 0  # the search caught the index up
        search_index.integrity_check(db)
        incremental = search_index.documents(db)
        search_index.rebuild(db)
        assert search_index.documents(db) == incremental
        search_index.integrity_check(db)


plans = st.lists(
    st.tuples(
        st.sampled_from([0, 1]),
        st.sampled_from([*ACTIONS, "pull", "replay"]),
        st.integers(0, 10_000),
    ),
    min_size=3,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans)
def test_index_matches_the_tables_after_local_and_pulled_ops(plan) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as root:
        laptops = [
            Workspace.open(
                Path(root) / name,
                author=name,
                clock=FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC)),
                zone=UTC,
            )
            for name in ("ann", "ben")
        ]
        try:
            for who, action, seed in plan:
                rng = random.Random(seed)
                ws = laptops[who]
                ws.clock.advance(timedelta(seconds=rng.randint(1, 90)))  # type: ignore[attr-defined]
                if action == "pull":
                    copy_ops(laptops[1 - who], ws)
                elif action == "replay":
                    with ws.write() as conn:
                        for incident in IncidentService(ws).list():
                            oplog.reapply(conn, incident.id)
                else:
                    # an edit the record refuses (the same title again) makes no op
                    with contextlib.suppress(CommanderError):
                        _act(ws, action, rng)
            copy_ops(laptops[0], laptops[1])
            copy_ops(laptops[1], laptops[0])
            for ws in laptops:
                _check(ws)
        finally:
            for ws in laptops:
                ws.close()


def test_index_is_built_for_a_workspace_that_existed_before_it(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    ws = Workspace.open(tmp_path, author="ann", clock=clock, zone=UTC)
    service = IncidentService(ws)
    incident = service.declare(title="Gateway timeout", severity="P1").incident
    service.log(incident.id, "Rolled back the mongo driver")
    with ws.write() as conn:
        db = dbapi(conn)
        search_index.uninstall(db)  # as a workspace of the previous version holds it
        search_index.install(db)
    assert SearchService(ws).matching_keys("mongo") == _expected(ws, "mongo") != set()
    _check(ws)
    ws.close()


# -- the search itself ------------------------------------------------------------------------


def _story(incidents: IncidentService, workspace: Workspace, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Two incidents mentioning the gateway, the older one in a timeline entry and its review."""
    older = incidents.declare(
        title="Gateway timeout on checkout", severity="P1", services=["checkout"]
    ).incident
    clock.advance(timedelta(minutes=5))
    rolled, _ = incidents.log(older.id, "Rolled back the gateway release")
    clock.advance(timedelta(minutes=5))
    newer = incidents.declare(
        title="Gateway certificate expired", severity="P3", services=["edge"]
    ).incident
    ReviewService(workspace).set_field(older.id, "primary_cause", "gateway pool exhausted")
    return older, newer, rolled


def test_matches_are_grouped_by_incident_labelled_and_highlighted(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    older, newer, rolled = _story(incidents, workspace, clock)

    results = SearchService(workspace).search("gateway x")

    assert (results.terms, results.ignored, results.truncated) == (("gateway",), ("x",), False)
    assert results.summary() == "6 matches in 2 incidents; too short to look up: x"
    assert [g.ref for g in results.groups] == [older.ref, newer.ref]
    first = results.groups[0]
    assert (first.title, first.severity, first.status) == (
        "Gateway timeout on checkout",
        "P1",
        "investigating",
    )
    assert [h.label for h in first.hits] == [
        "Timeline",
        "Incident",
        "Timeline",
        "Review: Primary cause",
    ]
    log = next(h for h in first.hits if h.key == rolled.id)
    assert log.entry_id == rolled.id and log.at == older.declared_at + timedelta(minutes=5)
    assert (log.marked.text, log.marked.spans) == ("Rolled back the gateway release", ((16, 23),))
    review = first.hits[-1]
    assert review.entry_id is None and review.marked.spans == ((0, 7),)


def test_filters_and_the_limit_narrow_what_is_found(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    older, newer, _ = _story(incidents, workspace, clock)
    search = SearchService(workspace)

    low = search.search("gateway", SearchFilters(severities=parse_severities(["p3"])))
    assert [g.ref for g in low.groups] == [newer.ref] and low.hit_count == 2
    on_checkout = search.search("gateway", SearchFilters(service="checkout"))
    assert [g.ref for g in on_checkout.groups] == [older.ref] and on_checkout.hit_count == 4
    capped = search.search("gateway", limit=2)
    assert capped.truncated and capped.hit_count == 2
    assert capped.summary() == "2+ matches in 2 incidents (newest shown; add a word to narrow)"
    nothing = search.search("mongo")
    assert (nothing.groups, nothing.summary()) == ((), "0 matches in 0 incidents")


def test_the_json_form_carries_the_hit_with_its_label_and_highlights(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    older, _, rolled = _story(incidents, workspace, clock)

    document = SearchService(workspace).search("rolled").to_json()

    assert document["matches"] == 1 and document["truncated"] is False
    (group,) = document["incidents"]
    assert group["ref"] == older.ref and group["declared_at"] == "2026-11-28T10:00:00.000Z"
    assert group["hits"] == [
        {
            "kind": "entry",
            "label": "Timeline",
            "key": rolled.id,
            "entry_id": rolled.id,
            "at": "2026-11-28T10:05:00.000Z",
            "text": "Rolled back the gateway release",
            "highlights": [[0, 6]],
        }
    ]


def test_too_short_a_query_and_unknown_filters_are_one_sentence(workspace: Workspace) -> None:
    for text in ("a", "", "  x "):
        with pytest.raises(ValidationError) as refused:
            SearchService(workspace).search(text)
        assert str(refused.value) == "Type at least 3 characters of a word to search."
    assert parse_statuses([" Resolved", "MONITORING"]) == ("resolved", "monitoring")
    with pytest.raises(ValidationError) as refused:
        parse_statuses(["done"])
    assert str(refused.value) == (
        "Unknown status 'done'; use one of closed, identified, investigating, monitoring, resolved."
    )
    assert parse_severities(["p1", "P0"]) == ("P1", "P0")
    with pytest.raises(
        ValidationError, match=r"^Unknown severity 'urgent': use P0, P1, P2 or P3\.$"
    ):
        parse_severities(["urgent"])
