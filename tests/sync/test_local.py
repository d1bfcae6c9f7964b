"""``local.apply_pulled``: pulled rows applied, duplicates counted, the pull cursor moved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from commander.core.clock import FakeClock, to_ms
from commander.core.signing import Ed25519Signer
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import oplog
from commander.sync import checks, local
from tests.sync.attack import crafted
from tests.sync.test_checks import chain, row, stamp


@pytest.fixture
def ws(tmp_path: Path, clock: FakeClock) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "ws", author="alice", clock=clock, zone=UTC)
    yield workspace
    workspace.close()


def entries(clock: FakeClock, incident_id: str, count: int) -> list:  # type: ignore[type-arg]
    ops = chain(clock, Ed25519Signer.generate(), 0)
    for n in range(count):
        value = {
            "occurred_at": clock.now().isoformat(),
            "event": f"bob's entry {n}",
            "action": "",
            "owner": "",
            "kind": "note",
        }
        ops.append(
            crafted(
                node_id=ops[0].node_id,
                author="mallory",
                prev_hash=ops[-1].hash,
                incident_id=incident_id,
                value=value,
                signer=None,
                hlc=stamp(clock),
            )
        )
    return ops


def apply(ws: Workspace, rows: list, wall_ms: int = 0) -> local.PullApplied:  # type: ignore[type-arg]
    with ws.write() as conn:
        return local.apply_pulled(conn, rows, node_id=ws.node_id, wall_ms=wall_ms, signer=ws.signer)


def test_pulled_entries_are_applied_and_the_cursor_moves(ws, clock):
    incident = IncidentService(ws).declare(title="API down", severity="P1").incident
    signed = entries(clock, incident.id, 0)  # a key op: its node's later ops must be signed
    with ws.write() as conn:
        accepted, problems = checks.screen(conn, [row(signed[0], 10)], revoked={}, wall_ms=0)
    assert problems == []
    result = apply(ws, accepted)
    assert (result.applied, result.duplicates) == (1, 0)
    with ws.read() as conn:
        assert oplog.read_meta(conn, local.META_PULL_SEQ) == "10"


def test_entries_of_another_node_reach_the_timeline_and_come_back_as_duplicates(ws, clock):
    incident = IncidentService(ws).declare(title="API down", severity="P1").incident
    value = entries(clock, incident.id, 1)[1].value
    ops = [  # an unsigned entry of a node that never introduced a key
        crafted(
            node_id="01a00000-0000-7000-8000-0000000000ee",
            author="bob",
            prev_hash="0" * 64,
            incident_id=incident.id,
            value=value,
            hlc=stamp(clock),
        )
    ]
    rows = [row(op, n) for n, op in enumerate(ops, 21)]
    result = apply(ws, rows, wall_ms=to_ms(clock.now()))
    assert (result.applied, result.duplicates, result.parked) == (1, 0, 0)
    assert result.incident_ids == {incident.id} and result.entry_ids == {ops[0].entity_id}
    events = [entry.event for entry in IncidentService(ws).timeline(incident.id)]
    assert "bob's entry 0" in events
    again = apply(ws, rows)
    assert (again.applied, again.duplicates) == (0, 1)
    with ws.read() as conn:
        assert oplog.read_meta(conn, local.META_PULL_SEQ) == "21"


def test_an_op_whose_value_breaks_its_apply_is_set_aside_with_its_successor(ws, clock):
    incident = IncidentService(ws).declare(title="API down", severity="P1").incident
    node = "01a00000-0000-7000-8000-0000000000ef"
    bad = crafted(
        node_id=node,
        author="bob",
        prev_hash="0" * 64,
        incident_id=incident.id,
        value={"not": "an entry"},
        hlc=stamp(clock),
    )
    after = crafted(
        node_id=node,
        author="bob",
        prev_hash=bad.hash,
        incident_id=incident.id,
        value={"event": "x"},
        hlc=stamp(clock),
    )
    result = apply(ws, [row(bad, 1), row(after, 2)])
    assert result.applied == 0
    reasons = {problem.op_id: problem.reason for problem in result.quarantined}
    assert reasons[bad.op_id].startswith("its value does not fit its kind of change (KeyError")
    assert reasons[after.op_id] == "it continues an op that was quarantined"


def test_an_empty_page_changes_nothing(ws):
    assert apply(ws, []) == local.PullApplied()
    with ws.read() as conn:
        assert oplog.read_meta(conn, local.META_PULL_SEQ) is None
