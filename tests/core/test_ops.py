import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from commander.core.ops import GENESIS_HASH, OP_FIELDS, Op, canonical_json, verify_chains


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


_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)  # UTF-8 text
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(fields=st.lists(_TEXT, min_size=8, max_size=8), version=st.integers(), value=_JSON)
def test_canonical_bytes_are_the_sorted_compact_json_of_the_whole_body(
    fields: list[str], version: int, value: object
) -> None:
    """The fast head (string quoting, spliced value) is byte for byte the plain encoding."""
    op_id, node_id, hlc, incident_id, entity, entity_id, field, author = fields
    op = Op(op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, version)
    body = {name: getattr(op, name) for name in OP_FIELDS if name not in ("prev_hash", "hash")}
    del body["signature"]
    plain = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert op.canonical() == plain.encode("utf-8")
    assert op.canonical_with(canonical_json(value)) == plain.encode("utf-8")
    assert canonical_json(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def test_canonical_bytes_of_an_op_with_a_wrongly_typed_field_take_the_general_path() -> None:
    op = replace(_chain("a", 1)[0], schema_version=True)  # a bool is an int to Python
    assert b'"schema_version":true' in op.canonical()
