"""The shared database's schema: ``commander db init`` and the push function it installs.

Everything lives in the ``commander`` schema:

* ``op`` mirrors the local op (``value`` is the canonical JSON text, so hashes verify byte
  for byte) plus ``seq`` (the server's order), ``effective_hlc`` (the ordering stamp every
  replica uses; see clock skew below) and ``received_at``;
* ``node_head`` is each node's chain head, op count, last push and measured clock offset;
* ``push(...)`` is the only way in. It takes an advisory transaction lock, so pushes are
  serialized and ``seq`` order is commit order (a pull cursor on ``seq`` never skips a row
  that commits late); refuses a batch whose chain does not continue ``node_head`` or whose
  content does not match its hash; skips ops already present (a resend is a no-op); and
  rings ``NOTIFY commander_ops`` with only the new max seq (a doorbell, never data).

Clock skew: an op stamped more than ``max_skew_ms`` ahead of the server's clock gets an
``effective_hlc`` of the server's time instead (the original stays in ``hlc``, hashed, for the
record). It is decided once, here, so every replica orders that op the same way.

Roles: ``commander_responder`` may push and read, ``commander_display`` may only read; push
runs as the schema owner (SECURITY DEFINER) so neither role can insert rows directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from commander.core.ids import new_id
from commander.sync.errors import SchemaMissing, SyncError

SERVER_SCHEMA_VERSION = 1
CHANNEL = "commander_ops"
PUSH_LOCK_KEY = 0x636F6D6D  # "comm": one advisory lock for all pushes
DEFAULT_MAX_SKEW_MS = 5_000
PUSH_SIGNATURE = "commander.push(json, bigint)"
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

# The canonical form of core.ops.Op.canonical(), rebuilt in SQL: keys sorted, no spaces;
# PostgreSQL's to_json escapes strings exactly as Python's json.dumps(ensure_ascii=False).
_CANONICAL = """
    '{"author":' || to_json(u.author)::text
    || ',"entity":' || to_json(u.entity)::text
    || ',"entity_id":' || to_json(u.entity_id)::text
    || ',"field":' || to_json(u.field)::text
    || ',"hlc":' || to_json(u.hlc)::text
    || ',"incident_id":' || to_json(u.incident_id)::text
    || ',"node_id":' || to_json(u.node_id)::text
    || ',"op_id":' || to_json(u.op_id)::text
    || ',"schema_version":' || u.schema_version::text
    || ',"value":' || u.value || '}'
"""

# The batch arrives as one JSON array of objects: parsed in C on the server, it costs a tenth
# of twelve array parameters (psycopg adapts arrays element by element).
_UNNEST = """
    json_to_recordset(p_rows)
        AS u(op_id text, node_id text, hlc text, incident_id text, entity text, entity_id text,
             field text, value text, author text, schema_version integer, prev_hash text,
             hash text, ord integer)
