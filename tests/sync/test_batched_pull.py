"""A pulled page is stored and applied in runs (``storage.apply_batch``): bad ops in the middle
of a page are quarantined alone, and the state is exactly the one-op-at-a-time apply's."""

from __future__ import annotations

import pytest

from commander.services.incidents import IncidentService
from commander.storage.database import dbapi
from commander.sync import checks, local
from commander.sync.engine import _PULL_SQL
from commander.sync.server import connect
from tests.sync.attack import Attacker, apply_roles, crafted, entry_value, key_op
from tests.sync.convergence_actions import DERIVED_TABLES
from tests.sync.helpers import engine_of, sync_once


@pytest.fixture
def mallory(server) -> Attacker:
    apply_roles(server)
    return Attacker.create(server)


def _state(ws) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    with ws.read() as conn:
        raw = dbapi(conn)
        return {
            table: sorted(raw.execute(f"SELECT * FROM {table}").fetchall())
            for table in (*DERIVED_TABLES, "register", "op_stamp")
        }


def _ops(ws) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The stored op rows without the local seq (it differs by arrival)."""
    with ws.read() as conn:
        columns = local.OP_COLUMNS
        return sorted(dbapi(conn).execute(f"SELECT {columns} FROM op").fetchall())


@pytest.mark.parametrize("apply_fails", [False, True], ids=["tampered", "tampered+unfit"])
def test_a_page_with_bad_ops_in_the_middle_quarantines_exactly_them(
    make_workspace, server, mallory, apply_fails
):
    """``tampered``: an op that fails its checks, the page goes through the batched runs;
    ``unfit``: an op that passes them but breaks its apply, the page is redone op by op."""
    alice = make_workspace("alice")
    service = IncidentService(alice)
    incident = service.declare(title="API down", severity="P1").incident
    first = [service.log(incident.id, f"before {n}")[0] for n in range(4)]
    sync_once(alice, server)
    node = "01a00000-0000-7000-8000-0000000000bb"
    key = key_op(node, "mallory", mallory.signer)
    bad_entry = crafted(  # signed and chained: only applying it fails (when asked)
        node_id=node,
        author="mallory",
        prev_hash=key.hash,
        incident_id=incident.id,
        value={"not": "an entry"} if apply_fails else entry_value("mallory's first entry"),
        signer=mallory.signer,
    )
    after_bad = crafted(  # continues the bad op: applied only if the bad op was
        node_id=node,
        author="mallory",
        prev_hash=bad_entry.hash,
        incident_id=incident.id,
        value=entry_value("mallory's honest entry"),
        signer=mallory.signer,
    )
    mallory.push([key, bad_entry, after_bad])
    bob = make_workspace("bob")
    sync_once(bob, server)
    IncidentService(bob).log(incident.id, "bob's entry")
    sync_once(bob, server)
    service.strike(first[1].id, "wrong host")
    service.set_field(incident.id, "severity", "P0")
    service.amend(first[2].id, event="before 2, amended")
    for n in range(4):
        service.log(incident.id, f"after {n}")
    sync_once(alice, server)
    with connect(server) as pg:  # an admin edits bob's last op: its hash no longer holds
        (tampered,) = pg.execute(
            "SELECT op_id FROM commander.op WHERE author = 'bob' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        pg.execute(
            "UPDATE commander.op SET value = replace(value, 'bob''s entry', 'forged') "
            "WHERE op_id = %s",
            (tampered,),
        )
        pg.commit()

    batched = make_workspace("batched")  # one page: every op of the server at once
    result = sync_once(batched, server)
    assert result.pulled.batches == 1
    reasons = {problem.op_id: problem.reason for problem in result.pulled.quarantined}
    bad = {bad_entry.op_id, after_bad.op_id} if apply_fails else set()
    assert set(reasons) == {tampered, *bad}
    if apply_fails:
        assert reasons[bad_entry.op_id].startswith("its value does not fit its kind of change")
        assert reasons[after_bad.op_id] == "it continues an op that was quarantined"
    assert reasons[tampered].startswith("its content does not match its hash")
    events = [entry.event for entry in IncidentService(batched).timeline(incident.id)]
    assert ("mallory's honest entry" in events) is not apply_fails and "after 3" in events
    assert "forged" not in events and "bob's entry" not in events

    # The reference: the same page screened the same way, then each op stored and applied
    # alone through oplog, in its own savepoint.
    single = make_workspace("single")
    with connect(server) as pg:
        engine_of(single).prepare(pg)
        rows = pg.execute(_PULL_SQL, (0, 10_000)).fetchall()
        pg.rollback()
    with single.write() as conn:
        verified: dict = {}
        accepted, problems = checks.screen(conn, rows, revoked={}, wall_ms=0, verified=verified)
        applied = local.apply_pulled(
            conn,
            accepted,
            node_id=single.node_id,
            wall_ms=0,
            signer=single.signer,
            guarded=True,
            verified=verified,
        )
    assert {p.op_id for p in [*problems, *applied.quarantined]} == set(reasons)
    assert _state(batched) == _state(single)
    assert _ops(batched) == _ops(single)
    with batched.read() as conn, single.read() as other:
        problems = "SELECT op_id, kind, reason FROM sync_problem ORDER BY op_id"
        assert dbapi(conn).execute(problems).fetchall() == dbapi(other).execute(problems).fetchall()

    # Paged so that the bad op and the one continuing it arrive in different pages: the same
    # outcome, op for op (a replica's state must not depend on how it paged the server).
    for size in (1, 2, 3):
        paged = make_workspace(f"paged{size}")
        paged_engine = engine_of(paged)
        paged_engine.pull_batch = size
        with connect(server) as pg:
            paged_engine.sync(pg)
        assert _state(paged) == _state(batched)
        assert _ops(paged) == _ops(batched)
        with batched.read() as conn, paged.read() as other:
            assert (
                dbapi(conn).execute(problems).fetchall()
                == dbapi(other).execute(problems).fetchall()
            )
