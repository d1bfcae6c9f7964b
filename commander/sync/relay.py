"""Relaying: pushing the other nodes' ops this workspace holds (from a peer or a bundle) that
the shared database lacks, so that when the server returns nothing stays on one laptop.

The server takes another node's op from this login only when it is signed by that node's key
as pinned on the server, and continues its chain exactly (``push_sql``): a relay can carry,
never forge. So a node is relayed only once the server knows it, with its key:

* the server has the node and its key: its ops after the server's head are pushed, in
  batches, each in its own server transaction (its files first, as for this node's own);
* the server has never seen the node, or has it without a key (ops from before signing):
  its ops are *held* here and reported; they go as soon as the node's own login has pushed
  it once (a relay never makes a node on the server, which would bind it to this login);
* the server refuses a batch (a forged or altered op): the refusal is reported, the node's
  ops stay held, and the other nodes and this node's own push are not affected.

Which nodes to look at is kept in the workspace (``sync.relay``): ops written since the last
look, plus the nodes held then, so a push with nothing new to relay costs one local query.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine

from commander.core.clock import Clock, to_ms
from commander.core.records_json import JsonRecord
from commander.storage import oplog, sync_queries
from commander.sync import blob_sync, local
from commander.sync.push_sql import REFUSED_SQLSTATES
from commander.sync.server import translate

log = logging.getLogger(__name__)

META_RELAY = "sync.relay"  # {"server": id, "seq": last local seq looked at, "held": [nodes]}
_PUSH_SQL = "SELECT commander.push(%s::json, %s::bigint)"
_HEADS_SQL = (
    "SELECT node_id, head_hash, public_key IS NOT NULL, revoked_at IS NOT NULL "
    "FROM commander.node_head WHERE node_id = ANY(%s)"
)


@dataclass
class RelayResult(JsonRecord):
    """What one relay round did: ops carried, nodes held back and why, batches refused."""

    relayed: int = 0
    skipped: int = 0
    held: list[str] = field(default_factory=list)  # one sentence per node held back
    refused: list[str] = field(default_factory=list)  # the server's reason, per node

    def merge(self, other: RelayResult) -> None:
        """Add a later round (the held and refused lists are the later round's own)."""
        self.relayed += other.relayed
        self.skipped += other.skipped
        self.held = other.held
        self.refused = self.refused + [text for text in other.refused if text not in self.refused]


def relay(
    pg: psycopg.Connection[Any],
    engine: Engine,
    *,
    node_id: str,
    clock: Clock,
    batch: int,
    read_blob: Callable[[str], bytes | None],
) -> RelayResult:
    """Push the other nodes' ops the server lacks and may take from this login."""
    result = RelayResult()
    writer = engine.execution_options(write=True)
    with engine.connect() as conn:
        server_id = oplog.read_meta(conn, local.META_SERVER_ID) or ""
        state = _state(conn, server_id)
        top, nodes = _candidates(conn, node_id, int(state["seq"]), set(state["held"]))
    if not nodes:
        return result
    try:
        heads = {row[0]: row[1:] for row in pg.execute(_HEADS_SQL, (sorted(nodes),)).fetchall()}
        pg.rollback()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    held: list[str] = []
    for node in sorted(nodes):
        author, count = nodes[node]
        known = heads.get(node)
        if known is None or not known[1]:
            why = "has never seen it" if known is None else "has it without a signing key"
            result.held.append(
                f"{count} ops of node {node} ({author}) stay here: the server {why}, so only "
                "its own login can bring it; they go once it has"
            )
            held.append(node)
            continue
        if known[2]:
            continue  # revoked: the server refuses its ops from anyone
        if not _push_node(pg, engine, node, str(known[0]), clock, batch, read_blob, result):
            held.append(node)
    with writer.begin() as conn:
        payload = {"server": server_id, "seq": top, "held": held}
        oplog.write_meta(conn, META_RELAY, json.dumps(payload))
    return result


def _push_node(
    pg: psycopg.Connection[Any],
    engine: Engine,
    node: str,
    server_head: str,
    clock: Clock,
    batch: int,
    read_blob: Callable[[str], bytes | None],
    result: RelayResult,
) -> bool:
    """Push ``node``'s ops after the server's head; False when the server refused them."""
    with engine.connect() as conn:
        after = local.seq_of_hash(conn, node, server_head)
    if after is None:
        return True  # the server's head is not one we hold: it is ahead of us, nothing to add
    while True:
        with engine.connect() as conn:
            count, last_seq, rows = local.ops_after(conn, node, after, batch)
            files = blob_sync.pending_digests(conn, node, after, last_seq)
        if not count:
            return True
        try:
            with pg.transaction():
                blob_sync.upload(pg, files, read_blob)
                found = pg.execute(_PUSH_SQL, (rows, to_ms(clock.now()))).fetchone()
        except psycopg.Error as exc:
            if getattr(exc, "sqlstate", None) in REFUSED_SQLSTATES:
                reason = exc.diag.message_primary or str(exc)
                log.error("sync: relaying node %s: %s", node, reason)
                result.refused.append(f"relaying node {node}: {reason}")
                return False
            raise translate(exc) from exc
        assert found is not None
        result.relayed += int(found[0]["accepted"])
        result.skipped += int(found[0]["skipped"])
        after = last_seq
        if count < batch:
            return True


def _state(conn: Connection, server_id: str) -> dict[str, Any]:
    """Where the last look ended, for this server (another server starts over)."""
    text = oplog.read_meta(conn, META_RELAY)
    state = json.loads(text) if text else {}
    if state.get("server") != server_id:
        return {"server": server_id, "seq": 0, "held": []}
    return dict(state)


def _candidates(
    conn: Connection, node_id: str, after: int, held: set[str]
) -> tuple[int, dict[str, tuple[str, int]]]:
    """The newest local seq, and the other nodes with ops since ``after`` or held last time:
    node -> (its latest author name, how many of its ops this workspace holds)."""
    top = sync_queries.top_seq(conn)
    fresh = sync_queries.other_nodes_since(conn, after, node_id)
    nodes: dict[str, tuple[str, int]] = {}
    for node in sorted(fresh | (held - {node_id})):
        count, author = sync_queries.node_summary(conn, node)
        if count:
            nodes[node] = (author, count)
    return top, nodes
