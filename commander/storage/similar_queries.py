"""Reads that compare past incidents (``services.similar``): their early timeline text,
their alerts and labels, their review's findings and the runbook steps that were run."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, func, select

from commander.core.checklists import step_title
from commander.core.entry_kinds import Kind
from commander.storage import search_runbook
from commander.storage.tables import alert_link_table as link
from commander.storage.tables import alert_table as alert
from commander.storage.tables import checklist_def_table as checklist_def
from commander.storage.tables import checklist_tick_table as tick
from commander.storage.tables import entry_table as entry
from commander.storage.tables import review_field_table as section
from commander.storage.tables_procedure import WORKSPACE_PROCEDURE, procedure_def_table

AlertFeatures = dict[str, tuple[set[str], set[tuple[str, str]]]]


_e = entry.c
# Built once: ``similar`` runs it for every past incident, and building a statement costs
# more than running it.
_PEOPLE_TEXTS = (
    select(func.coalesce(_e.amended_event, _e.event), _e.action)
    .where(
        _e.incident_id == bindparam("incident_id"),
        _e.struck == 0,
        _e.kind != Kind.SYSTEM,
        _e.occurred_at <= bindparam("until_ms"),
    )
    .order_by(_e.occurred_at, _e.hlc)
    .limit(bindparam("limit"))
)


def people_entry_texts(conn: Connection, incident_id: str, until_ms: int, limit: int) -> str:
    """What people wrote up to ``until_ms`` (at most ``limit`` entries, "event action" a line);
    the app's own entries repeat the title and alerts, compared on their own, so they are
    left out."""
    rows = conn.execute(
        _PEOPLE_TEXTS, {"incident_id": incident_id, "until_ms": until_ms, "limit": limit}
    )
    return "\n".join(f"{event} {action}" for event, action in rows)


def alert_features_by_incident(conn: Connection) -> AlertFeatures:
    """Per incident: the names of its linked alerts and their labels (when still cached)."""
    out: AlertFeatures = {}
    rows = conn.execute(
        select(link.c.incident_id, link.c.name, alert.c.labels).outerjoin(
            alert, alert.c.fingerprint == link.c.fingerprint
        )
    )
    for incident_id, name, labels in rows:
        names, pairs = out.setdefault(incident_id, (set(), set()))
        names.add(name)
        try:
            pairs.update((str(k), str(v)) for k, v in json.loads(labels or "{}").items())
        except (ValueError, AttributeError):
            continue  # a cached alert with labels we cannot read: its name still counts
    return out


def first_review_text(conn: Connection, incident_id: str, keys: Sequence[str]) -> str:
    """The text of the first of ``keys`` the review has written (stripped), or ""."""
    for key in keys:
        text = conn.scalar(
            select(section.c.text).where(section.c.incident_id == incident_id, section.c.key == key)
        )
        if text and text.strip():
            return str(text).strip()
    return ""


def entry_events_starting(conn: Connection, incident_id: str, prefix: str) -> list[tuple[int, str]]:
    """(occurred_at ms, event) of entries not struck whose event starts with ``prefix``, in
    timeline order."""
    rows = conn.execute(
        select(_e.occurred_at, _e.event)
        .where(_e.incident_id == incident_id, _e.struck == 0, _e.event.like(prefix + "%"))
        .order_by(_e.occurred_at, _e.hlc)
    )
    return [(int(at_ms), str(event)) for at_ms, event in rows]


def runbook_steps_ticked(conn: Connection, incident_id: str) -> list[tuple[int, str]]:
    """(ticked at ms, step title) of the runbook steps ticked done on the incident's
    checklists, named as the timeline names a step that was run."""
    loaded = conn.execute(
        select(procedure_def_table.c.content).where(
            procedure_def_table.c.key == WORKSPACE_PROCEDURE
        )
    ).scalar()
    known = search_runbook.steps_of(
        (
            (str(key), str(content))
            for key, content in conn.execute(select(checklist_def.c.key, checklist_def.c.content))
        ),
        search_runbook.checklists_in(loaded),
    )
    ticked = conn.execute(
        select(tick.c.step_key, tick.c.at_ms).where(
            tick.c.incident_id == incident_id, tick.c.done == 1
        )
    )
    return [
        (int(at_ms), step_title(*known[step_key]))
        for step_key, at_ms in ticked
        if step_key in known
    ]
