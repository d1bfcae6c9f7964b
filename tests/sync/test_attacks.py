"""Issue 17, attacks 1-5, each written as the attack: a second responder login forging by raw
SQL, a database admin tampering, a login without write rights ringing the doorbell."""

from __future__ import annotations

import time

import psycopg
import pytest

from commander.cli.main import main
from commander.services.incidents import IncidentService
from commander.services.nodes import sync_problems
from commander.sync.live import ONLINE
from commander.sync.server import connect
from commander.sync.verify import verify_server
from tests.sync.attack import Attacker, apply_roles, crafted, entry_value, key_op, make_login
from tests.sync.attack import login_url as url_for
from tests.sync.helpers import live, sync_once, wait_for

pytestmark = pytest.mark.usefixtures("roles")


@pytest.fixture
def roles(server):
    apply_roles(server)


@pytest.fixture
def mallory(server) -> Attacker:
    return Attacker.create(server)


def _events(ws, incident_id: str) -> list[str]:
    return [entry.event for entry in IncidentService(ws).timeline(incident_id)]


def _server_ops(server) -> int:
    with connect(server) as pg:
        return pg.execute("SELECT count(*) FROM commander.op").fetchone()[0]


def test_1_forging_into_another_nodes_chain_is_refused_and_the_victim_keeps_syncing(
    make_workspace, server, mallory
):
    with mallory.connect() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM commander.op")  # the table itself: read-only to responders
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    stored = _server_ops(server)
    forged = crafted(
        node_id=alice.node_id,
        author="alice",
        prev_hash=mallory.server_head(alice.node_id),  # continues alice's chain exactly
        incident_id=incident.id,
        value=entry_value("alice: rolling back was my idea"),
        signer=mallory.signer,
    )
    with pytest.raises(psycopg.Error, match=f"node {alice.node_id} belongs to the login"):
        mallory.push([forged])
    assert _server_ops(server) == stored  # nothing from the refused batch
    IncidentService(alice).log(incident.id, "Paged on-call")
    assert sync_once(alice, server).pushed.refused is None  # the victim is not cut off
    sync_once(bob, server)
    assert _events(bob, incident.id)[-1] == "Paged on-call"
    assert "rolling back was my idea" not in " ".join(_events(bob, incident.id))


def test_2_impersonating_a_known_author_with_a_new_node_is_refused(make_workspace, server, mallory):
    alice = make_workspace("alice")
    IncidentService(alice).declare(title="API down", severity="P1")
    sync_once(alice, server)
    node = "01a00000-0000-7000-8000-00000000beef"
    with pytest.raises(psycopg.Error, match='the author name "alice" belongs to the login'):
        mallory.push([key_op(node, "alice", mallory.signer)])
    # under her own name she may write; the server binds that name to her login
    outcome = mallory.push([key_op(node, "mallory", mallory.signer)])
    assert outcome["accepted"] == 1


def test_2b_a_new_node_cannot_borrow_another_nodes_key(make_workspace, server, mallory):
    """A login's own new node is not checked by the server (only relayed ops are); every
    replica checks it, and shows nothing of the node."""
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    node = "01a00000-0000-7000-8000-00000000cafe"
    borrowed = key_op(node, "al1ce", mallory.signer, public_key=alice.signing_key()[0].public_key)
    entry = crafted(
        node_id=node,
        author="al1ce",
        prev_hash=borrowed.hash,
        incident_id=incident.id,
        value=entry_value("forged under alice's key"),
        signer=mallory.signer,
    )
    mallory.push([borrowed, entry])
    result = sync_once(bob, server)
    reasons = {problem.op_id: problem.reason for problem in result.pulled.quarantined}
    assert reasons[borrowed.op_id] == "it is not signed by the key it introduces"
    assert reasons[entry.op_id] == "it continues an op that was quarantined"
    assert "forged under alice's key" not in _events(bob, incident.id)
    with connect(server) as pg:
        report = verify_server(pg)
    assert not report.ok and report.signature_problems[0].op_id == borrowed.op_id


