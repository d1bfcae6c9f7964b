"""The workspace's side of verify-before-apply: which ops are here or set aside, chain links,
ops kept aside once, revocations, and applying one op so that only it fails."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import quarantine, queries


def _ops(workspace: Workspace, incidents: IncidentService):  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="API down", severity="P1").incident
    incidents.log(incident.id, "first look")
    with workspace.read() as conn:
        return list(queries.ops_in_chain_order(conn))


def test_known_ids_and_chain_links(workspace: Workspace, incidents: IncidentService) -> None:
    ops = _ops(workspace, incidents)
    with workspace.read() as conn:
        assert quarantine.known_ids(conn, "op", [ops[0].op_id, "nope"]) == {ops[0].op_id}
        assert quarantine.known_ids(conn, "sync_problem", [ops[0].op_id]) == set()
        assert quarantine.has_hash(conn, ops[-1].node_id, ops[-1].hash)
        assert not quarantine.has_hash(conn, "another-node", ops[-1].hash)
        with pytest.raises(ValueError):
            quarantine.known_ids(conn, "entry", ["x"])  # only the tables of ops


def test_an_op_kept_aside_is_noted_once_and_its_hash_is_found(
    workspace: Workspace, incidents: IncidentService
) -> None:
    ops = _ops(workspace, incidents)
    body = '{"hash": "%s"}' % ("ab" * 32)
    with workspace.write() as conn:
        for reason in ("first reason", "second reason"):
            quarantine.keep_aside(
                conn,
                op_id="op-1",
                node_id="node-x",
                author="mallory",
                server_seq=7,
                kind="quarantined",
                reason=reason,
                body=body,
                noted_at_ms=1,
            )
    with workspace.read() as conn:
        assert quarantine.known_ids(conn, "sync_problem", ["op-1"]) == {"op-1"}
        assert quarantine.set_aside_hash(conn, "node-x", "ab" * 32)
        assert not quarantine.set_aside_hash(conn, "node-y", "ab" * 32)
        reasons = conn.exec_driver_sql("SELECT reason FROM sync_problem").fetchall()
    assert reasons == [("first reason",)]  # once per op: the first reason stays
    assert ops  # the workspace's own ops are untouched


def test_a_revocation_is_remembered_and_updated(workspace: Workspace) -> None:
    with workspace.write() as conn:
        quarantine.remember_revocation(conn, "node-x", 10, "2026-03-05T09:00:00Z")
        quarantine.remember_revocation(conn, "node-x", 8, "2026-03-05T08:00:00Z")
    with workspace.read() as conn:
        assert quarantine.revocations(conn) == {"node-x": (8, "2026-03-05T08:00:00Z")}


def test_applying_an_unfit_op_rolls_back_only_that_op(
    workspace: Workspace, incidents: IncidentService
) -> None:
    ops = _ops(workspace, incidents)
    entry = next(op for op in ops if op.entity == "entry")
    unfit = replace(entry, op_id="unfit-op", entity_id="unfit-entry", value={"event": None})
    with workspace.write() as conn:
        failed = quarantine.apply_alone(conn, unfit)
        assert isinstance(failed, Exception)
        kind = type(failed)
        assert quarantine.known_ids(conn, "op", ["unfit-op"]) == set()  # not stored either
        with pytest.raises(kind):
            quarantine.apply_alone(conn, unfit, guarded=False)  # unguarded: it propagates
