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

Versions: the tables are built by Alembic revisions (``commander.sync.server_migrations``,
version table ``commander.alembic_version``); the functions are installed from this code after
every upgrade. ``meta.schema_version`` is still written, for clients that read only it.
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
from commander.sync.server_migrations import HEAD, LEGACY_REVISIONS, REVISIONS

# What meta.schema_version says, for clients (check_schema); each value is one revision in
# server_migrations: 1: tables; 2: signed ops, node/author binding, revocation; 3: files;
# 4: relaying (another login may carry a node's ops signed by its key)
SERVER_SCHEMA_VERSION = 4
PUSH_SIGNATURE = "commander.push(json, bigint)"
REVOKE_SIGNATURE = "commander.revoke_node(text, timestamptz)"
NOTIFY_SIGNATURE = "pg_catalog.pg_notify(text, text)"
RESPONDER_ROLE = "commander_responder"
DISPLAY_ROLE = "commander_display"

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


def server_revision(conn: psycopg.Connection[Any]) -> str | None:
    """The Alembic revision of the shared database; None before Alembic (or before any)."""
    row = conn.execute("SELECT to_regclass('commander.alembic_version')").fetchone()
    if row is None or row[0] is None:
        return None
    found = conn.execute("SELECT version_num FROM commander.alembic_version").fetchone()
    return str(found[0]) if found else None


def init_schema(
    conn: psycopg.Connection[Any], *, apply_roles: bool = False, max_skew_ms: int | None = None
) -> InitResult:
    """Create or upgrade the schema in one transaction; safe to run again.

    A database from before Alembic (``meta.schema_version`` 1..4, no version table) is
    stamped at the revision it has, then upgraded in place.

    Raises:
        SchemaMissing: the database holds a newer schema than this Commander knows.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK_KEY,))
        found = server_version(conn)
        revision = server_revision(conn)
        if (found is not None and found > SERVER_SCHEMA_VERSION) or (
            revision is not None and revision not in REVISIONS
        ):
            raise SchemaMissing(
                f"the shared database has Commander schema {found} ({revision or 'no revision'})"
                f", newer than this version knows ({SERVER_SCHEMA_VERSION}, {HEAD}); upgrade "
                "Commander. Nothing changed."
            )
        if revision != HEAD:
            stamp = None  # a new database, or one already under Alembic
            if revision is None and found is not None:  # made before Alembic
                stamp = LEGACY_REVISIONS.get(found)
                if stamp is None:
                    raise SchemaMissing(
                        f"the shared database has Commander schema {found}, which this "
                        "version cannot upgrade. Nothing changed."
                    )
            _upgrade(conn, stamp)
        conn.execute(ED25519_FUNCTIONS)
        conn.execute(PUSH_FUNCTION)
        conn.execute(_REVOKE_FUNCTION)
        conn.execute(blob_sync.PUT_BLOB_FUNCTION)
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


class _CallersConnection:
    """The caller's psycopg connection as SQLAlchemy's DB-API connection: statements run on it,
    in the caller's transaction; commit, rollback and close stay the caller's (no-ops here,
    so SQLAlchemy's own rollback after its first-connect checks cannot end the transaction)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass

    def add_notice_handler(self, _handler: object) -> None:
        pass  # SQLAlchemy's logging handler would outlive this upgrade on the caller's conn

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _upgrade(conn: psycopg.Connection[Any], stamp: str | None) -> None:
    """Run the server migrations to head on ``conn``, in its open transaction; first stamp a
    database from before Alembic at ``stamp``. A failure raises and the caller's transaction
    rolls back: nothing changed."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    conn.execute("CREATE SCHEMA IF NOT EXISTS commander")  # the version table lives there
    callers = _CallersConnection(conn)
    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: callers,
        poolclass=StaticPool,
        pool_reset_on_return=None,
        use_native_hstore=False,  # no type lookups on the caller's connection
    )
    config = Config()
    config.set_main_option("script_location", "commander.sync:server_migrations")
    try:
        with engine.connect() as connection, connection.begin():
            config.attributes["connection"] = connection
            if stamp is not None:
                command.stamp(config, stamp)
            command.upgrade(config, "head")
    finally:
        engine.dispose()


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
