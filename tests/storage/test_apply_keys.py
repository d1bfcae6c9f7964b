"""Pinned node keys (storage/apply_keys.py): the first well-formed key op of a node pins its
key; a second one, another node's claim or a malformed key changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.core.ops import Entity, Field, Op
from commander.core.signing import fingerprint, key_op_value
from commander.storage import apply_keys
from commander.storage.database import open_engine

KEY_A, KEY_B = "ab" * 32, "cd" * 32


def _key_op(op_id: str, node: str, value: object, *, entity_id: str | None = None) -> Op:
    return Op(
        op_id, node, "001800000000000.000000", "", Entity.NODE, entity_id or node, Field.KEY,
        value, f"author-{node}",
    )  # fmt: skip


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_the_first_key_op_pins_the_key_and_a_second_does_not_replace_it(
    conn: Connection,
) -> None:
    apply_keys.apply_key(conn, _key_op("k1", "node-a", key_op_value(KEY_A)))
    apply_keys.apply_key(conn, _key_op("k2", "node-a", key_op_value(KEY_B)))
    assert apply_keys.pinned_keys(conn) == {"node-a": KEY_A}
    row = conn.exec_driver_sql("SELECT fingerprint, op_id FROM node_key").fetchone()
    assert tuple(row) == (fingerprint(KEY_A), "k1")


def test_a_node_cannot_pin_a_key_for_another_node(conn: Connection) -> None:
    apply_keys.apply_key(conn, _key_op("k1", "node-a", key_op_value(KEY_A), entity_id="node-b"))
    assert apply_keys.pinned_keys(conn) == {}
    assert not apply_keys.has_key(conn, "node-b")


@pytest.mark.parametrize(
    "value",
    [
        {"algorithm": "rsa", "public_key": KEY_A},
        {"algorithm": key_op_value(KEY_A)["algorithm"], "public_key": "zz" * 32},
        {"algorithm": key_op_value(KEY_A)["algorithm"], "public_key": KEY_A[:-2]},
        "not a key",
    ],
)
def test_a_malformed_key_pins_nothing(conn: Connection, value: object) -> None:
    apply_keys.apply_key(conn, _key_op("k1", "node-a", value))
    assert not apply_keys.has_key(conn, "node-a")
