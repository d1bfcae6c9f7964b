"""Workspace-wide statements (storage/*_queries.py): people, roles, nodes, meta and the outbox's
compare-and-sets, against a real workspace file, rows written straight into the tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, insert

from commander.core.channels import Channel
from commander.core.ops import Entity, Field
from commander.core.outbox import OutboxState
from commander.core.roles import PROCEDURE_ROLES
from commander.storage import (
    meta_queries,
    node_queries,
    outbox_queries,
    people_queries,
    team_queries,
)
from commander.storage import tables as t
from commander.storage import tables_trust as trust
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


def _incident(incident_id: str, ref: str, status: str) -> dict[str, Any]:
    return {
        "id": incident_id, "ref": ref, "title": ref, "severity": "P2", "status": status,
        "phase": "triage", "services": "[]", "impact": "", "declared_at": 1,
        "declared_by": "alice", "updated_at": 1,
    }  # fmt: skip


def test_people_by_name_ignoring_case_removed_only_when_asked(conn: Connection) -> None:
    person = {"team": "sre", "email": "", "phone": "", "roles": '["scribe"]', "updated_at": 1}
    _put(
        conn,
        t.person_table,
        {"handle": "zed", "name": "alice", "removed": 0, **person},
        {"handle": "amy", "name": "Alice", "removed": 0, **person},
        {"handle": "bob", "name": "Bob", "removed": 1, **person},
        {"handle": "cat", "name": "carol", "removed": 0, **person, "roles": ""},
    )
    assert [p.handle for p in people_queries.people(conn, include_removed=False)] == [
        "amy",
        "zed",
        "cat",
    ]
    everyone = people_queries.people(conn, include_removed=True)
    assert [p.handle for p in everyone] == ["amy", "zed", "bob", "cat"]
    assert everyone[0].roles == ("scribe",)
    assert everyone[3].roles == ()
    removed = people_queries.person(conn, "bob")
    assert removed is not None and removed.removed
    assert people_queries.person(conn, "nobody") is None


def test_meta_values_by_prefix_in_key_order_and_delete(conn: Connection) -> None:
    _put(
        conn,
        t.meta_table,
        {"key": "link:b", "value": "2"},
        {"key": "link:a", "value": "1"},
        {"key": "linker", "value": "x"},
        {"key": "other", "value": "y"},
    )
    assert meta_queries.meta_values_with_prefix(conn, "link:") == ["1", "2"]
    meta_queries.delete_meta(conn, "link:a")
    assert meta_queries.meta_values_with_prefix(conn, "link") == ["2", "x"]


def test_node_keys_with_revocation_and_sync_problems_in_server_order(conn: Connection) -> None:
    key = {"fingerprint": "f", "op_id": "k"}
    _put(
        conn,
        trust.node_key_table,
        {"node_id": "n2", "author": "bob", "public_key": "pk2", **key},
        {"node_id": "n1", "author": "bob", "public_key": "pk1", **key},
        {"node_id": "n3", "author": "alice", "public_key": "pk3", **key},
    )
    _put(conn, trust.node_revocation_table, {"node_id": "n2", "after_seq": 5, "revoked_at": "x"})
    assert node_queries.node_keys_with_revocation(conn) == [
        ("n3", "alice", "pk3", 0),
        ("n1", "bob", "pk1", 0),
        ("n2", "bob", "pk2", 1),
    ]
    problem = {"node_id": "n2", "author": "bob", "kind": "quarantined", "reason": "r", "body": "{}"}
    _put(
        conn,
        trust.sync_problem_table,
        {"op_id": "b", "server_seq": 7, "noted_at": 1, **problem},
        {"op_id": "a", "server_seq": 7, "noted_at": 2, **problem},
        {"op_id": "c", "server_seq": 3, "noted_at": 3, **problem},
    )
    rows = node_queries.sync_problem_rows(conn)
    assert [row[0] for row in rows] == ["c", "a", "b"]
    assert rows[0] == ("c", "n2", "bob", 3, "quarantined", "r", "{}", 3)


def test_roles_custom_ones_by_name_and_history_in_order(conn: Connection) -> None:
    role = {"description": "d", "updated_at": 1}
    _put(
        conn,
        t.role_def_table,
        {"key": "liaison", "name": "liaison", "removed": 0, **role},
        {"key": "scribe", "name": "Scribe", "removed": 0, **role},
        {"key": "gone", "name": "Gone", "removed": 1, **role},
        {"key": "unnamed", "name": "", "removed": 0, **role},
    )
    custom = team_queries.current_roles(conn)[len(PROCEDURE_ROLES) :]
    assert [r.key for r in custom] == ["liaison", "scribe"]
    every = team_queries.every_role_by_key(conn)
    assert every["gone"].name == "Gone" and every["unnamed"].name == "unnamed"
    assert set(every) >= {r.key for r in PROCEDURE_ROLES}

    def held(op_id: str, incident_id: str, at_ms: int, hlc: str, node: str) -> dict[str, Any]:
        return {
            "op_id": op_id, "incident_id": incident_id, "role": "scribe", "person": "amy",
            "person_name": "Amy", "previous": None, "previous_name": "", "note": "",
            "at_ms": at_ms, "hlc": hlc, "node_id": node, "author": "alice", "base": None,
        }  # fmt: skip

    _put(
        conn,
        t.role_assignment_table,
        held("r3", "inc-a", 20, "h2", "n1"),
        held("r2", "inc-a", 10, "h1", "n2"),
        held("r1", "inc-a", 10, "h1", "n1"),
        held("r4", "inc-b", 5, "h0", "n1"),
        held("r5", "inc-c", 5, "h0", "n1"),
        held("r6", "inc-d", 5, "h0", "n1"),
    )
    assert [a.op_id for a in team_queries.role_history(conn, "inc-a")] == ["r1", "r2", "r3"]
    _put(
        conn,
        t.incident_table,
        _incident("inc-a", "INC-1", "investigating"),
        _incident("inc-b", "INC-3", "investigating"),
        _incident("inc-c", "INC-2", "mitigated"),
        _incident("inc-d", "INC-4", "resolved"),
    )
    register = {"entity": Entity.ROLE, "field": Field.HOLDER, "hlc": "h", "node_id": "n1"}
    _put(
        conn,
        t.register_table,
        {"entity_id": "inc-b:scribe", "op_id": "r4", **register},
        {"entity_id": "inc-c:scribe", "op_id": "r5", **register},
        {"entity_id": "inc-d:scribe", "op_id": "r6", **register},
        {"entity_id": "inc-a:scribe", "op_id": "r3", **register},
    )
    assert team_queries.holding_elsewhere(conn, "scribe", "amy", "inc-a") == ["INC-2", "INC-3"]
    assert team_queries.holding_elsewhere(conn, "scribe", "bob", "inc-a") == []
    assert team_queries.holding_elsewhere(conn, "lead", "amy", "inc-a") == []


def _queue(conn: Connection, item_id: str, now_ms: int, **more: Any) -> None:
    values: dict[str, Any] = {
        "incident_id": "inc-a", "template_key": "k", "audience": "internal",
        "channel": Channel.SLACK.value, "subject": "S", "body": "B", "payload": {"a": 1},
        "remote_id": None,
    }  # fmt: skip
    outbox_queries.insert_queued(conn, item_id, now_ms=now_ms, **{**values, **more})


def test_outbox_claim_release_and_delivery_are_compare_and_sets(conn: Connection) -> None:
    _queue(conn, "m1", 100)
    _queue(conn, "m2", 50)
    _queue(conn, "m3", 200, incident_id="inc-b")
    assert [i.id for i in outbox_queries.outbox_items(conn)] == ["m3", "m1", "m2"]
    assert [i.id for i in outbox_queries.outbox_items(conn, "inc-a")] == ["m1", "m2"]
    assert outbox_queries.next_due_ms(conn) == 50
    assert outbox_queries.claim_next(conn, 10, "me", 500, ()) is None  # nothing due yet
    claimed = outbox_queries.claim_next(conn, 150, "me", 500, ["m2"])
    assert claimed is not None and claimed.id == "m1"
    assert (claimed.state, claimed.attempts, claimed.lease_owner) == (OutboxState.SENDING, 1, "me")
    assert claimed.payload == {"a": 1}
    assert not outbox_queries.released_for_retry(conn, "m1", "other", "boom", 300)
    assert outbox_queries.released_for_retry(conn, "m1", "me", "boom", 300)
    again = outbox_queries.outbox_item_by_id(conn, "m1")
    assert again is not None
    assert (again.state, again.error, again.lease_owner) == (OutboxState.QUEUED, "boom", None)
    second = outbox_queries.claim_next(conn, 400, "me", 450, [])
    assert second is not None and second.id == "m2"  # older than m1
    third = outbox_queries.claim_next(conn, 400, "you", 900, ["m2"])
    assert third is not None and third.id == "m1" and third.attempts == 2
    assert outbox_queries.next_due_ms(conn) == 200  # m3 queued; m2 lease runs to 450
    taken = outbox_queries.claim_next(conn, 460, "you", 900, ["m3"])  # m2's lease ran out
    assert taken is not None and taken.id == "m2" and taken.lease_owner == "you"
    assert outbox_queries.released_as_failed(conn, "m1", "you", "gave up", 470)
    failed = outbox_queries.outbox_item_by_id(conn, "m1")
    assert failed is not None and failed.state == OutboxState.FAILED and failed.finished_at
    outbox_queries.requeue_if_waiting(conn, "m1", 480)
    outbox_queries.requeue_if_waiting(conn, "m2", 480)  # claimed: left alone
    states = {i.id: i.state for i in outbox_queries.outbox_items(conn)}
    assert states == {"m1": OutboxState.QUEUED, "m2": OutboxState.SENDING, "m3": OutboxState.QUEUED}
    assert outbox_queries.marked_delivered(conn, "m2", "ok", 490, "remote-1")
    assert not outbox_queries.marked_delivered(conn, "m2", "ok", 495, None)  # already sent
    sent = outbox_queries.outbox_item_by_id(conn, "m2")
    assert sent is not None
    assert (sent.state, sent.remote_id, sent.lease_owner, sent.answer) == (
        OutboxState.SENT, "remote-1", None, "ok",
    )  # fmt: skip
    outbox_queries.mark_sent_earlier(conn, "m1", "by hand", 485)
    assert outbox_queries.sent_audiences(conn, "inc-a") == ["internal", "internal"]
    assert outbox_queries.outbox_item_by_id(conn, "nope") is None


def test_outbox_status_page_id_and_pages_left_open(conn: Connection) -> None:
    page = {"channel": Channel.STATUSPAGE.value}
    _queue(conn, "s1", 10, remote_id="sp-old", **page)
    _queue(conn, "s2", 20, remote_id="sp-new", **page)
    _queue(conn, "s3", 30, **page)
    assert outbox_queries.latest_statuspage_remote_id(conn, "inc-a") == "sp-new"
    assert outbox_queries.latest_statuspage_remote_id(conn, "inc-b") is None
    _put(
        conn,
        t.incident_table,
        _incident("inc-a", "INC-1", "resolved"),
        _incident("inc-b", "INC-2", "closed"),
        _incident("inc-c", "INC-3", "investigating"),
    )
    pagerduty = {"channel": Channel.PAGERDUTY.value}
    for item_id, incident_id, at, action in (
        ("p1", "inc-a", 40, "trigger"),
        ("p2", "inc-b", 40, "trigger"),
        ("p3", "inc-b", 50, "resolve"),
        ("p4", "inc-c", 40, "trigger"),
    ):
        payload = {"event_action": action}
        _queue(conn, item_id, at, incident_id=incident_id, payload=payload, **pagerduty)
        outbox_queries.mark_sent_earlier(conn, item_id, "ok", at)
    resolved = ("resolved", "closed")
    assert outbox_queries.paged_resolved_incident_ids(conn, resolved_statuses=resolved) == ["inc-a"]
