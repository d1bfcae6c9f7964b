"""Reads that compare past incidents (storage/similar_queries.py): what people wrote up to a
time (amended text, no struck or system entries, at most a limit), each incident's alert names
and cached labels, the first review section written, and entries starting with a prefix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.alerts import FIRING, Alert
from commander.core.checklists import step_title
from commander.core.clock import FakeClock, from_ms
from commander.core.entry_kinds import Kind
from commander.core.ops import Entity, Field, register_change
from commander.core.procedure_checklists import BUILTIN_CHECKLISTS
from commander.storage import alert_store
from commander.storage import similar_queries as sim
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.foreign_ops import WALL0, feed, iso_of, op
from tests.storage.table_rows import entry_row, put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _said(n: int, entry_id: str, event: str, action: str = "", kind: str = "observation") -> Any:
    value = {"occurred_at": iso_of(n), "event": event, "action": action, "kind": kind}
    return op(n, Entity.ENTRY, entry_id, Field.CREATE, value, op_id=f"op-{entry_id}")


def test_people_texts_up_to_a_time_amended_and_without_struck_or_system(conn: Connection) -> None:
    feed(conn, [
        _said(1, "sys", "Incident declared: P1", kind="system"),
        _said(2, "e1", "pool exhausted", "raised pool size"),
        _said(3, "e2", "wrong box"),
        _said(4, "e3", "lag on replica"),
        _said(9, "late", "after the cut"),
        op(5, Entity.ENTRY, "e2", Field.STRIKE, {"reason": "typo"}),
        op(6, Entity.ENTRY, "e3", Field.AMEND, {"event": "lag on replica-2", "action": None}),
    ])  # fmt: skip
    text = sim.people_entry_texts(conn, "inc", WALL0 + 4, limit=10)
    assert text == "pool exhausted raised pool size\nlag on replica-2 "
    assert sim.people_entry_texts(conn, "inc", WALL0 + 9, limit=1) == (
        "pool exhausted raised pool size"
    )
    assert sim.people_entry_texts(conn, "inc", WALL0 + 1, limit=10) == ""
    assert sim.people_entry_texts(conn, "missing", WALL0 + 9, limit=10) == ""


def test_entries_starting_with_a_prefix_in_timeline_order(conn: Connection) -> None:
    feed(conn, [
        _said(3, "e3", "Runbook step run: restart"),
        _said(1, "e1", "Runbook step run: drain"),
        _said(2, "e2", "Runbook step run: struck"),
        _said(4, "e4", "Not a runbook step run"),
        op(5, Entity.ENTRY, "e2", Field.STRIKE, {"reason": "no"}),
    ])  # fmt: skip
    assert sim.entry_events_starting(conn, "inc", "Runbook step run: ") == [
        (WALL0 + 1, "Runbook step run: drain"),
        (WALL0 + 3, "Runbook step run: restart"),
    ]
    assert sim.entry_events_starting(conn, "inc", "Nothing") == []


def _link(n: int, incident: str, fingerprint: str, name: str) -> Any:
    value = {"name": name, "summary": "", "starts_at": iso_of(n)}
    return op(n, Entity.ALERT_LINK, f"{incident}:{fingerprint}", Field.CREATE, value,
              incident=incident)  # fmt: skip


def test_alert_names_and_cached_labels_by_incident(conn: Connection, clock: FakeClock) -> None:
    feed(conn, [
        _link(1, "inc-a", "f1", "HighLatency"),
        _link(2, "inc-a", "f2", "PoolExhausted"),
        _link(3, "inc-b", "f1", "HighLatency"),
        _link(4, "inc-b", "gone", "Expired"),  # no longer in the cache: its name still counts
    ])  # fmt: skip
    for fingerprint, labels in (("f1", {"svc": "api", "env": "prod"}), ("f2", {"svc": "db"})):
        alert = Alert(fingerprint, FIRING, labels, {}, from_ms(WALL0))
        alert_store.upsert(conn, alert, clock.now() + timedelta(minutes=1))
    features = sim.alert_features_by_incident(conn)
    assert features == {
        "inc-a": ({"HighLatency", "PoolExhausted"},
                  {("svc", "api"), ("env", "prod"), ("svc", "db")}),
        "inc-b": ({"HighLatency", "Expired"}, {("svc", "api"), ("env", "prod")}),
    }  # fmt: skip


def test_unreadable_cached_labels_leave_only_the_name(conn: Connection, clock: FakeClock) -> None:
    feed(conn, [_link(1, "inc", "f1", "HighLatency")])
    alert_store.upsert(conn, Alert("f1", FIRING, {"a": "b"}, {}, from_ms(WALL0)), clock.now())
    conn.exec_driver_sql("UPDATE alert SET labels = '[1, 2]' WHERE fingerprint = 'f1'")
    assert sim.alert_features_by_incident(conn) == {"inc": ({"HighLatency"}, set())}


def test_the_first_review_section_written(conn: Connection) -> None:
    def section(n: int, key: str, text: str) -> Any:
        return op(n, Entity.REVIEW, "inc", key, register_change(text, None))

    feed(conn, [section(1, "primary_cause", "  \n "), section(2, "what_happened", " bad deploy\n")])
    keys = ["primary_cause", "what_happened", "customer_impact"]
    assert sim.first_review_text(conn, "inc", keys) == "bad deploy"  # a blank one skipped
    assert sim.first_review_text(conn, "inc", ["customer_impact"]) == ""
    assert sim.first_review_text(conn, "other", keys) == ""
    assert sim.first_review_text(conn, "inc", []) == ""


def test_similar_reads_people_text_alerts_and_runbook_steps(conn: Connection) -> None:
    put(
        conn,
        t.entry_table,
        entry_row("e1", "inc-a", 100, "first", action="looked", amended_event="first, amended"),
        entry_row("e2", "inc-a", 150, "app's own", kind=Kind.SYSTEM),
        entry_row("e3", "inc-a", 200, "Runbook — restart", struck=1),
        entry_row("e4", "inc-a", 300, "Runbook — drain"),
        entry_row("e5", "inc-a", 400, "too late"),
    )
    assert sim.people_entry_texts(conn, "inc-a", 350, 10) == (
        "first, amended looked\nRunbook — drain "
    )
    assert sim.people_entry_texts(conn, "inc-a", 1_000, 1) == "first, amended looked"
    assert sim.entry_events_starting(conn, "inc-a", "Runbook") == [(300, "Runbook — drain")]
    link = {"summary": "", "fired_at": 1, "linked_at": 1, "resolved_at": None, "author": "a"}
    put(
        conn,
        t.alert_link_table,
        {"incident_id": "inc-a", "fingerprint": "f1", "name": "HighLatency", **link},
        {"incident_id": "inc-a", "fingerprint": "f2", "name": "Uncached", **link},
    )
    alert = {
        "status": "firing", "name": "HighLatency", "annotations": "{}", "starts_at": 1,
        "ends_at": None, "generator_url": "", "silenced_by": "[]", "inhibited_by": "[]",
        "source": "am", "first_seen": 1, "last_seen": 1,
    }  # fmt: skip
    put(conn, t.alert_table, {"fingerprint": "f1", "labels": json.dumps({"svc": "web"}), **alert})
    assert sim.alert_features_by_incident(conn) == {
        "inc-a": ({"HighLatency", "Uncached"}, {("svc", "web")})
    }
    checklist, step = next((c, s) for c in BUILTIN_CHECKLISTS for s in c.steps if s.is_runbook)
    tick = {"incident_id": "inc-a", "author": "a"}
    put(
        conn,
        t.checklist_tick_table,
        {"step_key": step.key, "done": 1, "at_ms": 42, **tick},
        {"step_key": "not-a-runbook-step", "done": 1, "at_ms": 43, **tick},
    )
    assert sim.runbook_steps_ticked(conn, "inc-a") == [(42, step_title(checklist, step))]