def test_3_a_value_that_is_not_json_is_refused_and_no_op_stops_a_pull(
    make_workspace, server, mallory
):
    alice = make_workspace("alice")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    node = "01a00000-0000-7000-8000-0000000000aa"
    key = key_op(node, "mallory", mallory.signer)
    mallory.push([key])
    op = crafted(node_id=node, author="mallory", prev_hash=key.hash, incident_id=incident.id)
    row = {**_row(op), "value": '{"event": '}  # the hash is computed over these bytes
    row["hash"] = _sql_hash(server, row)
    row["signature"] = mallory.signer.sign(row["prev_hash"].encode() + _canonical(row))
    with pytest.raises(psycopg.Error, match="its value is not valid JSON"):
        mallory.push_rows([row])
    # Valid JSON the server cannot tell from honest: not canonical, or not an entry at all.
    spaced = crafted(node_id=node, author="mallory", prev_hash=key.hash, incident_id=incident.id)
    spaced_row = {**_row(spaced), "value": '{"event":  "x"}'}
    spaced_row["hash"] = _sql_hash(server, spaced_row)
    spaced_row["signature"] = mallory.signer.sign(
        spaced_row["prev_hash"].encode() + _canonical(spaced_row)
    )
    mallory.push_rows([spaced_row])
    bad_entry = crafted(
        node_id=node,
        author="mallory",
        prev_hash=key.hash,
        incident_id=incident.id,
        value={"not": "an entry"},
        signer=mallory.signer,
    )
    with connect(server) as pg:  # an admin fixes the chain to let it in as well
        pg.execute(
            "UPDATE commander.node_head SET head_hash = %s WHERE node_id = %s", (key.hash, node)
        )
        pg.commit()
    mallory.push([bad_entry])
    with connect(server) as pg:  # and an admin inserts a row no push would take
        pg.execute(
            "INSERT INTO commander.op (op_id, node_id, hlc, effective_hlc, incident_id, entity, "
            "entity_id, field, value, author, schema_version, prev_hash, hash) VALUES "
            "('x-op', 'x-node', 'soon', 'soon', '', 'entry', 'x', 'create', '{}', 'x', 1, "
            "%s, 'x')",
            ("0" * 64,),
        )
        pg.commit()
    IncidentService(alice).log(incident.id, "after the bad ops")
    sync_once(alice, server)
    fresh = make_workspace("newcomer")  # a brand-new workspace's first sync
    result = sync_once(fresh, server)
    reasons = {p.op_id: p.reason for p in result.pulled.quarantined}
    assert reasons[spaced.op_id] == "its value is not in the canonical form its hash covers"
    assert reasons[bad_entry.op_id].startswith("its value does not fit its kind of change")
    assert reasons["x-op"] == "its stamp is not a clock stamp"
    assert _events(fresh, incident.id)[-1] == "after the bad ops"  # everything else synced
    with connect(server) as pg:  # verify names it the same way the pull does
        (value_break,) = [b for b in verify_server(pg).breaks if b.node_id == node]
    assert value_break.reason == "its value is not in the canonical form its hash covers"


def test_4_an_admin_rewriting_an_op_and_its_chain_is_caught_by_every_replica(
    make_workspace, server, server_url, tmp_path, capsys
):
    alice, carol, bob = make_workspace("alice"), make_workspace("carol"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    IncidentService(alice).log(incident.id, "Rolled back the deploy")
    IncidentService(alice).log(incident.id, "Error rate back to normal")
    sync_once(alice, server)
    sync_once(carol, server)
    IncidentService(carol).log(incident.id, "Customers notified")
    sync_once(carol, server)
    with connect(server) as pg:  # the admin rewrites the entry and re-chains everything after
        _rewrite(pg, alice.node_id, "Rolled back the deploy", "Did nothing")
        pg.commit()
        report = verify_server(pg)
    assert not report.breaks and not report.head_problems  # the chain itself is perfect now
    assert "does not verify" in report.signature_problems[0].reason
    result = sync_once(bob, server)
    assert result.pulled.quarantined
    assert "its signature does not verify" in result.pulled.quarantined[0].reason
    events = _events(bob, incident.id)
    assert "Did nothing" not in events and "Customers notified" in events  # the rest synced
    assert {p.op_id for p in sync_problems(bob)} == {p.op_id for p in result.pulled.quarantined}
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "dave"), "sync", "--server", server_url])
    out = capsys.readouterr().out
    assert code == 0  # a clean pull with problems kept aside, not a failed sync
    first = result.pulled.quarantined[0]
    assert f"op {first.op_id} from node {alice.node_id} (alice) quarantined: its signature" in out
    assert f"{len(result.pulled.quarantined)} quarantined" in out.splitlines()[0]


