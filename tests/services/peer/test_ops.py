"""A peer's heads are checked before the op log answers what the peer lacks."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.services.incidents import IncidentService
from commander.services.peer.ops import checked_heads, node_heads, ops_after
from commander.storage import queries


def test_heads_are_node_ids_and_op_hashes() -> None:
    heads = {"node-a": "0123456789abcdef" * 4, "node-b": "f" * 64}
    assert checked_heads(heads) == heads and checked_heads({}) == {}


@pytest.mark.parametrize(
    "bad",
    [None, [], "heads", {"n": "F" * 64}, {"n": "a" * 63}, {"n": "g" * 64}, {1: "a" * 64}],
    ids=["none", "list", "text", "upper", "short", "not hex", "number node"],
)
def test_other_heads_are_one_sentence(bad: object) -> None:
    with pytest.raises(ValidationError) as refused:
        checked_heads(bad)
    assert str(refused.value) == "The peer sent heads that are not node ids and op hashes."


def test_a_peer_at_these_heads_lacks_only_what_came_after(
    workspace, incidents: IncidentService
) -> None:
    incidents.declare(title="API down", severity="P1")
    with workspace.read() as conn:
        before = checked_heads(node_heads(conn))
        assert list(before) == [workspace.node_id]
        assert ops_after(conn, before) == []
        everything = [op.op_id for op in queries.ops_in_chain_order(conn)]
        assert [op.op_id for op in ops_after(conn, {})] == everything
    incidents.declare(title="Queue stuck", severity="P2")
    with workspace.read() as conn:
        later = [op.op_id for op in ops_after(conn, before)]
        assert later and set(later).isdisjoint(everything)
        assert len(everything) + len(later) == len(list(queries.ops_in_chain_order(conn)))
