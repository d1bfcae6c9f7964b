"""The workspace: its node id across reopens, one unit of work, and a lost or swapped key."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from commander.core.errors import WorkspaceError
from commander.core.signing import Ed25519Signer
from commander.integrations.node_keys import NodeKeys
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace


def test_the_node_id_and_key_survive_a_reopen(workspace, incidents, data_dir: Path, clock) -> None:
    incidents.declare(title="API down", severity="P1")
    node, key = workspace.node_id, workspace.signer().public_key
    workspace.close()
    again = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        assert (again.node_id, again.signer().public_key) == (node, key)
        assert [i.title for i in IncidentService(again).list()] == ["API down"]
    finally:
        again.close()


def test_a_unit_of_work_commits_all_or_nothing(workspace, incidents) -> None:
    with pytest.raises(RuntimeError), workspace.unit_of_work():
        incidents.declare(title="API down", severity="P1")
        incidents.declare(title="Queue stuck", severity="P2")
        raise RuntimeError("stop")
    assert incidents.list() == []
    with workspace.unit_of_work():
        incidents.declare(title="API down", severity="P1")
        incidents.declare(title="Queue stuck", severity="P2")
    assert sorted(i.title for i in incidents.list()) == ["API down", "Queue stuck"]


def test_a_lost_key_writes_nothing(workspace, incidents, data_dir: Path, clock) -> None:
    incidents.declare(title="API down", severity="P1")  # the key is pinned by its first op
    workspace.close()
    NodeKeys(data_dir).key_file(workspace.node_id).unlink()
    again = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        with pytest.raises(WorkspaceError, match=r"^This node's signing key is missing "):
            IncidentService(again).declare(title="Queue stuck", severity="P2")
    finally:
        again.close()


def test_a_swapped_key_writes_nothing(workspace, incidents, data_dir: Path, clock) -> None:
    incidents.declare(title="API down", severity="P1")
    workspace.close()
    path = NodeKeys(data_dir).key_file(workspace.node_id)
    path.write_text(Ed25519Signer.generate().private_hex(), encoding="ascii")
    again = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        with pytest.raises(WorkspaceError, match="is not the key it introduced; restore"):
            again.signer()
    finally:
        again.close()
