"""Action items from post-incident reviews: add, change, find and list them.

Items are ops (entity ``action_item``), so they sync and replay like the rest of the record.
Each field of an item is its own last-writer-wins register (``value`` via ``register_change``):
two people changing different fields of the same item both keep their edit.
"""

from __future__ import annotations

from datetime import date

from commander.core import limits
from commander.core.clock import iso
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.limits import DUE_WINDOW, check_window
from commander.core.ops import Entity, Field, register_change
from commander.core.review import (
    ACTION_ITEM_REGISTERS,
    ActionField,
    ActionItem,
    ItemStatus,
    default_due,
    overdue_first,
    parse_item_status,
    parse_term,
)
from commander.core.text import SHORT_MAX, TITLE_MAX, clean_text
from commander.services.workspace import Workspace
from commander.storage import action_item_queries, queries
from commander.storage.oplog import OpDraft, register_holder

URL_MAX = limits.URL_MAX


class ActionItemService:
    """The action items of incidents in one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def today(self) -> date:
        """Today in the user's zone: what "overdue" and default due dates count from."""
        return self._ws.clock.now().astimezone(self._ws.zone).date()

    def action_items(
        self, incident_id: str | None = None, *, today: date | None = None
    ) -> list[ActionItem]:
        """Items of one incident (or, with None, of all), overdue first."""
        with self._ws.read() as conn:
            items = action_item_queries.action_items(conn, incident_id)
        return overdue_first(items, today or self.today())

    def action_item(self, key: str) -> ActionItem:
        """An item by id, or by a unique start or end of its id (the CLI shows the end)."""
        key = key.strip()
        if len(key) < 4:
            raise ValidationError("Name an action item by at least 4 characters of its id.")
        with self._ws.read() as conn:
            found = action_item_queries.action_items_matching(conn, key)
        if not found:
            raise NotFoundError(f"No action item matches {key!r}.")
        exact = [item for item in found if item.id == key]
        if len(found) > 1 and not exact:
            raise ValidationError(
                f"{key!r} matches {len(found)} action items; give more of the id."
            )
        return (exact or found)[0]

    def add_action_item(
        self,
        incident_id: str,
        title: str,
        *,
        owner: str = "",
        term: str = "short",
        due: date | None = None,
        status: str = ItemStatus.OPEN,
        tracker_url: str = "",
        entry_id: str | None = None,
    ) -> ActionItem:
        """A new item; its due date defaults from the term. ``entry_id`` links a timeline entry."""
        term = parse_term(term)
        if due is not None:
            _check_due(due, self.today())
        values = {
            ActionField.TITLE: clean_text(title, what="Title", limit=TITLE_MAX, required=True),
            ActionField.OWNER: clean_text(owner, what="Owner", limit=SHORT_MAX),
            ActionField.TERM: term,
            ActionField.DUE: (due or default_due(term, self.today())).isoformat(),
            ActionField.STATUS: parse_item_status(status),
            ActionField.TRACKER_URL: _clean_url(tracker_url),
        }
        item_id = new_id()
        with self._ws.write() as conn:
            queries.require_incident(conn, incident_id)
            if entry_id is not None:
                entry = queries.entry(conn, entry_id)
                if entry is None or entry.incident_id != incident_id:
                    raise NotFoundError("That timeline entry is not part of this incident.")
            self._ws.append(
                conn,
                [
                    OpDraft(
                        incident_id,
                        Entity.ACTION_ITEM,
                        item_id,
                        Field.CREATE,
                        {
                            **values,
                            "entry_id": entry_id,
                            "created_at": iso(self._ws.clock.now()),
                        },
                    )
                ],
            )
        return self.action_item(item_id)

    def update_action_item(
        self,
        item_id: str,
        *,
        title: str | None = None,
        owner: str | None = None,
        term: str | None = None,
        due: date | None = None,
        status: str | None = None,
        tracker_url: str | None = None,
    ) -> ActionItem:
        """Change some fields; only the ones that differ become ops.

        A new term moves the due date too, unless the date was already moved by hand (it no
        longer equals the old term's default) or a date is given.
        """
        item = self.action_item(item_id)
        wanted: dict[str, str] = {}
        if title is not None:
            wanted[ActionField.TITLE] = clean_text(
                title, what="Title", limit=TITLE_MAX, required=True
            )
        if owner is not None:
            wanted[ActionField.OWNER] = clean_text(owner, what="Owner", limit=SHORT_MAX)
        if term is not None:
            wanted[ActionField.TERM] = parse_term(term)
            created = item.created_at.astimezone(self._ws.zone).date()
            if due is None and item.due == default_due(item.term, created):
                wanted[ActionField.DUE] = default_due(wanted[ActionField.TERM], created).isoformat()
        if due is not None:
            _check_due(due, self.today())
            wanted[ActionField.DUE] = due.isoformat()
        if status is not None:
            wanted[ActionField.STATUS] = parse_item_status(status)
        if tracker_url is not None:
            wanted[ActionField.TRACKER_URL] = _clean_url(tracker_url)
        current = _item_values(item)
        changed = {f: v for f, v in wanted.items() if current[f] != v}
        if not changed:
            return item
        with self._ws.write() as conn:
            drafts = [
                OpDraft(
                    item.incident_id,
                    Entity.ACTION_ITEM,
                    item.id,
                    field,
                    _change(conn, item.id, field, value),
                )
                for field, value in changed.items()
            ]
            self._ws.append(conn, drafts)
        return self.action_item(item.id)


def _change(conn, item_id: str, field: str, value: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return register_change(value, register_holder(conn, Entity.ACTION_ITEM, item_id, field))


def _clean_url(text: str) -> str:
    url = clean_text(text, what="Tracker link", limit=URL_MAX)
    if url and not url.lower().startswith(("https://", "http://")):
        raise ValidationError("A tracker link must start with https:// or http://.")
    return url


def _item_values(item: ActionItem) -> dict[str, str]:
    values = {
        ActionField.TITLE: item.title,
        ActionField.OWNER: item.owner,
        ActionField.TERM: item.term,
        ActionField.DUE: item.due.isoformat(),
        ActionField.STATUS: item.status,
        ActionField.TRACKER_URL: item.tracker_url,
    }
    assert set(values) == set(ACTION_ITEM_REGISTERS)
    return values


__all__ = ["ActionItemService"]


def _check_due(due: date, today: date) -> None:
    check_window(due, now=today, before=DUE_WINDOW, after=DUE_WINDOW, what="The due date")
