"""Reads of an incident's materialized rows (storage/*_queries.py): filters and order against a
real workspace file, rows written straight into the tables the ops would fill."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, insert

from commander.core.checklists import step_title
from commander.core.entry_kinds import Kind
from commander.core.ops import Field
from commander.core.procedure_checklists import BUILTIN_CHECKLISTS
from commander.storage import (
    action_item_queries,
    checklist_queries,
    comms_queries,
    deadline_queries,
    impact_queries,
    review_queries,
    runbook_queries,
    similar_queries,
)
from commander.storage import tables as t
from commander.storage.database import open_engine


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _put(conn: Connection, table: Table, *rows: dict[str, Any]) -> None:
    for row in rows:  # one by one: rows may leave out different defaulted columns
        conn.execute(insert(table).values(**row))


def _entry(entry_id: str, incident_id: str, at_ms: int, event: str, **more: Any) -> dict[str, Any]:
    row = {
        "id": entry_id, "incident_id": incident_id, "occurred_at": at_ms, "hlc": f"h{at_ms:06d}",
        "node_id": "n1", "kind": "note", "event": event, "action": "", "owner": "",
        "author": "alice", "struck": 0, "strike_reason": "", "amended_event": None,
        "amended_action": None,
    }  # fmt: skip
    return {**row, **more}


def test_action_items_need_a_due_date_and_match_by_id_prefix_or_suffix(conn: Connection) -> None:
    def item(item_id: str, incident_id: str, due: str) -> dict[str, Any]:
        return {
            "id": item_id, "incident_id": incident_id, "title": f"Fix {item_id}", "owner": "bob",
            "term": "short", "due": due, "status": "open", "tracker_url": "", "entry_id": None,
            "created_at": 1_000, "updated_at": 1_000,
        }  # fmt: skip

    _put(
        conn,
        t.action_item_table,
        item("ai-1-x", "inc-a", "2026-12-01"),
        item("ai-2-y", "inc-a", ""),
        item("zz-3-x", "inc-b", "2026-12-03"),
    )
    assert {i.id for i in action_item_queries.action_items(conn)} == {"ai-1-x", "zz-3-x"}
    (only,) = action_item_queries.action_items(conn, "inc-a")
    assert (only.id, only.due, only.owner) == ("ai-1-x", date(2026, 12, 1), "bob")
    assert {i.id for i in action_item_queries.action_items_matching(conn, "ai")} == {"ai-1-x"}
    assert {i.id for i in action_item_queries.action_items_matching(conn, "-x")} == {
        "ai-1-x",
        "zz-3-x",
    }
    assert action_item_queries.action_items_matching(conn, "%") != []  # % is dropped, not a glob
    assert action_item_queries.action_items_matching(conn, "ai-2-y") == []  # no due date


def test_checklist_edits_and_ticks_of_one_incident(conn: Connection) -> None:
    _put(
        conn,
        t.checklist_def_table,
        {"key": "c1", "content": '{"title": "T"}', "updated_at": 1, "author": "a"},
    )
    tick = {"done": 1, "at_ms": 5, "author": "a"}
    _put(
        conn,
        t.checklist_tick_table,
        {"incident_id": "inc-a", "step_key": "s1", **tick},
        {"incident_id": "inc-a", "step_key": "s2", **tick, "done": 0},
        {"incident_id": "inc-b", "step_key": "s3", **tick},
    )
    assert checklist_queries.checklist_edits(conn) == {"c1": {"title": "T"}}
    assert checklist_queries.step_ticks(conn, "inc-a") == {
        "s1": (True, 5, "a"),
        "s2": (False, 5, "a"),
    }


def test_templates_by_name_and_open_drafts_newest_first(conn: Connection) -> None:
    tpl = {"audience": "internal", "subject": "S", "body": "B", "updated_at": 1, "author": "a"}
    _put(
        conn,
        t.comms_template_table,
        {"key": "k2", "name": "Beta", **tpl, "deleted": 1},
        {"key": "k1", "name": "Alpha", **tpl},
    )
    assert comms_queries.stored_templates(conn) == [
        ("k1", "Alpha", "internal", "S", "B", 0),
        ("k2", "Beta", "internal", "S", "B", 1),
    ]
    draft = {"template_key": "k1", "audience": "internal", "channel": "slack", "author": "a"}
    _put(
        conn,
        t.comms_draft_table,
        {"id": "d1", "incident_id": "inc-a", **draft, "fields": "{}", "updated_at": 10},
        {"id": "d2", "incident_id": "inc-a", **draft, "fields": '{"x": 1}', "updated_at": 20},
        {
            "id": "d3",
            "incident_id": "inc-a",
            **draft,
            "fields": "{}",
            "updated_at": 30,
            "discarded": 1,
        },
        {"id": "d4", "incident_id": "inc-b", **draft, "fields": "{}", "updated_at": 40},
    )
    drafts = comms_queries.open_drafts(conn, "inc-a")
    assert [d[0] for d in drafts] == ["d2", "d1"]
    assert drafts[0] == ("d2", "inc-a", "k1", "internal", "slack", '{"x": 1}', 20, "a")
    assert comms_queries.draft_content(conn, "d3") == ("inc-a", "k1", "internal", "slack", "{}")
    assert comms_queries.draft_content(conn, "nope") is None


def test_deadline_events_in_time_order_and_overdue_notices(conn: Connection) -> None:
    def event(
        op_id: str, kind: str, at_ms: int, hlc: str, until: int | None = None
    ) -> dict[str, Any]:
        return {
            "op_id": op_id, "incident_id": "inc-a", "key": f"key-{op_id}", "kind": kind,
            "at_ms": at_ms, "hlc": hlc, "author": "a", "how": f"how {op_id}", "until_ms": until,
        }  # fmt: skip

    _put(
        conn,
        t.deadline_event_table,
        event("o3", Field.OVERDUE, 300, "h3", 250),
        event("o2", "met", 100, "h2"),
        event("o1", Field.OVERDUE, 100, "h1", 90),
        {**event("o4", Field.OVERDUE, 50, "h0", 40), "incident_id": "inc-b"},
    )
    assert [e[0] for e in deadline_queries.deadline_events(conn, "inc-a")] == [
        "key-o1",
        "key-o2",
        "key-o3",
    ]
    assert deadline_queries.deadline_events(conn, "inc-a")[0] == (
        "key-o1", Field.OVERDUE, 100, "a", "how o1", 90,
    )  # fmt: skip
    assert deadline_queries.overdue_notices(conn, "inc-a") == {("key-o1", 90), ("key-o3", 250)}
    assert review_queries.missed_deadline_hows(conn, "inc-a") == ["how o1", "how o3"]


def test_impact_samples_live_ones_by_metric_and_arrival(conn: Connection) -> None:
    def sample(
        sample_id: str, metric: str, at_ms: int, value: float, struck: int = 0
    ) -> dict[str, Any]:
        return {
            "id": sample_id, "incident_id": "inc-a", "metric": metric, "at_ms": at_ms,
            "value": value, "hlc": f"h{at_ms}", "author": "a", "struck": struck,
        }  # fmt: skip

    assert impact_queries.last_sample_row(conn, "inc-a") == 0
    _put(
        conn,
        t.impact_sample_table,
        sample("s-b", "errors", 20, 2.5),
        sample("s-a", "errors", 10, 1.0),
    )
    mark = impact_queries.last_sample_row(conn, "inc-a")
    _put(
        conn,
        t.impact_sample_table,
        sample("s-c", "customers", 30, 7.0),
        sample("s-d", "errors", 5, 9.0, struck=1),
        {**sample("s-e", "errors", 1, 1.0), "incident_id": "inc-b"},
    )
    assert [s[0] for s in impact_queries.live_samples(conn, "inc-a")] == ["s-c", "s-a", "s-b"]
    assert impact_queries.live_samples(conn, "inc-a")[1] == ("s-a", "errors", 10, 1.0, "a")
    assert impact_queries.live_sample_counts(conn, "inc-a") == {"errors": 2, "customers": 1}
    after = impact_queries.live_samples_after(conn, "inc-a", mark)
    assert [(metric, at_ms, value) for _, metric, at_ms, value in after] == [("customers", 30, 7.0)]
    assert after[0][0] > mark
    assert impact_queries.last_sample_row(conn, "inc-a") == mark + 2  # the struck one counts
    assert impact_queries.sample_incident_id(conn, "s-e") == "inc-b"
    assert impact_queries.sample_incident_id(conn, "nope") is None


def test_review_sections_meeting_and_first_entry(conn: Connection) -> None:
    section = {"incident_id": "inc-a", "updated_at": 1, "author": "a"}
    _put(
        conn,
        t.review_field_table,
        {"id": "inc-a:summary", "key": "summary", "text": "It broke", **section},
        {"id": "inc-a:cause", "key": "cause", "text": "  ", **section},
    )
    assert review_queries.review_texts(conn, "inc-a") == {"summary": "It broke", "cause": "  "}
    assert review_queries.review_text(conn, "inc-a", "summary") == "It broke"
    assert review_queries.review_text(conn, "inc-a", "lessons") == ""
    assert review_queries.review_meeting(conn, "inc-a") is None
    meeting = {"minutes": 45, "updated_at": 1, "author": "a"}
    _put(
        conn,
        t.review_schedule_table,
        {"incident_id": "inc-a", "start_ms": 9_000, **meeting},
        {"incident_id": "inc-b", "start_ms": None, **meeting},
    )
    assert review_queries.review_meeting(conn, "inc-a") == (9_000, 45)
    assert review_queries.review_meeting(conn, "inc-b") is None  # cancelled
    assert review_queries.first_entry_ms(conn, "inc-a") is None
    _put(
        conn,
        t.entry_table,
        _entry("e1", "inc-a", 100, "struck", struck=1),
        _entry("e2", "inc-a", 200, "kept"),
        _entry("e3", "inc-b", 50, "other"),
    )
    assert review_queries.first_entry_ms(conn, "inc-a") == 200
    assert similar_queries.first_review_text(conn, "inc-a", ("cause", "summary")) == "It broke"
    assert similar_queries.first_review_text(conn, "inc-a", ("cause",)) == ""


def test_runbook_values_here_and_the_newest_elsewhere(conn: Connection) -> None:
    value = {"author": "a"}
    _put(
        conn,
        t.runbook_value_table,
        {"incident_id": "inc-a", "name": "ns", "value": "prod", "updated_at": 1, **value},
        {"incident_id": "inc-b", "name": "ns", "value": "old", "updated_at": 2, **value},
        {"incident_id": "inc-c", "name": "ns", "value": "new", "updated_at": 3, **value},
        {"incident_id": "inc-c", "name": "pod", "value": "web-1", "updated_at": 1, **value},
    )
    assert runbook_queries.saved_values(conn, "inc-a") == {"ns": "prod"}
    assert runbook_queries.recent_values_elsewhere(conn, "inc-a") == {
        "ns": ["new", "old"],
        "pod": ["web-1"],
    }


def test_similar_reads_people_text_alerts_and_runbook_steps(conn: Connection) -> None:
    _put(
        conn,
        t.entry_table,
        _entry("e1", "inc-a", 100, "first", action="looked", amended_event="first, amended"),
        _entry("e2", "inc-a", 150, "app's own", kind=Kind.SYSTEM),
        _entry("e3", "inc-a", 200, "Runbook — restart", struck=1),
        _entry("e4", "inc-a", 300, "Runbook — drain"),
        _entry("e5", "inc-a", 400, "too late"),
    )
    assert similar_queries.people_entry_texts(conn, "inc-a", 350, 10) == (
        "first, amended looked\nRunbook — drain "
    )
    assert similar_queries.people_entry_texts(conn, "inc-a", 1_000, 1) == "first, amended looked"
    assert similar_queries.entry_events_starting(conn, "inc-a", "Runbook") == [
        (300, "Runbook — drain")
    ]
    link = {"summary": "", "fired_at": 1, "linked_at": 1, "resolved_at": None, "author": "a"}
    _put(
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
    _put(conn, t.alert_table, {"fingerprint": "f1", "labels": json.dumps({"svc": "web"}), **alert})
    assert similar_queries.alert_features_by_incident(conn) == {
        "inc-a": ({"HighLatency", "Uncached"}, {("svc", "web")})
    }
    checklist, step = next((c, s) for c in BUILTIN_CHECKLISTS for s in c.steps if s.is_runbook)
    tick = {"incident_id": "inc-a", "author": "a"}
    _put(
        conn,
        t.checklist_tick_table,
        {"step_key": step.key, "done": 1, "at_ms": 42, **tick},
        {"step_key": "not-a-runbook-step", "done": 1, "at_ms": 43, **tick},
    )
    assert similar_queries.runbook_steps_ticked(conn, "inc-a") == [
        (42, step_title(checklist, step))
    ]
