"""A second responder login doing what an attacker would, through raw SQL: for the attack tests."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg

from commander.core.clock import to_ms
from commander.core.hlc import HlcStamp
from commander.core.ids import new_id
from commander.core.ops import GENESIS_HASH, WORKSPACE_SCOPE, Entity, Field, Op
from commander.core.signing import Ed25519Signer, key_op_value
from commander.sync.schema import DISPLAY_ROLE, RESPONDER_ROLE, role_statements
from commander.sync.url import ServerUrl

_logins = itertools.count()
_ticks = itertools.count()


def apply_roles(admin_url: ServerUrl) -> None:
    """What ``db init --roles apply`` does."""
    with psycopg.connect(**admin_url.connect_kwargs()) as conn:
        for statement in role_statements():
            conn.execute(statement)  # type: ignore[arg-type]
        conn.commit()


def make_login(admin_url: ServerUrl, role: str | None) -> str:
    """A new PostgreSQL login (cluster-wide, so uniquely named), granted ``role``."""
    name = f"login_{next(_logins)}_{admin_url.url.database}"
    with psycopg.connect(**admin_url.connect_kwargs()) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN")  # type: ignore[arg-type]
        if role is not None:
            conn.execute(f"GRANT {role} TO {name}")  # type: ignore[arg-type]
        conn.commit()
    return name


def login_url(admin_url: ServerUrl, login: str) -> ServerUrl:
    return ServerUrl.parse(admin_url.url.set(username=login).render_as_string(hide_password=False))


def row_of(op: Op, ord_: int) -> dict[str, Any]:
    return {
        "op_id": op.op_id,
        "node_id": op.node_id,
        "hlc": op.hlc,
        "incident_id": op.incident_id,
        "entity": op.entity,
        "entity_id": op.entity_id,
        "field": op.field,
        "value": op.value_json(),
        "author": op.author,
        "schema_version": op.schema_version,
        "prev_hash": op.prev_hash,
        "hash": op.hash,
        "signature": op.signature,
        "ord": ord_,
    }


@dataclass
class Attacker:
    """A responder login (``commander_responder``) pushing crafted ops by raw SQL."""

    url: ServerUrl
    login: str
    signer: Ed25519Signer

    @classmethod
    def create(cls, admin_url: ServerUrl, role: str = RESPONDER_ROLE) -> Attacker:
        login = make_login(admin_url, role)
        return cls(login_url(admin_url, login), login, Ed25519Signer.generate())

    def connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(**self.url.connect_kwargs())

    def push_rows(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """Call commander.push; raises psycopg.Error when the server refuses."""
        with self.connect() as conn:
            (outcome,) = conn.execute(
                "SELECT commander.push(%s::json, %s)",
                (json.dumps(rows), to_ms(datetime.now(UTC))),  # real clock: the server's
            ).fetchone()
            conn.commit()
        return dict(outcome)

    def push(self, ops: list[Op]) -> dict[str, Any]:
        return self.push_rows([row_of(op, n) for n, op in enumerate(ops, 1)])

    def server_head(self, node_id: str) -> str:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT head_hash FROM commander.node_head WHERE node_id = %s", (node_id,)
            ).fetchone()
        return row[0] if row else GENESIS_HASH


def stamp(offset: int = 0) -> str:
    """An HLC stamp at the real time (the server bounds stamps by its own clock); each one
    later than the one before, as a node's clock would make them."""
    wall = to_ms(datetime.now(UTC)) + offset  # real clock: the server bounds stamps by its own
    return HlcStamp(wall, next(_ticks)).encode()


def crafted(
    *,
    node_id: str,
    author: str,
    prev_hash: str,
    entity: str = Entity.ENTRY,
    incident_id: str = "",
    entity_id: str | None = None,
    field: str = Field.CREATE,
    value: Any = None,
    signer: Ed25519Signer | None = None,
    hlc: str | None = None,
) -> Op:
    """An op sealed after ``prev_hash`` (anyone can compute a hash), signed by ``signer``."""
    op = Op(
        op_id=new_id(),
        node_id=node_id,
        hlc=hlc or stamp(),
        incident_id=incident_id,
        entity=entity,
        entity_id=entity_id if entity_id is not None else new_id(),
        field=field,
        value=value if value is not None else {},
        author=author,
    ).sealed(prev_hash)
    if signer is not None:
        op = Op(**{**op.__dict__, "signature": signer.sign(op.signed_bytes())})
    return op


def key_op(node_id: str, author: str, signer: Ed25519Signer, public_key: str | None = None) -> Op:
    return crafted(
        node_id=node_id,
        author=author,
        prev_hash=GENESIS_HASH,
        entity=Entity.NODE,
        incident_id=WORKSPACE_SCOPE,
        entity_id=node_id,
        field=Field.KEY,
        value=key_op_value(public_key or signer.public_key),
        signer=signer,
    )


def entry_value(event: str) -> dict[str, Any]:
    return {
        "occurred_at": datetime.now(UTC).isoformat(),  # real clock: beside the server's stamps
        "event": event,
        "action": "",
        "owner": "",
        "kind": "note",
    }


__all__ = ["DISPLAY_ROLE", "Attacker", "apply_roles", "crafted", "entry_value", "key_op"]
