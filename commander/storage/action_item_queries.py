"""Reads of the action items (``action_item``, written by ``apply_review``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, or_, select

from commander.core.clock import from_ms
from commander.core.review import ActionItem
from commander.storage.tables import action_item_table as item

_WITH_DUE: Select[Any] = select(
    item.c.id,
    item.c.incident_id,
    item.c.title,
    item.c.owner,
    item.c.term,
    item.c.due,
    item.c.status,
    item.c.tracker_url,
    item.c.entry_id,
    item.c.created_at,
).where(item.c.due != "")


def action_items(conn: Connection, incident_id: str | None = None) -> list[ActionItem]:
    """Every item with a due date, of one incident or (None) of all, in no set order."""
    query = _WITH_DUE if incident_id is None else _WITH_DUE.where(item.c.incident_id == incident_id)
    return [_item(row) for row in conn.execute(query)]


def action_items_matching(conn: Connection, key: str) -> list[ActionItem]:
    """Items whose id is ``key``, starts with it or ends with it (``%`` in it is dropped)."""
    bare = key.replace("%", "")
    query = _WITH_DUE.where(
        or_(item.c.id == key, item.c.id.like(bare + "%"), item.c.id.like("%" + bare))
    )
    return [_item(row) for row in conn.execute(query)]


def _item(row: Any) -> ActionItem:
    return ActionItem(
        id=row.id,
        incident_id=row.incident_id,
        title=row.title,
        owner=row.owner,
        term=row.term,
        due=date.fromisoformat(row.due),
        status=row.status,
        tracker_url=row.tracker_url,
        entry_id=row.entry_id,
        created_at=from_ms(row.created_at),
    )
