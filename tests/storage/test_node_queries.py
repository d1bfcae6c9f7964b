"""Nodes' keys with their revocation and the sync problems in server order
(storage/node_queries.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.storage import node_queries
from commander.storage import tables_trust as trust
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_node_keys_with_revocation_and_sync_problems_in_server_order(conn: Connection) -> None:
    key = {"fingerprint": "f", "op_id": "k"}
    put(
        conn,
        trust.node_key_table,
        {"node_id": "n2", "author": "bob", "public_key": "pk2", **key},
        {"node_id": "n1", "author": "bob", "public_key": "pk1", **key},
        {"node_id": "n3", "author": "alice", "public_key": "pk3", **key},
    )
    put(conn, trust.node_revocation_table, {"node_id": "n2", "after_seq": 5, "revoked_at": "x"})
    assert node_queries.node_keys_with_revocation(conn) == [
        ("n3", "alice", "pk3", 0),
        ("n1", "bob", "pk1", 0),
        ("n2", "bob", "pk2", 1),
    ]
    problem = {"node_id": "n2", "author": "bob", "kind": "quarantined", "reason": "r", "body": "{}"}
    put(
        conn,
        trust.sync_problem_table,
        {"op_id": "b", "server_seq": 7, "noted_at": 1, **problem},
        {"op_id": "a", "server_seq": 7, "noted_at": 2, **problem},
        {"op_id": "c", "server_seq": 3, "noted_at": 3, **problem},
    )
    rows = node_queries.sync_problem_rows(conn)
    assert [row[0] for row in rows] == ["c", "a", "b"]
    assert rows[0] == ("c", "n2", "bob", 3, "quarantined", "r", "{}", 3)
