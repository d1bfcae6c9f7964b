"""The shared database's schema under Alembic: fresh, from before Alembic, twice, too new."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from commander.services.incidents import IncidentService
from commander.sync import blob_sync, schema
from commander.sync.ed25519_sql import ED25519_FUNCTIONS
from commander.sync.errors import SchemaMissing
from commander.sync.push_sql import PUSH_FUNCTION
from commander.sync.schema import (
    SERVER_SCHEMA_VERSION,
    check_schema,
    init_schema,
    server_revision,
    server_version,
)
from commander.sync.server import connect
from commander.sync.server_migrations import HEAD, LEGACY_REVISIONS, REVISIONS
from commander.sync.url import ServerUrl
from tests.sync.helpers import sync_once
from tests.sync.pg import PgServer

MIGRATIONS = Path(__file__).parents[2] / "commander" / "sync" / "server_migrations"
_counter = itertools.count()

# The DDL ``db init`` ran before Alembic, as released (commander/sync/schema.py and
# blob_sync.py up to server schema 4): version 1, then 2 added to it, then 3.
_OLD_TABLES = """
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
_OLD_SIGNED_OPS = """
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
_OLD_BLOB = """
CREATE TABLE IF NOT EXISTS commander.blob (
    sha256 text PRIMARY KEY,
    size bigint NOT NULL,
    data bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
"""


def _new_database(pg_server: PgServer) -> str:
    name = f"mig{next(_counter)}"
    with psycopg.connect(pg_server.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_server.conninfo(name)


def _build_before_alembic(conn: psycopg.Connection[Any], version: int) -> str:
    """A database as the pre-Alembic ``db init`` of server schema ``version`` left it."""
    conn.execute(_OLD_TABLES)  # type: ignore[arg-type]
    if version >= 2:
        conn.execute(_OLD_SIGNED_OPS)  # type: ignore[arg-type]
    if version >= 3:
        conn.execute(_OLD_BLOB)  # type: ignore[arg-type]
        conn.execute(blob_sync.PUT_BLOB_FUNCTION)  # type: ignore[arg-type]
    if version >= 4:
        conn.execute(ED25519_FUNCTIONS)  # type: ignore[arg-type]
    conn.execute(PUSH_FUNCTION)  # type: ignore[arg-type]
    conn.execute(
        "INSERT INTO commander.meta VALUES ('schema_version', %s), ('server_id', 'old-server')",
        (str(version),),
    )
    conn.commit()
    return "old-server"


def _shape(conn: psycopg.Connection[Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Tables, columns, indexes and functions of the commander schema."""
    queries = {
        "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema = 'commander' ORDER BY 1, 2",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = 'commander' ORDER BY 1",
        "functions": "SELECT p.oid::regprocedure::text, md5(p.prosrc) FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'commander' ORDER BY 1",
    }
    shape = {key: conn.execute(sql).fetchall() for key, sql in queries.items()}  # type: ignore[call-overload]
    conn.rollback()
    return shape


def _meta(conn: psycopg.Connection[Any]) -> dict[str, str]:
    rows = conn.execute("SELECT key, value FROM commander.meta").fetchall()
    conn.rollback()
    return dict(rows)


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", "commander.sync:server_migrations")
    return ScriptDirectory.from_config(config)


def test_revision_list_matches_alembic_and_the_versions_folder() -> None:
    script = _script()
    assert script.get_current_head() == HEAD
    assert [rev.revision for rev in script.walk_revisions()][::-1] == REVISIONS
    files = sorted(p.name for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    by_file = {Path(rev.path).name: rev.revision for rev in script.walk_revisions()}
    assert [by_file[name] for name in files] == REVISIONS
    assert sorted(LEGACY_REVISIONS) == list(range(1, SERVER_SCHEMA_VERSION + 1))


def test_a_new_database_reaches_head_with_the_version_table_in_the_commander_schema(
    pg_server: PgServer,
) -> None:
    with psycopg.connect(_new_database(pg_server)) as conn:
        result = init_schema(conn)
        assert result.created and result.schema_version == SERVER_SCHEMA_VERSION
        assert server_revision(conn) == HEAD
        assert server_version(conn) == SERVER_SCHEMA_VERSION
        assert check_schema(conn) == result.server_id
        (public,) = conn.execute("SELECT to_regclass('public.alembic_version')").fetchone()  # type: ignore[misc]
        assert public is None
        conn.rollback()
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert not conn.closed


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_a_database_from_before_alembic_is_stamped_and_upgraded_to_the_same_schema(
    pg_server: PgServer, version: int
) -> None:
    with psycopg.connect(_new_database(pg_server)) as fresh:
        init_schema(fresh)
        expected = _shape(fresh)
    with psycopg.connect(_new_database(pg_server)) as conn:
        server_id = _build_before_alembic(conn, version)
        assert server_revision(conn) is None
        if version < SERVER_SCHEMA_VERSION:
            with pytest.raises(SchemaMissing, match="older than this version needs"):
                check_schema(conn)
        conn.rollback()  # init_schema commits only a transaction it began itself
        result = init_schema(conn)
        assert not result.created and result.server_id == server_id
        assert server_revision(conn) == HEAD
        assert _meta(conn)["schema_version"] == str(SERVER_SCHEMA_VERSION)
        assert _shape(conn) == expected


def test_a_version_3_database_in_use_upgrades_in_place_keeping_its_ops(
    pg_server: PgServer, server_url: str, make_workspace
) -> None:
    server = ServerUrl.parse(server_url)
    alice, bob = make_workspace("alice"), make_workspace("bob")
    service = IncidentService(alice)
    incident = service.declare(title="API down", severity="P1").incident
    service.log(incident.id, "before the upgrade")
    assert sync_once(alice, server).pushed.accepted > 0
    with connect(server) as pg:
        # Back to what the pre-Alembic db init of schema 3 left: no version table, no
        # Ed25519 helpers (relaying came with 4), meta.schema_version 3.
        pg.execute("DROP TABLE commander.alembic_version")
        for (function,) in pg.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = 'commander' "
            "AND p.proname LIKE 'ed25519%'"
        ).fetchall():
            pg.execute(f"DROP FUNCTION {function}")  # type: ignore[arg-type]
        pg.execute("UPDATE commander.meta SET value = '3' WHERE key = 'schema_version'")
        pg.commit()
        ops_before = pg.execute("SELECT seq, op_id, hash FROM commander.op ORDER BY seq").fetchall()
        server_id = _meta(pg)["server_id"]
        with pytest.raises(SchemaMissing, match="older than this version needs"):
            check_schema(pg)
        pg.rollback()
        result = init_schema(pg)
        assert not result.created and result.server_id == server_id
        assert server_revision(pg) == HEAD
        assert pg.execute("SELECT seq, op_id, hash FROM commander.op ORDER BY seq").fetchall() == (
            ops_before
        )
        assert check_schema(pg) == server_id
        pg.rollback()
    service.log(incident.id, "after the upgrade")
    pushed = sync_once(alice, server).pushed
    assert pushed.accepted == 1 and pushed.refused is None
    sync_once(bob, server)
    events = [e.event for e in IncidentService(bob).timeline(incident.id)]
    assert "before the upgrade" in events and "after the upgrade" in events


def test_running_init_twice_is_a_no_op_without_alembic(
    pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with psycopg.connect(_new_database(pg_server)) as conn:
        first = init_schema(conn, max_skew_ms=5_000)
        shape, meta = _shape(conn), _meta(conn)

        def no_migrations(*_args: object) -> None:
            raise AssertionError("a database at head runs no migrations")

        monkeypatch.setattr(schema, "_upgrade", no_migrations)
        again = init_schema(conn)
        assert not again.created and again.server_id == first.server_id
        assert _shape(conn) == shape and _meta(conn) == meta
        assert server_revision(conn) == HEAD


@pytest.mark.parametrize(
    "newer",
    [
        "UPDATE commander.meta SET value = '5' WHERE key = 'schema_version'",
        "UPDATE commander.alembic_version SET version_num = '0005_from_the_future'",
        "DROP TABLE commander.alembic_version; "
        "UPDATE commander.meta SET value = '5' WHERE key = 'schema_version'",
    ],
    ids=["meta", "revision", "meta-before-alembic"],
)
def test_a_newer_schema_is_refused_and_nothing_changes(pg_server: PgServer, newer: str) -> None:
    with psycopg.connect(_new_database(pg_server)) as conn:
        init_schema(conn)
        conn.execute(newer)  # type: ignore[arg-type]
        conn.commit()
        shape, meta = _shape(conn), _meta(conn)
        revision = server_revision(conn)
        conn.rollback()
        with pytest.raises(SchemaMissing, match="newer than this version knows"):
            init_schema(conn, max_skew_ms=1)
        assert _shape(conn) == shape and _meta(conn) == meta
        assert server_revision(conn) == revision


def test_every_revision_refuses_to_downgrade_in_one_sentence() -> None:
    import importlib

    from commander.sync.errors import SyncError

    for revision in REVISIONS:
        module = importlib.import_module(f"commander.sync.server_migrations.versions.{revision}")
        with pytest.raises(SyncError, match="never downgraded: restore its backup instead"):
            module.downgrade()
