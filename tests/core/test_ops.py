from dataclasses import replace

from commander.core.ops import GENESIS_HASH, Op, verify_chains


def _chain(node: str, count: int) -> list[Op]:
    ops, head = [], GENESIS_HASH
    for i in range(count):
        op = Op(
            op_id=f"{node}-{i}",
            node_id=node,
            hlc=f"{i:015d}.000000",
            incident_id="inc",
            entity="entry",
            entity_id=f"e{i}",
            field="create",
            value={"event": f"event {i}", "n": i},
            author="alice",
        ).sealed(head)
        head = op.hash
        ops.append(op)
    return ops


def test_an_intact_chain_verifies() -> None:
    assert list(verify_chains(_chain("a", 5) + _chain("b", 3))) == []


def test_canonical_form_ignores_key_order_but_not_content() -> None:
    op = _chain("a", 1)[0]
    same = replace(op, value={"n": 0, "event": "event 0"})
    assert same.canonical() == op.canonical()
    assert replace(op, value={"n": 0, "event": "event 0!"}).compute_hash() != op.hash


def test_an_edited_op_is_named_as_the_first_break() -> None:
    ops = _chain("a", 5)
    ops[2] = replace(ops[2], value={"event": "rewritten", "n": 2})
    breaks = list(verify_chains(ops))
    assert [(b.op_id, b.position) for b in breaks] == [("a-2", 2)]
    assert "content" in breaks[0].reason


def test_a_removed_op_breaks_the_link_of_the_next() -> None:
    ops = _chain("a", 5)
    del ops[1]
    breaks = list(verify_chains(ops))
    assert [b.op_id for b in breaks] == ["a-2"]
    assert "prev_hash" in breaks[0].reason


def test_each_node_reports_its_own_first_break() -> None:
    a, b = _chain("a", 3), _chain("b", 3)
    a[0] = replace(a[0], author="mallory")
    b[2] = replace(b[2], hlc="999999999999999.000000")
    assert sorted(x.op_id for x in verify_chains(a + b)) == ["a-0", "b-2"]
