"""Relaying to the shared database: a laptop pushes the ops it got from a peer, with its own
login, and the server takes them only when each is signed by its node's pinned key.

Two responder logins against the real PostgreSQL; alice's ops reach bob by a bundle (the
format a peer exchange carries), then bob's ``sync`` carries them to the server.
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from commander.core.ops import Op
from commander.services.attachments import AttachmentService
from commander.services.bundles import export_bundle, import_bundle
from commander.services.incidents import IncidentService
from commander.storage import blobs, queries
from commander.sync.schema import RESPONDER_ROLE
from commander.sync.server import connect
from commander.sync.verify import verify_server
from tests.sync.attack import Attacker, apply_roles, crafted, entry_value, make_login
from tests.sync.attack import login_url as url_for
from tests.sync.helpers import live, sync_once, wait_for

PNG = (Path(__file__).parent.parent / "fixtures" / "attachments" / "red-2x2.png").read_bytes()


@pytest.fixture
def logins(server):
    """Two responder logins: alice's laptop and bob's."""
    apply_roles(server)
    return (
        url_for(server, make_login(server, RESPONDER_ROLE)),
        url_for(server, make_login(server, RESPONDER_ROLE)),
    )


def _carry(source, target, tmp_path: Path, name: str = "a.bundle") -> None:
    path = tmp_path / name
    export_bundle(source, path)
    import_bundle(target, path)


def _server(server, sql: str, *args):
    with connect(server) as pg:
        return pg.execute(sql, args).fetchall()


def _local_ops(ws) -> list[str]:
    with ws.read() as conn:
        return sorted(row[0] for row in conn.execute(text("SELECT op_id FROM op")))


def _events(ws, incident_id: str) -> list[str]:
    return [entry.event for entry in IncidentService(ws).timeline(incident_id)]


def test_a_peer_relays_what_the_owner_wrote_offline_and_the_owner_later_syncs(
    make_workspace, server, logins, tmp_path
):
    alice_url, bob_url = logins
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, alice_url)  # before the outage: the server knows alice and her key
    for event in ("Paged on-call", "Rolled back", "Error rate falling"):
        IncidentService(alice).log(incident.id, event)  # offline
    _carry(alice, bob, tmp_path)  # laptop to laptop
    IncidentService(bob).log(incident.id, "Bob watching the dashboards")

    result = sync_once(bob, bob_url)  # the server returns; alice's laptop stays dark
    assert result.pushed.refused is None and result.pushed.relay.refused == []
    assert result.pushed.relay.relayed == 3 and result.pushed.relay.held == []
    ((total, distinct),) = _server(
        server, "SELECT count(*), count(DISTINCT op_id) FROM commander.op"
    )
    assert total == distinct
    assert _server(
        server, "SELECT login FROM commander.node_head WHERE node_id = %s", alice.node_id
    ) == [(alice_url.url.username,)]  # still alice's node, not bob's
    assert _server(server, "SELECT login FROM commander.author_login WHERE author = 'alice'") == [
        (alice_url.url.username,)
    ]

    IncidentService(alice).log(incident.id, "Resolved")
    again = sync_once(alice, alice_url)  # the owner's push skips what bob carried
    assert again.pushed.refused is None
    assert (again.pushed.accepted, again.pushed.skipped) == (1, 3)
    assert "Bob watching the dashboards" in _events(alice, incident.id)
    assert sync_once(bob, bob_url).pushed.relay.relayed == 0  # nothing carried twice
    assert _events(bob, incident.id) == _events(alice, incident.id)
    on_server = sorted(row[0] for row in _server(server, "SELECT op_id FROM commander.op"))
    assert on_server == _local_ops(alice) == _local_ops(bob)  # each op once, none missing
    with connect(server) as pg:
        assert verify_server(pg).ok


def test_a_node_the_server_never_saw_is_held_until_its_owner_pushes(
    make_workspace, server, logins, tmp_path
):
    alice_url, bob_url = logins
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    _carry(alice, bob, tmp_path)

    held = sync_once(bob, bob_url).pushed.relay
    assert held.relayed == 0 and len(held.held) == 1
    assert f"node {alice.node_id} (alice)" in held.held[0]
    assert "the server has never seen it" in held.held[0]
    assert _server(server, "SELECT 1 FROM commander.op WHERE node_id = %s", alice.node_id) == []
    assert _server(server, "SELECT 1 FROM commander.author_login WHERE author = 'alice'") == []

    IncidentService(alice).log(incident.id, "Paged on-call")  # not yet with bob
    assert sync_once(alice, alice_url).pushed.refused is None  # her name is still hers
    IncidentService(alice).log(incident.id, "Rolled back")
    _carry(alice, bob, tmp_path, "b.bundle")
    after = sync_once(bob, bob_url).pushed.relay
    assert (after.relayed, after.held) == (1, [])  # once she is known, the rest is carried
    assert _events(bob, incident.id)[-1] == "Rolled back"


def test_a_forged_relay_is_refused_and_stalls_nothing(make_workspace, server, logins, tmp_path):
    alice_url, bob_url = logins
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, alice_url)
    sync_once(bob, bob_url)
    relayer = Attacker(bob_url, str(bob_url.url.username), bob.signing_key()[0])
    alice_key = alice.signing_key()[0]
    head = relayer.server_head(alice.node_id)

    def op_of_alice(event: str, prev: str, signer=alice_key) -> Op:
        return crafted(
            node_id=alice.node_id,
            author="alice",
            prev_hash=prev,
            incident_id=incident.id,
            value=entry_value(event),
            signer=signer,
        )

    with pytest.raises(psycopg.Error, match="may carry its ops only when they are signed"):
        relayer.push([op_of_alice("bob's words in alice's mouth", head, signer=relayer.signer)])
    IncidentService(alice).log(incident.id, "Paged on-call")  # offline: only alice has it
    with alice.read() as conn:
        genuine = list(queries.ops_in_chain_order(conn))[-1]
    assert genuine.prev_hash == head
    altered_value = {**genuine.value, "event": "Paged on-call!"}  # one byte more, resealed
    altered = Op(**{**genuine.__dict__, "value": altered_value, "hash": ""}).sealed(head)
    altered = Op(**{**altered.__dict__, "signature": genuine.signature})
    with pytest.raises(psycopg.Error, match="may carry its ops only when they are signed"):
        relayer.push([altered])
    random_key = Ed25519PrivateKey.generate()
    bad_sig = Op(**{**genuine.__dict__, "signature": random_key.sign(os.urandom(8)).hex()})
    with pytest.raises(psycopg.Error, match="may carry its ops only when they are signed"):
        relayer.push([bad_sig])
    assert relayer.server_head(alice.node_id) == head  # nothing of the refused batches

    IncidentService(bob).log(incident.id, "Bob watching the dashboards")
    assert sync_once(bob, bob_url).pushed.refused is None  # bob's own push goes on
    assert relayer.push([genuine])["accepted"] == 1  # a genuine relayed op goes through
    IncidentService(alice).log(incident.id, "Rolled back")
    synced = sync_once(alice, alice_url)
    assert synced.pushed.refused is None and synced.pulled.quarantined == []
    assert {"Paged on-call", "Bob watching the dashboards", "Rolled back"} <= set(
        _events(alice, incident.id)
    )
    assert sync_once(bob, bob_url).pulled.quarantined == []
    assert "bob's words in alice's mouth" not in _events(bob, incident.id)
    with connect(server) as pg:
        assert verify_server(pg).ok


def test_a_relayed_entry_brings_its_file(make_workspace, server, logins, tmp_path):
    alice_url, bob_url = logins
    alice, bob, carol = make_workspace("alice"), make_workspace("bob"), make_workspace("carol")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, alice_url)
    done = AttachmentService(alice).attach(incident.id, PNG, "graph.png")  # offline
    _carry(alice, bob, tmp_path)  # the bundle carries the file

    assert sync_once(bob, bob_url).pushed.relay.relayed == 1
    assert _server(server, "SELECT length(data) FROM commander.blob") == [(len(PNG),)]
    pulled = sync_once(carol, server)  # a third laptop gets the entry and its file
    assert pulled.pulled.quarantined == []
    with carol.read() as conn:
        assert blobs.get(conn, done.ref.sha256) == PNG


def test_the_live_loop_says_which_node_it_holds(make_workspace, server, logins, tmp_path):
    _alice_url, bob_url = logins
    alice, bob = make_workspace("alice"), make_workspace("bob")
    IncidentService(alice).declare(title="API down", severity="P1")
    _carry(alice, bob, tmp_path)
    statuses: list = []
    with live(bob, bob_url, poll_s=60, on_status=statuses.append):
        wait_for(
            lambda: any((s.warning or "").startswith("relay: ") for s in statuses),
            what="the relay warning",
        )
    warnings = {s.warning for s in statuses if (s.warning or "").startswith("relay: ")}
    assert len(warnings) == 1 and f"node {alice.node_id} (alice)" in warnings.pop()
