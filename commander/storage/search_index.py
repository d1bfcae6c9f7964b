"""The full-text index over every incident: one FTS5 table kept current by SQLite triggers.

``search_doc`` holds one row per searchable thing (an incident's title, a timeline entry, a
review section, an action item, a message sent, a linked alert) with the text to match;
``search_fts`` is an FTS5 external-content index over it (trigram tokenizer: typing any part
of a word finds it, as a user expects of a search box). Triggers on the materialized tables
write ``search_doc``, and triggers on ``search_doc`` write the index, so every path that
changes those tables (a local write, a pulled batch, an import, a replay, a recovery) keeps
the index current in the same transaction, with no Python hook to forget.

The index is derived: ``rebuild`` makes it again from the tables, and nothing copies it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# Every table the index consists of (FTS5 adds its shadow tables); recovery never copies them.
SEARCH_TABLES = frozenset(
    {
        "search_doc",
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

_UPSERT = (
    "INSERT INTO search_doc(kind, key, incident_id, at_ms, body) "
    "SELECT '{kind}', {key}, {incident}, {at}, {body} WHERE {when} "
    "ON CONFLICT(kind, key) DO UPDATE SET incident_id = excluded.incident_id, "
    "at_ms = excluded.at_ms, body = excluded.body "
    "WHERE (search_doc.incident_id, search_doc.at_ms, search_doc.body) "
    "IS NOT (excluded.incident_id, excluded.at_ms, excluded.body)"
)


def _upsert(source: Source, row: str) -> str:
    return _UPSERT.format(
        kind=source.kind,
        key=source.expr(source.key, row),
        incident=source.expr(source.incident, row),
        at=source.expr(source.at, row),
        body=source.expr(source.body, row),
        when=source.expr(source.when, row),
    )


def _triggers(source: Source) -> list[str]:
    name = f"search_{source.table}"
    old_key = source.expr(source.key, "old")
    new_key = source.expr(source.key, "new")
    of = f" OF {', '.join(source.columns)}" if source.columns else ""
    drop_old = f"DELETE FROM search_doc WHERE kind = '{source.kind}' AND key = {old_key}"
    return [
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON {source.table} BEGIN "
        f"{_upsert(source, 'new')}; END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE{of} ON {source.table} BEGIN "
        f"{drop_old} AND ({old_key} IS NOT {new_key} "
        f"OR NOT ({source.expr(source.when, 'new')})); "
        f"{_upsert(source, 'new')}; END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON {source.table} BEGIN {drop_old}; END",
    ]


_SCHEMA = (
    "CREATE TABLE search_doc (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, "
    "incident_id TEXT NOT NULL, at_ms INTEGER NOT NULL, body TEXT NOT NULL, "
    "UNIQUE(kind, key))",
    "CREATE INDEX ix_search_doc_incident ON search_doc(incident_id, kind, at_ms)",
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
    rebuild(db)


def uninstall(db: sqlite3.Connection) -> None:
    """Drop the triggers and tables ``install`` created (a downgrade)."""
    for source in SOURCES:
        for suffix in ("ai", "au", "ad"):
            db.execute(f"DROP TRIGGER IF EXISTS search_{source.table}_{suffix}")
    db.execute("DROP TABLE IF EXISTS search_fts")
    db.execute("DROP TABLE IF EXISTS search_doc")


def rebuild(db: sqlite3.Connection) -> None:
    """Make the index again from the materialized tables (what the triggers keep current)."""
    db.execute("DELETE FROM search_doc")
    for source in SOURCES:
        db.execute(
            "INSERT INTO search_doc(kind, key, incident_id, at_ms, body) "
            f"SELECT '{source.kind}', {source.expr(source.key, 'r')}, "
            f"{source.expr(source.incident, 'r')}, {source.expr(source.at, 'r')}, "
            f"{source.expr(source.body, 'r')} FROM {source.table} AS r "
            f"WHERE {source.expr(source.when, 'r')}"
        )
    db.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def documents(db: sqlite3.Connection) -> list[tuple[str, str, str, int, str]]:
    """Every indexed row as (kind, key, incident, at, text), sorted: comparable across builds."""
    rows = db.execute("SELECT kind, key, incident_id, at_ms, body FROM search_doc").fetchall()
    return sorted(tuple(row) for row in rows)


def integrity_check(db: sqlite3.Connection) -> None:
    """Raise ``sqlite3.DatabaseError`` unless the FTS index matches ``search_doc`` exactly."""
    db.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
