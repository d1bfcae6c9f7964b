"""This node's identity, the keys of every node the workspace knows, and sync's problem list.

What a team compares out of band: each node's key fingerprint (``commander node show`` here,
the People directory for everyone else's), and what sync kept aside and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from commander.core.records_json import JsonRecord, json_field
from commander.core.signing import fingerprint
from commander.integrations.node_keys import NodeKeys
from commander.services.workspace import Workspace
from commander.storage import node_queries


@dataclass(frozen=True)
class KnownNode(JsonRecord):
    """A node whose key op this workspace holds."""

    node_id: str
    author: str
    fingerprint: str
    revoked: bool


@dataclass(frozen=True)
class SyncProblem(JsonRecord):
    """An op sync would not apply (quarantined) or marked after a revocation (untrusted)."""

    op_id: str
    node_id: str
    author: str
    server_seq: int
    kind: str
    reason: str
    entity: str
    noted_at_ms: int = field(metadata=json_field(omit=True))


def this_node(ws: Workspace, *, create: bool = True) -> dict[str, Any]:
    """Node id, author, key fingerprint and where the key is kept (made if ``create``)."""
    found = ws.signing_key() if create else NodeKeys(ws.data_dir).load(ws.node_id)
    info = found[1] if found else None
    return {
        "node_id": ws.node_id,
        "author": ws.author,
        "fingerprint": info.fingerprint if info else None,
        "public_key": info.public_key if info else None,
        "key_store": info.store if info else None,
        "key_kept_in": info.where if info else "no key yet (made on this node's first write)",
    }


def known_nodes(ws: Workspace) -> list[KnownNode]:
    with ws.read() as conn:
        rows = node_queries.node_keys_with_revocation(conn)
    return [KnownNode(n, a, fingerprint(k), bool(r)) for n, a, k, r in rows]


def fingerprints_by_author(ws: Workspace) -> dict[str, list[str]]:
    """author -> the fingerprints of the nodes that introduced a key under that name."""
    found: dict[str, list[str]] = {}
    for node in known_nodes(ws):
        found.setdefault(node.author, []).append(node.fingerprint)
    return found


def person_fingerprints(by_author: dict[str, list[str]], handle: str, name: str) -> list[str]:
    """The fingerprints of nodes whose author is this person (by handle or name)."""
    wanted = {handle.lstrip("@").casefold(), name.casefold()} - {""}
    found: list[str] = []
    for author, prints in sorted(by_author.items()):
        if author.lstrip("@").casefold() in wanted:
            found.extend(prints)
    return found


def sync_problems(ws: Workspace) -> list[SyncProblem]:
    with ws.read() as conn:
        rows = node_queries.sync_problem_rows(conn)
    return [
        SyncProblem(op_id, node, author, seq, kind, reason, _entity(body), noted)
        for op_id, node, author, seq, kind, reason, body, noted in rows
    ]


def _entity(body: str) -> str:
    try:
        value = json.loads(body)
    except ValueError:
        return ""
    return str(value.get("entity", "")) if isinstance(value, dict) else ""