def test_4b_deleting_a_nodes_last_op_does_not_stop_its_author(make_workspace, server):
    alice = make_workspace("alice")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    IncidentService(alice).log(incident.id, "last one")
    sync_once(alice, server)
    with connect(server) as pg:  # an admin cuts the last op and fixes node_head to match
        pg.execute(
            "DELETE FROM commander.op WHERE seq = (SELECT max(seq) FROM commander.op "
            "WHERE node_id = %s)",
            (alice.node_id,),
        )
        pg.execute(
            "UPDATE commander.node_head h SET count = count - 1, head_hash = (SELECT hash FROM "
            "commander.op o WHERE o.node_id = h.node_id ORDER BY seq DESC LIMIT 1) "
            "WHERE node_id = %s",
            (alice.node_id,),
        )
        pg.commit()
    IncidentService(alice).log(incident.id, "next one")
    result = sync_once(alice, server)
    assert result.pushed.refused is None and result.pushed.resent == 1
    assert any("had lost 1 of this node's ops" in w for w in result.warnings)
    with connect(server) as pg:
        report = verify_server(pg)
        texts = [row[0] for row in pg.execute("SELECT value FROM commander.op")]
    assert report.ok and any("last one" in t for t in texts) and any("next one" in t for t in texts)
    assert report.gaps  # the deleted op's seq is a hole the report names


def test_5_only_writers_ring_the_doorbell(server):
    display = url_for(server, make_login(server, "commander_display"))
    responder = url_for(server, make_login(server, "commander_responder"))
    nobody = url_for(server, make_login(server, None))
    with (
        psycopg.connect(**display.connect_kwargs()) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("SELECT pg_notify('commander_ops', '999999')")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(**nobody.connect_kwargs())
    with psycopg.connect(**responder.connect_kwargs()) as conn:
        conn.execute("SELECT pg_notify('commander_ops', 'hint')")


# -- helpers -------------------------------------------------------------------------------


def _row(op):  # type: ignore[no-untyped-def]
    from tests.sync.attack import row_of

    return row_of(op, 1)


def _canonical(row) -> bytes:  # type: ignore[no-untyped-def]
    from commander.core.ops import canonical_json

    body = {
        k: row[k]
        for k in (
            "op_id",
            "node_id",
            "hlc",
            "incident_id",
            "entity",
            "entity_id",
            "field",
            "author",
            "schema_version",
        )
    }
    text = canonical_json(body)
    return (text[:-1] + ',"value":' + row["value"] + "}").encode()


def _sql_hash(server, row) -> str:  # type: ignore[no-untyped-def]
    import hashlib

    del server
    return hashlib.sha256(row["prev_hash"].encode() + _canonical(row)).hexdigest()


def _rewrite(pg, node_id: str, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    """Edit one op's value and re-seal every later op of the node, as a careful admin would."""
    import json

    from commander.core.ops import GENESIS_HASH, Op

    rows = pg.execute(
        "SELECT seq, op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, "
        "schema_version, prev_hash, hash, signature FROM commander.op WHERE node_id = %s "
        "ORDER BY seq",
        (node_id,),
    ).fetchall()
    head = GENESIS_HASH
    for row in rows:
        value = json.loads(row[8].replace(old, new))
        op = Op(*row[1:8], value, *row[9:11]).sealed(head)
        pg.execute(
            "UPDATE commander.op SET value = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            (op.value_json(), op.prev_hash, op.hash, row[0]),
        )
        head = op.hash
    pg.execute("UPDATE commander.node_head SET head_hash = %s WHERE node_id = %s", (head, node_id))


def test_5b_a_forged_ring_is_only_a_hint(make_workspace, server):
    """NOTIFY itself has no privilege in PostgreSQL: a display can ring with any payload."""
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    display = url_for(server, make_login(server, "commander_display"))
    with live(bob, server, poll_s=60) as loop:
        wait_for(lambda: loop.status.state == ONLINE and loop.cycles >= 1, what="online")
        pulled = loop.engine.pulled_upto()
        with psycopg.connect(**display.connect_kwargs(), autocommit=True) as conn:
            for payload in ("999999999", "-1", "not a number", "0"):
                conn.execute(f"NOTIFY commander_ops, '{payload}'")  # type: ignore[arg-type]
        time.sleep(0.3)
        assert loop.status.state == ONLINE and loop.engine.pulled_upto() == pulled
        IncidentService(alice).log(incident.id, "real change")
        sync_once(alice, server)
        wait_for(lambda: _events(bob, incident.id)[-1] == "real change", what="the real change")
