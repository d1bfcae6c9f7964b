"""Reads of the checklists: the workspace's edits of them and each incident's ticks
(``checklist_def``, ``checklist_tick``, written by ``apply_checklists``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from commander.storage.tables import checklist_def_table as defs
from commander.storage.tables import checklist_tick_table as tick


def checklist_edits(conn: Connection) -> dict[str, Any]:
    """The stored content of every checklist the workspace edited or added, by key."""
    rows = conn.execute(select(defs.c.key, defs.c.content))
    return {key: json.loads(content) for key, content in rows}


def step_ticks(conn: Connection, incident_id: str) -> dict[str, tuple[bool, int, str]]:
    """step key -> (done, at_ms, author) of every step of the incident anyone ticked."""
    rows = conn.execute(
        select(tick.c.step_key, tick.c.done, tick.c.at_ms, tick.c.author).where(
            tick.c.incident_id == incident_id
        )
    )
    return {key: (bool(done), at_ms, author) for key, done, at_ms, author in rows}