"""

_PUSH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION commander.push(p_rows json, p_client_ms bigint)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = commander, pg_temp
AS $fn$
DECLARE
    v_now_ms bigint;
    v_skew bigint;
    v_bad json;
    v_accepted integer := 0;
    v_max bigint;
    v_total integer := json_array_length(p_rows);
BEGIN
    PERFORM pg_advisory_xact_lock({PUSH_LOCK_KEY});
    v_now_ms := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    SELECT value::bigint INTO v_skew FROM commander.meta WHERE key = 'max_skew_ms';
    v_skew := coalesce(v_skew, {DEFAULT_MAX_SKEW_MS});

    -- One statement: the batch is parsed once; if any op fails the checks, nothing is
    -- inserted and the RAISE below rolls the whole push back.
    WITH fresh AS MATERIALIZED (
        SELECT u.*, h.clamp_wall,
               coalesce(lag(u.hash) OVER w, h.head_hash, repeat('0', 64)) AS expected_prev,
               row_number() OVER w AS n
        FROM {_UNNEST}
        LEFT JOIN commander.node_head h ON h.node_id = u.node_id
        WHERE NOT EXISTS (SELECT 1 FROM commander.op o WHERE o.op_id = u.op_id)
        WINDOW w AS (PARTITION BY u.node_id ORDER BY u.ord)
    ), bad AS (
        SELECT u.ord, u.op_id, u.node_id, u.prev_hash, u.expected_prev FROM fresh u
        WHERE u.prev_hash <> u.expected_prev
           OR u.hash <> encode(sha256(convert_to(u.prev_hash || {_CANONICAL}, 'UTF8')), 'hex')
        ORDER BY u.ord LIMIT 1
    ), ins AS (
        INSERT INTO commander.op (op_id, node_id, hlc, effective_hlc, incident_id, entity,
                                  entity_id, field, value, author, schema_version,
                                  prev_hash, hash)
        SELECT f.op_id, f.node_id, f.hlc,
               CASE WHEN split_part(f.hlc, '.', 1)::bigint > v_now_ms + v_skew
                    THEN lpad(greatest(v_now_ms, coalesce(f.clamp_wall, 0) + 1)::text, 15, '0')
                         || '.' || lpad(f.n::text, 6, '0')
                    ELSE f.hlc END,
               f.incident_id, f.entity, f.entity_id, f.field, f.value, f.author,
               f.schema_version, f.prev_hash, f.hash
        FROM fresh f WHERE NOT EXISTS (SELECT 1 FROM bad) ORDER BY f.ord
        ON CONFLICT (op_id) DO NOTHING
        RETURNING seq, node_id, author, hash, effective_hlc <> hlc AS clamped
    ), heads AS (
        INSERT INTO commander.node_head AS nh (node_id, author, head_hash, count, last_push_at,
                                              clock_offset_ms, clamp_wall)
        SELECT node_id, (array_agg(author ORDER BY seq DESC))[1],
               (array_agg(hash ORDER BY seq DESC))[1], count(*), now(),
               coalesce(p_client_ms - v_now_ms, 0),
               CASE WHEN bool_or(clamped) THEN v_now_ms ELSE 0 END
        FROM ins GROUP BY node_id
        ON CONFLICT (node_id) DO UPDATE SET
            author = excluded.author,
            head_hash = excluded.head_hash,
            count = nh.count + excluded.count,
            last_push_at = excluded.last_push_at,
            clock_offset_ms = excluded.clock_offset_ms,
            clamp_wall = CASE WHEN excluded.clamp_wall > 0
                              THEN greatest(excluded.clamp_wall, nh.clamp_wall + 1)
                              ELSE nh.clamp_wall END
        RETURNING 1
    )
    SELECT (SELECT row_to_json(bad) FROM bad), count(*), max(seq)
    INTO v_bad, v_accepted, v_max FROM ins;

    IF v_bad IS NOT NULL THEN
        IF v_bad->>'prev_hash' <> v_bad->>'expected_prev' THEN
            RAISE EXCEPTION USING ERRCODE = 'CM001', MESSAGE = format(
                'push refused: op %s of node %s does not continue the chain the server has '
                '(its prev_hash is %s…, the server''s head for that node is %s…)',
                v_bad->>'op_id', v_bad->>'node_id', left(v_bad->>'prev_hash', 12),
                left(v_bad->>'expected_prev', 12));
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'CM002', MESSAGE = format(
            'push refused: op %s of node %s does not match its hash '
            '(changed after it was chained)', v_bad->>'op_id', v_bad->>'node_id');
    END IF;
    IF v_accepted > 0 THEN
        PERFORM pg_notify('{CHANNEL}', v_max::text);
    END IF;
    RETURN jsonb_build_object(
        'accepted', v_accepted, 'skipped', v_total - v_accepted, 'max_seq', v_max,
        'offset_ms', p_client_ms - v_now_ms, 'max_skew_ms', v_skew);
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
        f"REVOKE ALL ON FUNCTION {PUSH_SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {PUSH_SIGNATURE} TO {RESPONDER_ROLE}",
    ]


@dataclass
class InitResult:
    """What ``db init`` found and did."""

    schema_version: int
    created: bool
    server_id: str
    roles: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "created": self.created,
            "server_id": self.server_id,
            "roles_applied": self.roles,
        }


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
        conn.execute(_PUSH_FUNCTION)
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
    row = conn.execute("SELECT value FROM commander.meta WHERE key = 'server_id'").fetchone()
    if row is None:
        raise SyncError("the shared database's Commander schema is incomplete; run db init")
    return str(row[0])
