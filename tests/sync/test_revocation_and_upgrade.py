"""Revoking a node, and a workspace from before signing upgrading in place."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import create_engine

from commander.cli.main import main
from commander.core.ops import Entity
from commander.services.incidents import IncidentService
from commander.services.nodes import sync_problems
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage import oplog
from commander.storage.migrations import REVISIONS
from commander.sync.checks import QUARANTINED, UNTRUSTED
from commander.sync.errors import SyncError
from commander.sync.schema import revoke_node
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from tests.sync.attack import apply_roles, login_url, make_login
from tests.sync.conftest import now_clock
from tests.sync.helpers import engine_of, sync_once


def _sync_as(ws, url: ServerUrl):  # type: ignore[no-untyped-def]
    with connect(url) as pg:
        return engine_of(ws).sync(pg)


def test_a_revoked_nodes_new_ops_reach_no_replica_and_its_late_ops_are_untrusted(
    make_workspace, server, server_url, capsys
):
    apply_roles(server)
    mallory_url = login_url(server, make_login(server, "commander_responder"))
    mallory, bob = make_workspace("mallory"), make_workspace("bob")
    service = IncidentService(mallory)
    incident = service.declare(title="Laptop stolen", severity="P1").incident
    _sync_as(mallory, mallory_url)
    late, _ = service.log(incident.id, "written by whoever has the laptop now")
    _sync_as(mallory, mallory_url)
    sync_once(bob, server)
    assert IncidentService(bob).timeline(incident.id)[-1].event.startswith("written by whoever")
    with connect(server) as pg:
        (since,) = pg.execute(
            "SELECT received_at FROM commander.op WHERE entity_id = %s", (late.id,)
        ).fetchone()
    with connect(mallory_url) as pg, pytest.raises(SyncError, match="only the shared database"):
        revoke_node(pg, mallory.node_id)  # a responder may not revoke
    code = main(
        ["db", "revoke-node", mallory.node_id, "--server", server_url, "--since", since.isoformat()]
    )
    assert code == 0 and "1 of its ops already on the server" in capsys.readouterr().out
    service.log(incident.id, "after the revocation")
    refused = _sync_as(mallory, mallory_url)
    assert "was revoked by an admin" in (refused.pushed.refused or "")
    capsys.readouterr()
    url_text = mallory_url.url.render_as_string(hide_password=False)
    code = main(["--data-dir", str(mallory.data_dir), "sync", "--server", url_text])
    out = capsys.readouterr().out
    assert code == 1 and out.startswith("error: push refused: op ")
    assert "was revoked by an admin" in out and "pulled 0 ops" in out  # and it still pulled
    sync_once(bob, server)  # bob had applied the late op: now it is marked untrusted
    (marked,) = sync_problems(bob)
    assert marked.kind == UNTRUSTED and marked.entity == Entity.ENTRY
    carol = make_workspace("carol")  # a fresh replica never applies it
    result = sync_once(carol, server)
    (kept,) = result.pulled.quarantined
    assert kept.op_id == marked.op_id and "revoked by an admin" in kept.reason
    assert [p.kind for p in sync_problems(carol)] == [QUARANTINED]
    events = [e.event for e in IncidentService(carol).timeline(incident.id)]
    assert "after the revocation" not in events and "written by whoever" not in " ".join(events)
    for ws in (bob, carol):
        assert "after the revocation" not in [
            e.event for e in IncidentService(ws).timeline(incident.id)
        ]


# The revision before signing, whatever the chain ends up as.
_BEFORE_SIGNING = REVISIONS[REVISIONS.index("0010_signed_ops") - 1]


class _PreSigningWorkspace(Workspace):
    """Writes ops the way Commander did before signing: no key op, no signature."""

    def append(self, conn, drafts):  # type: ignore[no-untyped-def]
        return oplog.append(
            conn, drafts, node_id=self.node_id, author=self.author, clock=self.clock
        )


def _downgrade(path, revision: str) -> None:  # type: ignore[no-untyped-def]
    """Take a workspace file back to ``revision`` with the migrations' own downgrades."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "commander.storage:migrations")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


def _make_pre_signing_workspace(data_dir, clock) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A workspace as Commander wrote it before signing: the revision before, unsigned ops."""
    ws = _PreSigningWorkspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    incident_id = IncidentService(ws).declare(title="Before signing", severity="P2").incident.id
    assert not ws._signer  # no key was ever made
    node_id = ws.node_id
    ws.close()
    _downgrade(data_dir / "workspace.sqlite3", _BEFORE_SIGNING)
    return node_id, incident_id


def test_a_workspace_from_before_signing_upgrades_and_its_old_ops_read_unsigned(
    tmp_path, server, make_workspace
):
    clock = now_clock()
    node_id, incident_id = _make_pre_signing_workspace(tmp_path / "old", clock)
    ws = Workspace.open(tmp_path / "old", author="alice", clock=clock, zone=UTC)
    try:
        assert ws.node_id == node_id
        before = verify_workspace(ws)
        assert before.ok and (before.signed, before.unsigned) == (0, 2)  # incident + its entry
        IncidentService(ws).log(incident_id, "first entry after the upgrade")
        after = verify_workspace(ws)
        assert after.ok and (after.signed, after.unsigned) == (2, 2)  # key op + entry
        assert sync_once(ws, server).pushed.refused is None
        bob = make_workspace("bob")
        result = sync_once(bob, server)
        assert not result.pulled.quarantined  # unsigned-before-signing is not forged
        report = verify_workspace(bob)
        assert report.ok and (report.signed, report.unsigned) == (2, 2)
        assert [e.event for e in IncidentService(bob).timeline(incident_id)][-1] == (
            "first entry after the upgrade"
        )
        code = main(["--data-dir", str(ws.data_dir), "verify"])
        assert code == 0
    finally:
        ws.close()
