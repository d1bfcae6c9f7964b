"""The shared database's schema: ``commander db init`` and the push function it installs.

Everything lives in the ``commander`` schema:

* ``op`` mirrors the local op (``value`` is the canonical JSON text, so hashes verify byte
  for byte) plus ``seq`` (the server's order), ``effective_hlc`` (the server's clamp of a
  far-ahead stamp; see clock skew below) and ``received_at``;
* ``node_head`` is each node's chain head, op count, last push and measured clock offset;
* ``node_head`` also binds each node to the login that first pushed it, pins its public key
  and records a revocation; ``author_login`` binds each author name to its first login;
* ``push(...)`` is the only way in. It takes an advisory transaction lock, so pushes are
  serialized and ``seq`` order is commit order (a pull cursor on ``seq`` never skips a row
  that commits late); refuses a batch with any op that fails a check (``push_sql`` lists
  them: binding, JSON, stamps, chain, hash, signature presence and key pinning); skips ops
  already present (a resend is a no-op); and rings ``NOTIFY commander_ops`` (a doorbell,
  never data: clients ignore the payload);
* ``blob`` holds attached files by SHA-256, written only through ``put_blob``, which checks
  the bytes against the digest (``blob_sync``);
* ``revoke_node(node, since)`` (the schema owner only) refuses the node's later pushes and
  tells clients its ops after ``since`` are untrusted.

Clock skew: an op stamped more than ``max_skew_ms`` ahead of the server's clock gets an
``effective_hlc`` of the server's time instead (the original stays in ``hlc``, hashed, for the
record). No replica orders by it: only the op's own node reads it, and adopts that stamp in a
signed stamp op of its own chain, which orders the op the same way everywhere
(``commander.storage.ordering``; docs/ordering.md).

Roles: ``commander_responder`` may push and read, ``commander_display`` may only read; push
runs as the schema owner (SECURITY DEFINER) so neither role can insert rows directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from commander.core.ids import new_id
from commander.core.records_json import JsonRecord, json_field
from commander.sync import blob_sync
from commander.sync.ed25519_sql import ED25519_FUNCTIONS
from commander.sync.errors import SchemaMissing, SyncError
from commander.sync.push_sql import CHANNEL, PUSH_FUNCTION, PUSH_LOCK_KEY

SERVER_SCHEMA_VERSION = 4  # 2: signed ops, node/author binding, revocation; 3: files;
# 4: relaying (another login may carry a node's ops signed by its key)
PUSH_SIGNATURE = "commander.push(json, bigint)"
REVOKE_SIGNATURE = "commander.revoke_node(text, timestamptz)"
NOTIFY_SIGNATURE = "pg_catalog.pg_notify(text, text)"
RESPONDER_ROLE = "commander_responder"
DISPLAY_ROLE = "commander_display"

_TABLES = """
CREATE SCHEMA IF NOT EXISTS commander;
CREATE TABLE IF NOT EXISTS commander.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS commander.op (
    seq bigserial PRIMARY KEY,
    op_id text NOT NULL UNIQUE,
    node_id text NOT NULL,
    hlc text NOT NULL,
    effective_hlc text NOT NULL,
    incident_id text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    field text NOT NULL,
    value text NOT NULL,
    author text NOT NULL,
    schema_version integer NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS op_node_seq ON commander.op (node_id, seq);
CREATE TABLE IF NOT EXISTS commander.node_head (
    node_id text PRIMARY KEY,
    author text NOT NULL,
    head_hash text NOT NULL,
    count bigint NOT NULL,
    last_push_at timestamptz NOT NULL,
    clock_offset_ms bigint NOT NULL,
    clamp_wall bigint NOT NULL DEFAULT 0
);
"""

_SIGNED_OPS = """
ALTER TABLE commander.op ADD COLUMN IF NOT EXISTS signature text NOT NULL DEFAULT '';
ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS login text;
ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS public_key text;
ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS revoked_at timestamptz;
ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS revoked_after_seq bigint;
CREATE TABLE IF NOT EXISTS commander.author_login (
    author text PRIMARY KEY,
    login text NOT NULL,
    node_id text NOT NULL,
    bound_at timestamptz NOT NULL DEFAULT now()
);
"""

_REVOKE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION commander.revoke_node(p_node text, p_since timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = commander, pg_temp
AS $fn$
DECLARE
    v_after bigint;
    v_count bigint;
BEGIN
    PERFORM pg_advisory_xact_lock({PUSH_LOCK_KEY});
    IF NOT EXISTS (SELECT 1 FROM commander.node_head WHERE node_id = p_node) THEN
        RAISE EXCEPTION USING ERRCODE = 'CM004',
            MESSAGE = format('the shared database has no node %s', p_node);
    END IF;
    SELECT min(seq) - 1 INTO v_after FROM commander.op
        WHERE node_id = p_node AND received_at >= p_since;
    IF v_after IS NULL THEN
        SELECT coalesce(max(seq), 0) INTO v_after FROM commander.op WHERE node_id = p_node;
    END IF;
    UPDATE commander.node_head
        SET revoked_at = least(coalesce(revoked_at, p_since), p_since),
            revoked_after_seq = least(coalesce(revoked_after_seq, v_after), v_after)
        WHERE node_id = p_node
        RETURNING revoked_after_seq INTO v_after;
    -- Names the revoked node claimed first are free again for their rightful owner.
    DELETE FROM commander.author_login WHERE node_id = p_node;
    SELECT count(*) INTO v_count FROM commander.op WHERE node_id = p_node AND seq > v_after;
    PERFORM pg_notify('{CHANNEL}', 'revoked');
    RETURN jsonb_build_object('node_id', p_node, 'after_seq', v_after, 'untrusted', v_count);
END
$fn$;
"""


def role_statements() -> list[str]:
    """The GRANTs ``db init --roles`` prints or applies (idempotent)."""
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        for role in (RESPONDER_ROLE, DISPLAY_ROLE)
    ] + [
        f"GRANT USAGE ON SCHEMA commander TO {RESPONDER_ROLE}, {DISPLAY_ROLE}",
        f"GRANT SELECT ON commander.op, commander.node_head, commander.meta "
        f"TO {RESPONDER_ROLE}, {DISPLAY_ROLE}",
        f"GRANT SELECT ON commander.author_login TO {RESPONDER_ROLE}, {DISPLAY_ROLE}",
        *blob_sync.role_statements(RESPONDER_ROLE, DISPLAY_ROLE),
        f"REVOKE ALL ON FUNCTION {PUSH_SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {PUSH_SIGNATURE} TO {RESPONDER_ROLE}",
        f"REVOKE ALL ON FUNCTION {REVOKE_SIGNATURE} FROM PUBLIC",
        # Only writers ring: pg_notify() is for the responder role (and the schema owner,
        # whose push function rings); a login outside both roles may not even connect.
        f"REVOKE EXECUTE ON FUNCTION {NOTIFY_SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {NOTIFY_SIGNATURE} TO CURRENT_USER, {RESPONDER_ROLE}",
        "DO $$ BEGIN "
        "EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database()); "
        "EXECUTE format('GRANT CONNECT ON DATABASE %I TO CURRENT_USER, "
        f"{RESPONDER_ROLE}, {DISPLAY_ROLE}', current_database()); END $$",
    ]


