"""Reads of the communications tables: templates and drafts (``comms_template``,
``comms_draft``), which ``apply_records`` writes from ops."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from commander.storage.database import dbapi

TemplateRow = tuple[str, str, str, str, str, int]
DraftRow = tuple[str, str, str, str, str, str, int, str]


def stored_templates(conn: Connection) -> list[TemplateRow]:
    """``(key, name, audience, subject, body, deleted)`` of every stored template, by name:
    edits of shipped ones, the users' own, deleted ones flagged."""
    return (
        dbapi(conn)
        .execute(
            "SELECT key, name, audience, subject, body, deleted FROM comms_template ORDER BY name"
        )
        .fetchall()
    )


def open_drafts(conn: Connection, incident_id: str) -> list[DraftRow]:
    """``(id, incident_id, template_key, audience, channel, fields, updated_at, author)`` of
    an incident's drafts not discarded, newest first."""
    return (
        dbapi(conn)
        .execute(
            "SELECT id, incident_id, template_key, audience, channel, fields, "
            "updated_at, author FROM comms_draft WHERE incident_id = ? AND discarded = 0 "
            "ORDER BY updated_at DESC",
            (incident_id,),
        )
        .fetchall()
    )


def draft_content(conn: Connection, draft_id: str) -> Any | None:
    """``(incident_id, template_key, audience, channel, fields)`` of one draft, or None."""
    return (
        dbapi(conn)
        .execute(
            "SELECT incident_id, template_key, audience, channel, fields FROM "
            "comms_draft WHERE id = ?",
            (draft_id,),
        )
        .fetchone()
    )
