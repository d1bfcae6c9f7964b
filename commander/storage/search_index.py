"""The full-text index over every incident: one FTS5 table kept current by SQLite triggers.

``search_doc`` holds one row per searchable thing (an incident's title, a timeline entry, a
review section, an action item, a message sent, a linked alert, a runbook step run: that one
is built in Python, ``search_runbook``) with the text to match;
``search_fts`` is an FTS5 external-content index over it (trigram tokenizer: typing any part
of a word finds it, as a user expects of a search box).

Triggers on the materialized tables only note what changed in ``search_stale`` (a key per
changed row, a few microseconds), so every path that changes those tables (a local write, a
pulled batch, an import, a replay, a recovery) is seen, with no Python hook to forget.
``catch_up`` brings ``search_doc`` and the index up to date from those notes. Indexing a row
costs ~40 µs (trigram tokenizing dominates), as much as storing, checking and applying its op:
a pull of 100,000 entries would take twice as long holding the write lock. So sync catches the
index up after its pull, in short transactions of its own, and every search catches up first,
so a search never misses what the workspace holds.

The index is derived: ``rebuild`` makes it again from the tables, and nothing copies it.

Raw DB-API, not Core: FTS5 tables and triggers no ``Table`` describes, on the append path
(``benchmarks/search.py``: append with and without the index).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlalchemy import Engine

from commander.storage import search_runbook
from commander.storage.database import dbapi, replayable_write

# Every table the index consists of (FTS5 adds its shadow tables); recovery never copies them.
SEARCH_TABLES = frozenset(
    {
        "search_doc",
        "search_stale",
        "search_fts",
        "search_fts_data",
        "search_fts_idx",
        "search_fts_docsize",
        "search_fts_config",
    }
)

NL = "char(10)"


@dataclass(frozen=True)
class Source:
    """One materialized table feeding the index; expressions use ``{r}`` for the row.

    ``when`` limits which rows are searchable (only messages that were sent).
    """

    table: str
    kind: str
    key: str
    incident: str
    at: str
    body: str
    when: str = "1"
    columns: tuple[str, ...] = ()  # an update of only other columns leaves the index alone

    def expr(self, template: str, row: str) -> str:
        return template.format(r=row)


def _lines(*parts: str) -> str:
    return f" || {NL} || ".join(f"coalesce({part}, '')" for part in parts)


_SERVICES = "(SELECT coalesce(group_concat(value, ', '), '') FROM json_each({r}.services))"

SOURCES: tuple[Source, ...] = (
    Source(
        "incident",
        "incident",
        "{r}.id",
        "{r}.id",
        "{r}.declared_at",
        _lines("{r}.ref", "{r}.title", _SERVICES, "{r}.impact"),
        columns=("ref", "title", "services", "impact", "declared_at"),
    ),
    Source(
        "entry",
        "entry",
        "{r}.id",
        "{r}.incident_id",
        "{r}.occurred_at",
        _lines(
            "{r}.event",
            "{r}.action",
            "{r}.owner",
            "{r}.amended_event",
            "{r}.amended_action",
            "{r}.strike_reason",
        ),
        columns=(
            "event",
            "action",
            "owner",
            "amended_event",
            "amended_action",
            "strike_reason",
            "occurred_at",
            "incident_id",
        ),
    ),
    Source(
        "review_field",
        "review",
        "{r}.id",
        "{r}.incident_id",
        "{r}.updated_at",
        "{r}.text",
        when="{r}.text <> ''",
    ),
    Source(
        "action_item",
        "action_item",
        "{r}.id",
        "{r}.incident_id",
        "{r}.created_at",
        _lines("{r}.title", "{r}.owner"),
        columns=("title", "owner", "incident_id"),
    ),
    Source(
        "outbox",
        "message",
        "{r}.id",
        "{r}.incident_id",
        "coalesce({r}.finished_at, {r}.created_at)",
        _lines("{r}.subject", "{r}.body"),
        when="{r}.state = 'sent'",
        columns=("state", "subject", "body", "finished_at"),
    ),
    Source(
        "alert_link",
        "alert",
        "{r}.incident_id || ':' || {r}.fingerprint",
        "{r}.incident_id",
        "{r}.fired_at",
        _lines("{r}.name", "{r}.summary"),
    ),
)


def _note(source: Source, row: str) -> str:
    key = source.expr(source.key, row)
    # An upsert, not ``OR IGNORE``: an outer ``INSERT OR REPLACE`` would override that.
    return (
        f"INSERT INTO search_stale(kind, key) VALUES ('{source.kind}', {key}) "
        "ON CONFLICT(kind, key) DO NOTHING"
    )


def _triggers(source: Source) -> list[str]:
    name = f"search_{source.table}"
    of = f" OF {', '.join(source.columns)}" if source.columns else ""
    return [
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON {source.table} BEGIN "
        f"{_note(source, 'new')}; END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE{of} ON {source.table} BEGIN "
        f"{_note(source, 'old')}; {_note(source, 'new')}; END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON {source.table} BEGIN "
        f"{_note(source, 'old')}; END",
    ]


_SCHEMA = (
    "CREATE TABLE search_doc (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, "
    "incident_id TEXT NOT NULL, at_ms INTEGER NOT NULL, body TEXT NOT NULL, "
    "UNIQUE(kind, key))",
    "CREATE INDEX ix_search_doc_incident ON search_doc(incident_id, kind, at_ms)",
    "CREATE TABLE search_stale (kind TEXT NOT NULL, key TEXT NOT NULL, "
    "PRIMARY KEY(kind, key)) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
)


def install(db: sqlite3.Connection) -> None:
    """Create the index, its triggers, and fill it from what the tables hold now."""
    for statement in _SCHEMA:
        db.execute(statement)
    for source in SOURCES:
        for statement in _triggers(source):
            db.execute(statement)
    search_runbook.create_triggers(db)
    rebuild(db)


def uninstall(db: sqlite3.Connection) -> None:
    """Drop the triggers and tables ``install`` created (a downgrade), the runbook steps'
    triggers with them."""
    search_runbook.uninstall(db)
    for source in SOURCES:
        for suffix in ("ai", "au", "ad"):
            db.execute(f"DROP TRIGGER IF EXISTS search_{source.table}_{suffix}")
    db.execute("DROP TABLE IF EXISTS search_fts")
    db.execute("DROP TABLE IF EXISTS search_doc")
    db.execute("DROP TABLE IF EXISTS search_stale")


def rebuild(db: sqlite3.Connection) -> None:
    """Make the index again from the materialized tables (what the triggers keep current)."""
    db.execute("DELETE FROM search_doc")
    db.execute("DELETE FROM search_stale")
    for source in SOURCES:
        db.execute(
            "INSERT INTO search_doc(kind, key, incident_id, at_ms, body) "
            f"SELECT '{source.kind}', {source.expr(source.key, 'r')}, "
            f"{source.expr(source.incident, 'r')}, {source.expr(source.at, 'r')}, "
            f"{source.expr(source.body, 'r')} FROM {source.table} AS r "
            f"WHERE {source.expr(source.when, 'r')}"
        )
    search_runbook.rebuild_all(db)
    db.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


CATCH_UP_CHUNK = 2000  # rows per transaction when sync catches up: ~80 ms of write lock
_IN_CHUNK = 500  # keys per IN (...) list, well under SQLite's parameter limit
_DROP = "DELETE FROM {table} WHERE kind = ? AND key IN ({marks})"
_SOURCE_OF = {source.kind: source for source in SOURCES}


def stale_count(db: sqlite3.Connection) -> int:
    """How many changed rows the index has not caught up with yet."""
    return int(db.execute("SELECT count(*) FROM search_stale").fetchone()[0])


def catch_up(db: sqlite3.Connection, limit: int | None = None) -> int:
    """Index up to ``limit`` (all if None) noted rows, in the caller's transaction.

    Returns how many were caught up. A noted row that no longer exists (or is no longer
    searchable, a message not sent) leaves the index; one that exists is upserted, keeping
    its place when its text did not change.
    """
    rows = db.execute("SELECT kind, key FROM search_stale LIMIT ?", (limit or -1,)).fetchall()
    by_kind: dict[str, list[str]] = {}
    for kind, key in rows:
        by_kind.setdefault(str(kind), []).append(str(key))
    for kind, keys in by_kind.items():
        source = _SOURCE_OF.get(kind)
        for start in range(0, len(keys), _IN_CHUNK):
            chunk = keys[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            if kind == search_runbook.KIND:
                search_runbook.refresh(db, chunk)
            elif source is not None:
                _refresh(db, source, chunk, marks)
            else:  # a kind this version no longer indexes
                db.execute(
                    f"DELETE FROM search_doc WHERE kind = ? AND key IN ({marks})", [kind, *chunk]
                )
            db.execute(
                f"DELETE FROM search_stale WHERE kind = ? AND key IN ({marks})", [kind, *chunk]
            )
    return len(rows)


def catch_up_index(engine: Engine, chunk: int = CATCH_UP_CHUNK) -> int:
    """Catch the index up in transactions of ``chunk`` rows (other writers get the lock
    between them); returns how many rows were indexed."""
    done = 0
    with engine.connect() as conn:
        if not stale_count(dbapi(conn)):
            return 0
    writer = engine.execution_options(write=True)
    while True:
        with replayable_write(writer) as conn:  # derived: a lost commit leaves its notes
            count = catch_up(dbapi(conn), chunk)
        done += count
        if count < chunk:
            return done


def _refresh(db: sqlite3.Connection, source: Source, keys: list[str], marks: str) -> None:
    key = source.expr(source.key, "r")
    when = source.expr(source.when, "r")
    db.execute(
        f"DELETE FROM search_doc WHERE kind = ? AND key IN ({marks}) AND key NOT IN "
        f"(SELECT {key} FROM {source.table} AS r WHERE {key} IN ({marks}) AND {when})",
        [source.kind, *keys, *keys],
    )
    db.execute(
        "INSERT INTO search_doc(kind, key, incident_id, at_ms, body) "
        f"SELECT '{source.kind}', {key}, {source.expr(source.incident, 'r')}, "
        f"{source.expr(source.at, 'r')}, {source.expr(source.body, 'r')} "
        f"FROM {source.table} AS r WHERE {key} IN ({marks}) AND {when} "
        f"ORDER BY {source.expr(source.at, 'r')} "
        "ON CONFLICT(kind, key) DO UPDATE SET incident_id = excluded.incident_id, "
        "at_ms = excluded.at_ms, body = excluded.body "
        "WHERE (search_doc.incident_id, search_doc.at_ms, search_doc.body) "
        "IS NOT (excluded.incident_id, excluded.at_ms, excluded.body)",
        keys,
    )


def documents(db: sqlite3.Connection) -> list[tuple[str, str, str, int, str]]:
    """Every indexed row as (kind, key, incident, at, text), sorted: comparable across builds."""
    rows = db.execute("SELECT kind, key, incident_id, at_ms, body FROM search_doc").fetchall()
    return sorted(tuple(row) for row in rows)


def integrity_check(db: sqlite3.Connection) -> None:
    """Raise ``sqlite3.DatabaseError`` unless the FTS index matches ``search_doc`` exactly."""
    db.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
