"""Runbook steps in the full-text index: one document per step run (ticked) on an incident.

A step's text lives in its checklist, which is either one of the loaded procedure's (the file
in ``procedure_def``, or the built-in seed) or a workspace's edit of it (``checklist_def``), so
SQL alone cannot say what a step reads; the index's other sources are SQL expressions, this
one is built here in Python. Triggers note ``incident_id:step_key`` when a tick changes (local
or pulled, like every other source), and note every done tick when a checklist or the
procedure changes (renaming a step, a pulled edit or another file renames it in every
incident that ran it: checklists change rarely and ticks are few).
``refresh`` then writes the documents the notes name, ``rebuild_all`` writes them all.

A step counts when it is done and has a command (a runbook step); unticked, or its command
removed, or its checklist gone, it leaves the index.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from commander.core.checklists import Checklist, Step, effective
from commander.core.errors import ValidationError
from commander.core.procedure_checklists import BUILTIN_CHECKLISTS, checklists_of
from commander.core.procedure_file import stored_procedure
from commander.storage.tables_procedure import WORKSPACE_PROCEDURE

KIND = "runbook"
_KEY = "incident_id || ':' || step_key"
_NOTE_TICK = (
    "INSERT INTO search_stale(kind, key) VALUES ('runbook', {r}.incident_id || ':' || "
    "{r}.step_key) ON CONFLICT(kind, key) DO NOTHING"
)
_NOTE_ALL = (
    f"INSERT INTO search_stale(kind, key) SELECT '{KIND}', {_KEY} FROM checklist_tick "
    "WHERE done = 1 ON CONFLICT(kind, key) DO NOTHING"
)
TRIGGERS = {
    "search_checklist_tick_ai": "AFTER INSERT ON checklist_tick BEGIN "
    f"{_NOTE_TICK.format(r='new')}; END",
    "search_checklist_tick_au": "AFTER UPDATE OF done, at_ms ON checklist_tick BEGIN "
    f"{_NOTE_TICK.format(r='old')}; {_NOTE_TICK.format(r='new')}; END",
    "search_checklist_tick_ad": "AFTER DELETE ON checklist_tick BEGIN "
    f"{_NOTE_TICK.format(r='old')}; END",
    "search_checklist_def_ai": f"AFTER INSERT ON checklist_def BEGIN {_NOTE_ALL}; END",
    "search_checklist_def_au": f"AFTER UPDATE ON checklist_def BEGIN {_NOTE_ALL}; END",
    "search_checklist_def_ad": f"AFTER DELETE ON checklist_def BEGIN {_NOTE_ALL}; END",
}
# Created once the table exists (migration 0017): another file, other step texts.
PROCEDURE_TRIGGERS = {
    "search_procedure_def_ai": f"AFTER INSERT ON procedure_def BEGIN {_NOTE_ALL}; END",
    "search_procedure_def_au": f"AFTER UPDATE ON procedure_def BEGIN {_NOTE_ALL}; END",
    "search_procedure_def_ad": f"AFTER DELETE ON procedure_def BEGIN {_NOTE_ALL}; END",
}
_IN_CHUNK = 500


def create_triggers(db: sqlite3.Connection) -> None:
    triggers = dict(TRIGGERS)
    if _has_table(db, "procedure_def"):
        triggers.update(PROCEDURE_TRIGGERS)
    for name, sql in triggers.items():
        db.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {sql}")


def install(db: sqlite3.Connection) -> None:
    """Create the triggers and index every runbook step already run (a back-fill)."""
    create_triggers(db)
    rebuild_all(db)


def uninstall(db: sqlite3.Connection) -> None:
    """Drop the triggers and the runbook documents (a downgrade)."""
    for name in (*TRIGGERS, *PROCEDURE_TRIGGERS):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    if _has_table(db, "search_doc"):
        db.execute("DELETE FROM search_doc WHERE kind = ?", (KIND,))
        db.execute("DELETE FROM search_stale WHERE kind = ?", (KIND,))


def runbook_steps(db: sqlite3.Connection) -> dict[str, tuple[Checklist, Step]]:
    """Every step with a command in the workspace's checklists, by step key."""
    edits = db.execute("SELECT key, content FROM checklist_def").fetchall()
    return steps_of(edits, procedure_checklists(db))


