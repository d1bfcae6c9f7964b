"""The full-text index (storage/search_index.py): triggers only note changed rows, ``catch_up``
indexes the notes (a removed or unsent row leaves, an unchanged one keeps its place, a kind no
longer indexed is dropped), in chunks of its own, and ``rebuild`` makes the same documents
from the tables again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from commander.core.ops import Entity, Field
from commander.storage import outbox_queries, search_index
from commander.storage.database import dbapi, open_engine
from tests.storage.foreign_ops import WALL0, entry, feed, iso_of, op


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def conn(engine: Engine) -> Iterator[Connection]:
    with engine.begin() as connection:
        yield connection


def _create(n: int) -> object:
    return op(
        n, Entity.INCIDENT, "inc", Field.CREATE,
        {"ref": "INC-7", "title": "Broker outage", "severity": "P1", "status": "investigating",
         "phase": "detection", "services": ["kafka", "api"], "impact": "",
         "declared_at": iso_of(n)},
        op_id="create",
    )  # fmt: skip


def _docs(conn: Connection) -> list[tuple[str, str, str, int, str]]:
    return search_index.documents(dbapi(conn))


def _ids(conn: Connection) -> dict[tuple[str, str], int]:
    found = dbapi(conn).execute("SELECT id, kind, key FROM search_doc")
    return {(kind, key): doc_id for doc_id, kind, key in found}


def test_writes_only_note_rows_and_catch_up_indexes_them(conn: Connection) -> None:
    db = dbapi(conn)
    feed(conn, [_create(1), entry(2, "e1", "lag on broker-3")])
    assert search_index.stale_count(db) == 2 and _docs(conn) == []
    assert search_index.catch_up(db) == 2 and search_index.stale_count(db) == 0
    assert _docs(conn) == [
        ("entry", "e1", "inc", WALL0 + 2, "lag on broker-3\n\n\n\n\n"),
        ("incident", "inc", "inc", WALL0 + 1, "INC-7\nBroker outage\nkafka, api\n"),
    ]
    assert search_index.catch_up(db) == 0  # nothing noted: nothing done
    search_index.integrity_check(db)


def test_an_amendment_reindexes_and_an_unchanged_row_keeps_its_place(conn: Connection) -> None:
    db = dbapi(conn)
    feed(conn, [_create(1), entry(2, "e1", "lag"), entry(3, "e2", "other")])
    search_index.catch_up(db)
    before = _ids(conn)
    feed(conn, [op(4, Entity.ENTRY, "e1", Field.AMEND, {"event": "lag on broker-3"})])
    db.execute("INSERT INTO search_stale(kind, key) VALUES ('entry', 'e2')")  # noted, same text
    assert search_index.catch_up(db) == 2
    after = _ids(conn)
    assert after[("entry", "e2")] == before[("entry", "e2")]
    assert ("entry", "e1", "inc", WALL0 + 2, "lag\n\n\n" + "lag on broker-3\n\n") in _docs(conn)
    search_index.integrity_check(db)


def test_a_removed_row_an_unsent_message_and_an_old_kind_leave_the_index(
    conn: Connection,
) -> None:
    db = dbapi(conn)
    feed(conn, [_create(1), entry(2, "e1", "lag")])
    outbox_queries.insert_queued(
        conn, "m1", incident_id="inc", template_key="update", audience="internal",
        channel="slack", subject="Update", body="Broker fixed", payload={}, now_ms=WALL0 + 5,
        remote_id=None,
    )  # fmt: skip
    db.execute(
        "INSERT INTO search_doc(kind, key, incident_id, at_ms, body) "
        "VALUES ('retired_kind', 'k1', 'inc', 0, 'old')"
    )
    db.execute("INSERT INTO search_stale(kind, key) VALUES ('retired_kind', 'k1')")
    search_index.catch_up(db)
    kinds = {(kind, key) for kind, key, *_ in _docs(conn)}
    assert kinds == {("incident", "inc"), ("entry", "e1")}  # the queued message: not yet
    outbox_queries.marked_delivered(conn, "m1", "ok", WALL0 + 9, None)
    db.execute("DELETE FROM entry WHERE id = 'e1'")  # what a scope's replay does first
    search_index.catch_up(db)
    assert {(kind, key, at) for kind, key, _, at, _ in _docs(conn)} == {
        ("incident", "inc", WALL0 + 1),
        ("message", "m1", WALL0 + 9),  # when it was sent
    }
    search_index.integrity_check(db)


def test_catch_up_runs_in_chunks_and_a_limit(engine: Engine) -> None:
    with engine.begin() as conn:
        feed(conn, [_create(0), *(entry(n, f"e{n:04d}", f"line {n}") for n in range(1, 1200))])
    with engine.begin() as conn:
        db = dbapi(conn)
        assert search_index.stale_count(db) == 1200
        assert search_index.catch_up(db, limit=700) == 700  # two IN lists of keys
        assert search_index.stale_count(db) == 500
    assert search_index.catch_up_index(engine, chunk=300) == 500  # 300, then 200
    assert search_index.catch_up_index(engine) == 0
    with engine.connect() as conn:
        assert len(_docs(conn)) == 1200 and search_index.stale_count(dbapi(conn)) == 0
        search_index.integrity_check(dbapi(conn))


def test_rebuild_and_a_reinstall_make_the_same_documents(conn: Connection) -> None:
    db = dbapi(conn)
    feed(conn, [_create(1), entry(2, "e1", "lag"), entry(3, "e2", "fix")])
    feed(conn, [op(4, Entity.ENTRY, "e2", Field.STRIKE, {"reason": "dup"})])
    search_index.catch_up(db)
    caught_up = _docs(conn)
    db.execute("DELETE FROM search_doc")
    search_index.rebuild(db)
    assert _docs(conn) == caught_up and search_index.stale_count(db) == 0
    search_index.uninstall(db)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert not tables & search_index.SEARCH_TABLES
    feed(conn, [entry(5, "e3", "after")])  # no triggers: nothing noted, nothing fails
    search_index.install(db)
    assert len(_docs(conn)) == len(caught_up) + 1 and search_index.stale_count(db) == 0
    search_index.integrity_check(db)


def test_the_integrity_check_finds_an_index_out_of_step(conn: Connection) -> None:
    db = dbapi(conn)
    feed(conn, [_create(1)])
    search_index.catch_up(db)
    db.execute("INSERT INTO search_fts(rowid, body) VALUES (999, 'ghost text')")
    with pytest.raises(sqlite3.DatabaseError):
        search_index.integrity_check(db)