@dataclass
class InitResult(JsonRecord):
    """What ``db init`` found and did."""

    schema_version: int
    created: bool
    server_id: str
    roles: list[str] = field(default_factory=list, metadata=json_field(name="roles_applied"))


def server_version(conn: psycopg.Connection[Any]) -> int | None:
    """The schema version of the shared database; None when it has none."""
    row = conn.execute("SELECT to_regclass('commander.meta')").fetchone()
    if row is None or row[0] is None:
        return None
    found = conn.execute("SELECT value FROM commander.meta WHERE key = 'schema_version'").fetchone()
    return int(found[0]) if found else None


def init_schema(
    conn: psycopg.Connection[Any], *, apply_roles: bool = False, max_skew_ms: int | None = None
) -> InitResult:
    """Create or update the schema in one transaction; safe to run again.

    Raises:
        SchemaMissing: the database holds a newer schema than this Commander knows.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK_KEY,))
        found = server_version(conn)
        if found is not None and found > SERVER_SCHEMA_VERSION:
            raise SchemaMissing(
                f"the shared database has Commander schema {found}, newer than this "
                f"version knows ({SERVER_SCHEMA_VERSION}); upgrade Commander. Nothing changed."
            )
        conn.execute(_TABLES)
        conn.execute(_SIGNED_OPS)
        conn.execute(ED25519_FUNCTIONS)
        conn.execute(PUSH_FUNCTION)
        conn.execute(_REVOKE_FUNCTION)
        conn.execute(blob_sync.BLOB_DDL)
        conn.execute(
            "INSERT INTO commander.meta(key, value) VALUES ('schema_version', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(SERVER_SCHEMA_VERSION),),
        )
        conn.execute(
            "INSERT INTO commander.meta(key, value) VALUES ('server_id', %s) "
            "ON CONFLICT (key) DO NOTHING",
            (new_id(),),
        )
        if max_skew_ms is not None:
            conn.execute(
                "INSERT INTO commander.meta(key, value) VALUES ('max_skew_ms', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(max_skew_ms),),
            )
        applied: list[str] = []
        if apply_roles:
            for statement in role_statements():
                conn.execute(statement)  # type: ignore[arg-type]
                applied.append(statement)
        row = conn.execute("SELECT value FROM commander.meta WHERE key = 'server_id'").fetchone()
    assert row is not None
    return InitResult(SERVER_SCHEMA_VERSION, found is None, row[0], applied)


def check_schema(conn: psycopg.Connection[Any]) -> str:
    """The server id, after checking the schema is one this version can use."""
    found = server_version(conn)
    if found is None:
        raise SchemaMissing("the shared database has no Commander schema; run 'commander db init'")
    if found > SERVER_SCHEMA_VERSION:
        raise SchemaMissing(
            f"the shared database has Commander schema {found}, newer than this version "
            f"knows ({SERVER_SCHEMA_VERSION}); upgrade Commander"
        )
    if found < SERVER_SCHEMA_VERSION:
        raise SchemaMissing(
            f"the shared database has Commander schema {found}, older than this version "
            f"needs ({SERVER_SCHEMA_VERSION}); an admin runs 'commander db init URL' to upgrade it"
        )
    row = conn.execute("SELECT value FROM commander.meta WHERE key = 'server_id'").fetchone()
    if row is None:
        raise SyncError("the shared database's Commander schema is incomplete; run db init")
    return str(row[0])


def revoke_node(
    conn: psycopg.Connection[Any], node_id: str, since: datetime | None = None
) -> dict[str, Any]:
    """Revoke a node (schema owner only): its later pushes are refused, and clients mark
    its ops the server received from ``since`` (default now) on as untrusted.

    Raises:
        SyncError: the login is not the admin, or the server has no such node.
    """
    try:
        with conn.transaction():
            row = conn.execute(
                "SELECT commander.revoke_node(%s, coalesce(%s::timestamptz, now()))",
                (node_id, since),
            ).fetchone()
    except psycopg.errors.InsufficientPrivilege as exc:
        raise SyncError(
            "only the shared database's admin (the owner of the Commander schema) may revoke "
            "a node; nothing changed"
        ) from exc
    except psycopg.Error as exc:
        if getattr(exc, "sqlstate", None) == "CM004":
            raise SyncError(f"{exc.diag.message_primary}; nothing changed") from exc
        raise
    assert row is not None
    return dict(row[0])