def procedure_checklists(db: sqlite3.Connection) -> tuple[Checklist, ...]:
    """The loaded procedure's checklists (see ``checklists_in``)."""
    if not _has_table(db, "procedure_def"):
        return BUILTIN_CHECKLISTS
    row = db.execute(
        "SELECT content FROM procedure_def WHERE key = ?", (WORKSPACE_PROCEDURE,)
    ).fetchone()
    return checklists_in(row[0] if row else None)


def checklists_in(content: str | None) -> tuple[Checklist, ...]:
    """The checklists of the procedure register's ``content``; the seed's when none is loaded
    or the stored file no longer reads (as the window then runs the seed)."""
    try:
        value = json.loads(content) if content else None
    except ValueError:
        return BUILTIN_CHECKLISTS
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return BUILTIN_CHECKLISTS
    try:
        procedure = stored_procedure(value["text"], str(value.get("source", "a file")))
    except ValidationError:
        return BUILTIN_CHECKLISTS
    return checklists_of(procedure)


def steps_of(
    stored_rows: Iterable[tuple[str, str]],
    defaults: Sequence[Checklist] = BUILTIN_CHECKLISTS,
) -> dict[str, tuple[Checklist, Step]]:
    """Every step with a command in the checklists, given ``(key, content)`` of each
    ``checklist_def`` row and the procedure's ``defaults``, by step key."""
    stored = {}
    for key, content in stored_rows:
        try:
            value = json.loads(content)
        except ValueError:
            continue  # unreadable: the default shows instead, as ``effective`` does
        if isinstance(value, dict):  # a newer or broken peer's value must not stop indexing
            stored[str(key)] = value
    return {
        step.key: (checklist, step)
        for checklist in effective(list(defaults), stored)
        for step in checklist.steps
        if step.is_runbook
    }


def body(checklist: Checklist, step: Step) -> str:
    """What a search matches: the step, its command and note, and its checklist's title."""
    return "\n".join((step.text, step.command, step.note, checklist.title))


def rebuild_all(db: sqlite3.Connection) -> None:
    """Write the document of every done runbook step (after the others were rebuilt)."""
    db.execute("DELETE FROM search_doc WHERE kind = ?", (KIND,))
    steps = runbook_steps(db)
    rows = db.execute(
        f"SELECT {_KEY}, incident_id, step_key, at_ms FROM checklist_tick WHERE done = 1 "
        "ORDER BY at_ms"
    ).fetchall()
    _insert(db, steps, rows)


def refresh(db: sqlite3.Connection, keys: Sequence[str]) -> None:
    """Bring the documents of ``keys`` (``incident_id:step_key``) in line with the tables."""
    steps = runbook_steps(db)
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = list(keys[start : start + _IN_CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT {_KEY}, incident_id, step_key, at_ms FROM checklist_tick "
            f"WHERE done = 1 AND {_KEY} IN ({marks}) ORDER BY at_ms",
            chunk,
        ).fetchall()
        kept = [row for row in rows if row[2] in steps]
        gone = set(chunk) - {str(row[0]) for row in kept}
        if gone:
            db.execute(
                f"DELETE FROM search_doc WHERE kind = ? AND key IN ({','.join('?' * len(gone))})",
                [KIND, *sorted(gone)],
            )
        _insert(db, steps, kept)


def _insert(
    db: sqlite3.Connection,
    steps: dict[str, tuple[Checklist, Step]],
    rows: Sequence[tuple[str, str, str, int]],
) -> None:
    db.executemany(
        "INSERT INTO search_doc(kind, key, incident_id, at_ms, body) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(kind, key) DO UPDATE SET incident_id = excluded.incident_id, "
        "at_ms = excluded.at_ms, body = excluded.body "
        "WHERE (search_doc.incident_id, search_doc.at_ms, search_doc.body) "
        "IS NOT (excluded.incident_id, excluded.at_ms, excluded.body)",
        [
            (KIND, key, incident_id, at_ms, body(*steps[step_key]))
            for key, incident_id, step_key, at_ms in rows
            if step_key in steps
        ],
    )


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return row.fetchone() is not None
