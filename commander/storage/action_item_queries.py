"""Reads of the action items (``action_item``, written by ``apply_review``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import from_ms
from commander.core.review import ActionItem
from commander.storage.database import dbapi

_ITEM_COLUMNS = (
    "id, incident_id, title, owner, term, due, status, tracker_url, entry_id, created_at"
)


def action_items(conn: Connection, incident_id: str | None = None) -> list[ActionItem]:
    """Every item with a due date, of one incident or (None) of all, in no set order."""
    sql = f"SELECT {_ITEM_COLUMNS} FROM action_item WHERE due != ''"
    params: tuple[str, ...] = ()
    if incident_id is not None:
        sql += " AND incident_id = ?"
        params = (incident_id,)
    return [_item(row) for row in dbapi(conn).execute(sql, params).fetchall()]


def action_items_matching(conn: Connection, key: str) -> list[ActionItem]:
    """Items whose id is ``key``, starts with it or ends with it (``%`` in it is dropped)."""
    rows = (
        dbapi(conn)
        .execute(
            f"SELECT {_ITEM_COLUMNS} FROM action_item WHERE due != '' AND "
            "(id = ? OR id LIKE ? OR id LIKE ?)",
            (key, key.replace("%", "") + "%", "%" + key.replace("%", "")),
        )
        .fetchall()
    )
    return [_item(row) for row in rows]


def _item(row: Any) -> ActionItem:
    return ActionItem(
        id=row[0],
        incident_id=row[1],
        title=row[2],
        owner=row[3],
        term=row[4],
        due=date.fromisoformat(row[5]),
        status=row[6],
        tracker_url=row[7],
        entry_id=row[8],
        created_at=from_ms(row[9]),
    )
