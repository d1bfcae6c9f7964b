"""The server rebuilds each op's canonical form in SQL to check its hash. Strings that JSON
must escape take a different path there than plain ones: both must give Python's bytes."""

from __future__ import annotations

import psycopg
import pytest

from commander.core.ids import new_id
from commander.core.ops import Op
from commander.services.incidents import IncidentService
from commander.sync import push_sql
from commander.sync.schema import PUSH_SIGNATURE, init_schema
from commander.sync.server import connect
from tests.sync.attack import Attacker, apply_roles, crafted, entry_value, key_op
from tests.sync.helpers import sync_once

AWKWARD = ['quote " in it', "back\\slash", "new\nline", "tab\tand\x01control", "del\x7f", "é✓😀"]


@pytest.fixture
def mallory(server) -> Attacker:
    apply_roles(server)
    return Attacker.create(server)


@pytest.mark.parametrize("text", AWKWARD)
def test_an_op_whose_strings_need_escaping_verifies_on_the_server(server, mallory, text):
    node = new_id()
    author = f"resp {text}"
    first = key_op(node, author, mallory.signer)
    entry = crafted(
        node_id=node,
        author=author,
        prev_hash=first.hash,
        incident_id=new_id(),
        entity_id=f"entry {text}",
        value=entry_value(text),
        signer=mallory.signer,
    )
    assert mallory.push([first, entry])["accepted"] == 2


@pytest.mark.parametrize("text", ["plain", *AWKWARD])
def test_a_string_changed_after_sealing_is_refused_on_either_path(server, mallory, text):
    node = new_id()
    first = key_op(node, "responder", mallory.signer)
    entry = crafted(
        node_id=node,
        author="responder",
        prev_hash=first.hash,
        incident_id=new_id(),
        entity_id=f"entry {text}",
        value=entry_value("sealed"),
        signer=mallory.signer,
    )
    changed = Op(**{**entry.__dict__, "entity_id": f"entry {text}!"})
    with pytest.raises(psycopg.Error, match="it does not match its hash"):
        mallory.push([first, changed])
    assert mallory.push([first, entry])["accepted"] == 2


def test_db_init_on_a_server_in_use_installs_the_faster_push_and_chains_go_on(
    make_workspace, server
):
    """A server installed before the plain-string path (every string through to_json):
    ``db init`` replaces its push function in place, and a node keeps pushing its chain."""
    alice = make_workspace("alice")
    service = IncidentService(alice)
    incident = service.declare(title="API down", severity="P1").incident
    earlier = push_sql.PUSH_FUNCTION.replace(push_sql._CANONICAL, push_sql._CANONICAL_ESCAPED)
    with connect(server) as pg:
        pg.execute(earlier)  # type: ignore[arg-type]
        pg.commit()
    assert sync_once(alice, server).pushed.accepted == 3
    with connect(server) as pg:
        init_schema(pg)
        (body,) = pg.execute(
            "SELECT prosrc FROM pg_proc WHERE oid = %s::regprocedure", (PUSH_SIGNATURE,)
        ).fetchone()
    assert "[:cntrl:]" in body
    service.log(incident.id, "after the upgrade")
    pushed = sync_once(alice, server).pushed
    assert pushed.accepted == 1 and pushed.refused is None
