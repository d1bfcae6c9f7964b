"""Reads for replaying an incident at a moment (storage/time_travel_queries.py): the incident's
ops and the workspace-wide ones in log (arrival) order, none of another incident's, and the
stamps of the incident's own ops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, register_change
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import time_travel_queries as ttq
from commander.storage.database import open_engine
from tests.storage.foreign_ops import entry, feed, op, stamp


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_the_incident_s_and_the_workspace_s_ops_in_arrival_order(conn: Connection) -> None:
    person = op(1, Entity.PERSON, "dana", Field.NAME, register_change("Dana", None),
                incident=WORKSPACE_SCOPE)  # fmt: skip
    feed(conn, [
        entry(9, "late", "stamped late, arrived first"),
        entry(2, "x", "another incident", incident="other"),
        person,
        entry(3, "early", "stamped early, arrived last", node="b"),
    ])  # fmt: skip
    ops = ttq.incident_and_workspace_ops(conn, "inc")
    assert [o.op_id for o in ops] == ["a-9-late", "a-1", "b-3-early"]
    assert ops[1].value == {"value": "Dana", "base": None} and ops[1].incident_id == ""
    assert ops[0].value["event"] == "stamped late, arrived first"
    assert [o.op_id for o in ttq.incident_and_workspace_ops(conn, "none")] == ["a-1"]


def test_the_incident_s_stamps_and_none_of_the_workspace(conn: Connection) -> None:
    feed(conn, [
        entry(4, "e1", "one"),
        entry(7, "e2", "two", node="b"),
        op(5, Entity.PERSON, "dana", Field.NAME, register_change("Dana", None), incident=""),
        entry(6, "x", "elsewhere", incident="other"),
    ])  # fmt: skip
    assert sorted(ttq.incident_op_stamps(conn, "inc")) == [stamp(4), stamp(7)]
    assert ttq.incident_op_stamps(conn, "missing") == []


def test_a_declared_incident_s_own_writes_are_all_there(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    incidents.set_field(incident.id, "status", "identified")
    with workspace.read() as conn:
        ops = ttq.incident_and_workspace_ops(conn, incident.id)
        stamps = ttq.incident_op_stamps(conn, incident.id)
    mine = [o for o in ops if o.incident_id == incident.id]
    assert mine[0].field == Field.CREATE and mine[0].entity == Entity.INCIDENT
    assert [o.field for o in mine if o.entity == Entity.INCIDENT] == [Field.CREATE, "status"]
    assert sorted(stamps) == sorted(o.hlc for o in mine)
    assert all(o.incident_id in (incident.id, WORKSPACE_SCOPE) for o in ops)
