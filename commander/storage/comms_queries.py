"""Reads of the communications tables: templates and drafts (``comms_template``,
``comms_draft``), which ``apply_comms`` writes from ops."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from commander.storage.tables import comms_draft_table as draft
from commander.storage.tables import comms_template_table as template

TemplateRow = tuple[str, str, str, str, str, int]
DraftRow = tuple[str, str, str, str, str, str, int, str]


def stored_templates(conn: Connection) -> list[TemplateRow]:
    """``(key, name, audience, subject, body, deleted)`` of every stored template, by name:
    edits of shipped ones, the users' own, deleted ones flagged."""
    t = template.c
    query = select(t.key, t.name, t.audience, t.subject, t.body, t.deleted).order_by(t.name)
    return [tuple(row) for row in conn.execute(query)]


def open_drafts(conn: Connection, incident_id: str) -> list[DraftRow]:
    """``(id, incident_id, template_key, audience, channel, fields, updated_at, author)`` of
    an incident's drafts not discarded, newest first."""
    d = draft.c
    query = (
        select(
            d.id,
            d.incident_id,
            d.template_key,
            d.audience,
            d.channel,
            d.fields,
            d.updated_at,
            d.author,
        )
        .where(d.incident_id == incident_id, d.discarded == 0)
        .order_by(d.updated_at.desc())
    )
    return [tuple(row) for row in conn.execute(query)]


def draft_content(conn: Connection, draft_id: str) -> Any | None:
    """``(incident_id, template_key, audience, channel, fields)`` of one draft, or None."""
    d = draft.c
    row = conn.execute(
        select(d.incident_id, d.template_key, d.audience, d.channel, d.fields).where(
            d.id == draft_id
        )
    ).first()
    return tuple(row) if row is not None else None
