"""Composing, drafting and queueing incident communication.

Templates and drafts are ops (they sync, last writer wins). The outbox is a local table: only
the laptop that sends a message delivers it; when it is delivered, one transaction updates the
outbox row and appends the ops everyone sees — a timeline entry naming the audience and the
channel, and the deadline the message meets (an internal update restarts the 30-minute timer).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import from_ms, iso, to_ms
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.messages import (
    Channel,
    MessageContext,
    Preview,
    format_for,
)
from commander.core.ops import Entity, Field, register_change
from commander.core.policy import Status
from commander.core.records import ChangeSet, Incident
from commander.core.roles import INCIDENT_COMMANDER
from commander.core.templates import (
    BUILTIN_TEMPLATES,
    FIELD_HELP,
    NAME_MAX,
    Audience,
    MessageTemplate,
    Rendered,
    check_template,
    render,
)
from commander.core.text import clean_text
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.report_link import report_link
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage.database import dbapi
from commander.storage.oplog import OpDraft, register_holder

FIELD_VALUE_MAX = 4000
UPDATE_INTERVAL = timedelta(minutes=30)

# Which deadline a delivered message meets, by audience.
_AUDIENCE_DEADLINE = {
    Audience.INTERNAL: DeadlineKind.INTERNAL_UPDATE,
    Audience.EXECUTIVE: DeadlineKind.ESCALATION,
    Audience.CUSTOMER: DeadlineKind.CUSTOMER_COMMS,
    Audience.PARTNER: DeadlineKind.PARTNER_COMMS,
}


class OutboxState:
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class Draft:
    id: str
    incident_id: str
    template_key: str
    audience: Audience
    channel: Channel
    fields: dict[str, str]
    updated_at: datetime
    author: str


@dataclass(frozen=True)
class OutboxItem:
    """One message in the local outbox and where its delivery stands."""

    id: str
    incident_id: str
    template_key: str
    audience: Audience
    channel: Channel
    subject: str
    body: str
    payload: dict[str, Any]
    state: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    finished_at: datetime | None
    answer: str
    error: str
    remote_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "template": self.template_key,
            "audience": self.audience.value,
            "channel": self.channel.value,
            "subject": self.subject,
            "state": self.state,
            "attempts": self.attempts,
            "created_at": iso(self.created_at),
            "next_attempt_at": iso(self.next_attempt_at) if self.state == "queued" else None,
            "finished_at": iso(self.finished_at) if self.finished_at else None,
            "answer": self.answer or None,
            "error": self.error or None,
        }


@dataclass(frozen=True)
class Composition:
    """A template filled for an incident and formatted for a channel."""

    template: MessageTemplate
    audience: Audience
    fields: dict[str, str]
    rendered: Rendered
    preview: Preview


_OUTBOX_COLUMNS = (
    "id, incident_id, template_key, audience, channel, subject, body, payload, state, "
    "attempts, created_at, next_attempt_at, finished_at, answer, error, remote_id"
)


# Incidents paged from here (a trigger sent), now resolved, whose page nobody resolved yet.
_PAGED_AND_RESOLVED = (
    "SELECT DISTINCT o.incident_id FROM outbox o JOIN incident i ON i.id = o.incident_id "
    "WHERE o.channel = ? AND o.state = ? AND i.status IN (?, ?) "
    "AND json_extract(o.payload, '$.event_action') = 'trigger' "
    "AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.incident_id = o.incident_id "
    "AND r.channel = ? AND r.created_at >= o.created_at "
    "AND json_extract(r.payload, '$.event_action') = 'resolve')"
)


class CommsService:
    """Templates, drafts, composing and the outbox of one workspace.

    Args:
        deadlines: gives "Next Update" and records the deadlines a delivery meets.
        context_settings: status page impact, component status and component ids for
            payloads (the public half of the channel settings).
    """

    def __init__(
        self,
        workspace: Workspace,
        deadlines: DeadlineService,
        *,
        statuspage_impact: str = "major",
        component_status: str = "major_outage",
        component_ids: tuple[str, ...] = (),
    ) -> None:
        self._ws = workspace
        self._deadlines = deadlines
        self._incidents = IncidentService(workspace)
        self.statuspage_impact = statuspage_impact
        self.component_status = component_status
        self.component_ids = component_ids

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- templates -----------------------------------------------------------------------

    def templates(self) -> list[MessageTemplate]:
        """Shipped templates (or this workspace's edit of them), then the users' own."""
        with self._ws.read() as conn:
            rows = (
                dbapi(conn)
                .execute(
                    "SELECT key, name, audience, subject, body, deleted FROM comms_template "
                    "ORDER BY name"
                )
                .fetchall()
            )
        stored = {row[0]: row for row in rows}
        result: list[MessageTemplate] = []
        for builtin in BUILTIN_TEMPLATES:
            row = stored.pop(builtin.key, None)
            if row is None or row[5]:
                result.append(builtin)
            else:
                result.append(MessageTemplate(row[0], row[1], Audience(row[2]), row[3], row[4]))
        for key, name, audience, subject, body, deleted in stored.values():
            if not deleted:
                result.append(MessageTemplate(key, name, Audience(audience), subject, body))
        return result

    def template(self, key: str) -> MessageTemplate:
        wanted = key.strip().lower()
        for template in self.templates():
            if template.key == wanted:
                return template
        names = ", ".join(t.key for t in self.templates())
        raise NotFoundError(f"No template {key!r}: use one of {names}.")

    def save_template(
        self,
        *,
        name: str,
        audience: Audience | str,
        subject: str,
        body: str,
        key: str | None = None,
    ) -> str:
        """Create or edit a template (a shipped one is overridden in this workspace)."""
        name = clean_text(name, what="Name", limit=NAME_MAX, required=True)
        audience = audience if isinstance(audience, Audience) else Audience(audience)
        check_template(subject, body)
        key = key or _slug(name)
        content = {
            "name": name,
            "audience": audience.value,
            "subject": subject,
            "body": body,
            "deleted": False,
        }
        self._write_content(Entity.TEMPLATE, "", key, content)
        return key

    def delete_template(self, key: str) -> None:
        """Remove a user template, or restore a shipped one to its original text."""
        template = self.template(key)
        content = {**template.to_json(), "deleted": True}
        content.pop("key")
        content.pop("builtin")
        self._write_content(Entity.TEMPLATE, "", template.key, content)

    # -- composing -----------------------------------------------------------------------

    def record_fields(self, incident_id: str) -> dict[str, str]:
        """Every field the record can fill (typed fields start empty)."""
        incident = self._incidents.get(incident_id)
        facts = self._deadlines.facts(incident_id)
        now = self._ws.clock.now()
        resolved_at = _resolved_at(facts.status_changes) if not incident.status.is_active else None
        end = resolved_at or now
        next_update = (
            self._deadlines.next_update(incident_id, now) if incident.status.is_active else None
        )
        if next_update is None and incident.status.is_active:
            next_update = now + UPDATE_INTERVAL
        fields = {name: "" for name in FIELD_HELP}
        fields.update(
            {
                "ref": incident.ref,
                "title": incident.title,
                "severity": incident.severity.value.removeprefix("P"),
                "severity_name": incident.severity.level.name,
                "service": ", ".join(incident.services),
                "service_description": ", ".join(incident.services),
                "started": self._when(incident.declared_at),
                "duration": _duration(end - incident.declared_at),
                "impact": incident.impact,
                "status": incident.status.label,
                "next_update": self._when(next_update, time_only=True) if next_update else "",
                "incident_commander": self._incident_commander(incident),
                "resolved_at": self._when(end),
                "report": report_link(self._ws, incident.id, incident.ref),
            }
        )
        return fields

    def _incident_commander(self, incident: Incident) -> str:
        """The IC on the roster now; the declarer until someone takes the role."""
        line = RosterService(self._ws).roster(incident.id).line(INCIDENT_COMMANDER)
        if line is not None and line.assigned and line.holder is not None:
            return line.holder.person_name or line.holder.holder_text()
        return incident.declared_by

    def compose(
        self,
        incident_id: str,
        template_key: str,
        *,
        channel: Channel,
        audience: Audience | None = None,
        typed: Mapping[str, str] | None = None,
    ) -> Composition:
        """Fill ``template_key`` from the record and ``typed`` values, for ``channel``."""
        template = self.template(template_key)
        incident = self._incidents.get(incident_id)
        audience = audience or template.audience
        fields = self.record_fields(incident_id)
        for name, value in (typed or {}).items():
            if name in FIELD_HELP and str(value).strip():
                fields[name] = str(value).strip()
        rendered = render(template, fields)
        preview = format_for(channel, rendered, self._context(incident, audience))
        return Composition(template, audience, fields, rendered, preview)

    def _context(self, incident: Incident, audience: Audience) -> MessageContext:
        return MessageContext(
            incident_id=incident.id,
            ref=incident.ref,
            severity=incident.severity.value,
            status=incident.status,
            audience=audience,
            statuspage_impact=self.statuspage_impact,
            component_status=self.component_status,
            component_ids=self.component_ids,
        )

    # -- drafts --------------------------------------------------------------------------

    def save_draft(
        self,
        incident_id: str,
        *,
        template_key: str,
        audience: Audience,
        channel: Channel,
        typed: Mapping[str, str],
        draft_id: str | None = None,
    ) -> str:
        """Keep the composer's state; it survives restarts and syncs."""
        self.template(template_key)
        self._incidents.get(incident_id)
        fields = {
            name: clean_text(str(value), what=name, limit=FIELD_VALUE_MAX, multiline=True)
            for name, value in typed.items()
            if name in FIELD_HELP and str(value).strip()
        }
        draft_id = draft_id or new_id()
        content = {
            "template_key": template_key,
            "audience": audience.value,
            "channel": channel.value,
            "fields": fields,
            "discarded": False,
        }
        self._write_content(Entity.DRAFT, incident_id, draft_id, content)
        return draft_id

    def drafts(self, incident_id: str) -> list[Draft]:
        with self._ws.read() as conn:
            rows = (
                dbapi(conn)
                .execute(
                    "SELECT id, incident_id, template_key, audience, channel, fields, "
                    "updated_at, author FROM comms_draft WHERE incident_id = ? AND discarded = 0 "
                    "ORDER BY updated_at DESC",
                    (incident_id,),
                )
                .fetchall()
            )
        return [
            Draft(
                row[0],
                row[1],
                row[2],
                Audience(row[3]),
                Channel(row[4]),
                json.loads(row[5]),
                from_ms(row[6]),
                row[7],
            )
            for row in rows
        ]

    def discard_draft(self, draft_id: str, conn: Connection | None = None) -> None:
        """Drop a draft (sending it does this in the same transaction as queueing)."""
        if conn is None:
            with self._ws.write() as own:
                self._discard(own, draft_id)
        else:
            self._discard(conn, draft_id)

    def _discard(self, conn: Connection, draft_id: str) -> None:
        row = (
            dbapi(conn)
            .execute(
                "SELECT incident_id, template_key, audience, channel, fields FROM "
                "comms_draft WHERE id = ?",
                (draft_id,),
            )
            .fetchone()
        )
        if row is None:
            raise NotFoundError(f"No draft with id {draft_id}.")
        content = {
            "template_key": row[1],
            "audience": row[2],
            "channel": row[3],
            "fields": json.loads(row[4]),
            "discarded": True,
        }
        self._append_content(conn, Entity.DRAFT, row[0], draft_id, content)

    # -- the outbox ----------------------------------------------------------------------

    def queue(
        self,
        incident_id: str,
        template_key: str,
        *,
        channel: Channel,
        audience: Audience | None = None,
        typed: Mapping[str, str] | None = None,
        draft_id: str | None = None,
    ) -> OutboxItem:
        """Put the message in the outbox; the delivery engine sends it when it can.

        Raises:
            ValidationError: the channel cannot carry it (over a hard limit, a phone script).
        """
        composition = self.compose(
            incident_id, template_key, channel=channel, audience=audience, typed=typed
        )
        blocking = [p.text for p in composition.preview.problems if p.blocks]
        if blocking:
            raise ValidationError(" ".join(blocking))
        now_ms = to_ms(self._ws.clock.now())
        item_id = new_id()
        with self._ws.write() as conn:
            remote_id = None
            if channel is Channel.STATUSPAGE:
                remote_id = self._statuspage_incident(conn, incident_id)
            dbapi(conn).execute(
                f"INSERT INTO outbox({_OUTBOX_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, '', '', ?)",
                (
                    item_id,
                    incident_id,
                    composition.template.key,
                    composition.audience.value,
                    channel.value,
                    composition.rendered.subject,
                    composition.rendered.body,
                    json.dumps(composition.preview.payload, ensure_ascii=False),
                    OutboxState.QUEUED,
                    now_ms,
                    now_ms,
                    remote_id,
                ),
            )
            if draft_id:
                self.discard_draft(draft_id, conn)
        return self.outbox_item(item_id)

    def queue_pagerduty_resolves(self) -> list[OutboxItem]:
        """Resolve on PagerDuty every incident this laptop paged that is now resolved.

        The page went out as a trigger with the incident id as ``dedup_key``; once the
        incident is resolved (or closed) the same key is resolved, once, without anyone
        having to remember it.
        """
        params = (
            Channel.PAGERDUTY.value,
            OutboxState.SENT,
            Status.RESOLVED.value,
            Status.CLOSED.value,
            Channel.PAGERDUTY.value,
        )
        with self._ws.read() as conn:
            rows = dbapi(conn).execute(_PAGED_AND_RESOLVED, params).fetchall()
        return [
            self.queue(incident_id, "resolved", channel=Channel.PAGERDUTY)
            for (incident_id,) in rows
        ]

    def outbox(self, incident_id: str | None = None) -> list[OutboxItem]:
        """Newest first; every message of ``incident_id`` or of all incidents."""
        where, params = ("WHERE incident_id = ?", (incident_id,)) if incident_id else ("", ())
        with self._ws.read() as conn:
            rows = (
                dbapi(conn)
                .execute(
                    f"SELECT {_OUTBOX_COLUMNS} FROM outbox {where} "
                    "ORDER BY created_at DESC, id DESC",
                    params,
                )
                .fetchall()
            )
        return [_outbox_item(row) for row in rows]

    def outbox_item(self, item_id: str) -> OutboxItem:
        with self._ws.read() as conn:
            row = (
                dbapi(conn)
                .execute(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (item_id,))
                .fetchone()
            )
        if row is None:
            raise NotFoundError(f"No outbox message with id {item_id}.")
        return _outbox_item(row)

    def retry(self, item_id: str) -> OutboxItem:
        """Queue a failed (or waiting) message for an attempt now."""
        item = self.outbox_item(item_id)
        if item.state not in (OutboxState.FAILED, OutboxState.QUEUED):
            raise ValidationError(f"That message is {item.state}; only failed ones are retried.")
        with self._ws.write() as conn:
            dbapi(conn).execute(
                "UPDATE outbox SET state = ?, next_attempt_at = ?, finished_at = NULL WHERE id = ?",
                (OutboxState.QUEUED, to_ms(self._ws.clock.now()), item_id),
            )
        return self.outbox_item(item_id)

    def claim_due(self, now: datetime) -> list[OutboxItem]:
        """Mark every message due by ``now`` as sending and return them (one process wins)."""
        now_ms = to_ms(now)
        with self._ws.write() as conn:
            db = dbapi(conn)
            rows = db.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = ? AND next_attempt_at <= ? "
                "ORDER BY created_at, id",
                (OutboxState.QUEUED, now_ms),
            ).fetchall()
            db.executemany(
                "UPDATE outbox SET state = ?, attempts = attempts + 1 WHERE id = ?",
                [(OutboxState.SENDING, row[0]) for row in rows],
            )
        return [self.outbox_item(row[0]) for row in rows]

    def next_due(self) -> datetime | None:
        with self._ws.read() as conn:
            row = (
                dbapi(conn)
                .execute(
                    "SELECT MIN(next_attempt_at) FROM outbox WHERE state = ?",
                    (OutboxState.QUEUED,),
                )
                .fetchone()
            )
        return from_ms(row[0]) if row and row[0] is not None else None

    def requeue_interrupted(self) -> int:
        """Messages left "sending" by a process that died: queue them again."""
        with self._ws.write() as conn:
            cursor = dbapi(conn).execute(
                "UPDATE outbox SET state = ? WHERE state = ?",
                (OutboxState.QUEUED, OutboxState.SENDING),
            )
            return int(cursor.rowcount or 0)

    def record_retry(self, item_id: str, reason: str, at: datetime) -> None:
        with self._ws.write() as conn:
            dbapi(conn).execute(
                "UPDATE outbox SET state = ?, error = ?, next_attempt_at = ? WHERE id = ?",
                (OutboxState.QUEUED, reason, to_ms(at), item_id),
            )

    def record_failure(self, item_id: str, reason: str) -> None:
        with self._ws.write() as conn:
            dbapi(conn).execute(
                "UPDATE outbox SET state = ?, error = ?, finished_at = ? WHERE id = ?",
                (OutboxState.FAILED, reason, to_ms(self._ws.clock.now()), item_id),
            )

    def record_delivery(
        self, item_id: str, *, answer: str, accepted_only: bool, remote_id: str | None
    ) -> ChangeSet:
        """The server took the message: outbox row, timeline entry and deadline, together."""
        item = self.outbox_item(item_id)
        now = self._ws.clock.now()
        verb = "accepted by" if accepted_only else "sent via"
        event = f"{item.audience.label} update {verb} {item.channel.label}: {item.subject}"
        with self._ws.unit_of_work() as conn:
            dbapi(conn).execute(
                "UPDATE outbox SET state = ?, answer = ?, error = '', finished_at = ?, "
                "remote_id = COALESCE(?, remote_id) WHERE id = ?",
                (OutboxState.SENT, answer, to_ms(now), remote_id, item_id),
            )
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        item.incident_id,
                        Entity.ENTRY,
                        new_id(),
                        Field.CREATE,
                        {
                            "occurred_at": iso(now),
                            "event": clean_text(event, what="Event", limit=1000),
                            "action": f"Audience: {item.audience.value}; channel: "
                            f"{item.channel.value}; {answer}"[:1000],
                            "owner": self._ws.author,
                            "kind": "system",
                        },
                    )
                ],
            )
            changes = ChangeSet()
            for op in ops:
                changes.add(op.incident_id, op.entity, op.entity_id)
            deadline_changes = self._meet_deadline(item)
            for incident_id in deadline_changes.incident_ids:
                changes.incident_ids.add(incident_id)
            changes.records_changed |= deadline_changes.records_changed
            for incident_id, ids in deadline_changes.entry_ids.items():
                changes.entry_ids.setdefault(incident_id, set()).update(ids)
        return changes

    def _meet_deadline(self, item: OutboxItem) -> ChangeSet:
        kind = _AUDIENCE_DEADLINE[item.audience]
        how = f"{item.channel.label}: {item.subject}"[:200]
        if kind is DeadlineKind.INTERNAL_UPDATE:
            incident = self._incidents.get(item.incident_id)
            if not incident.status.is_active:
                return ChangeSet()
            return self._deadlines.update_sent(item.incident_id, how=how)
        if kind.value in self._deadlines.facts(item.incident_id).met:
            return ChangeSet()  # met before; a second notice is on the timeline already
        applies = {
            d.key
            for d in self._deadlines.deadlines(item.incident_id)
            if d.state is not DeadlineState.NOT_APPLICABLE
        }
        if kind not in applies:
            return ChangeSet()
        return self._deadlines.mark_met(item.incident_id, kind, how)

    # -- helpers -------------------------------------------------------------------------

    def _statuspage_incident(self, conn: Connection, incident_id: str) -> str | None:
        row = (
            dbapi(conn)
            .execute(
                "SELECT remote_id FROM outbox WHERE incident_id = ? AND channel = ? "
                "AND remote_id IS NOT NULL ORDER BY created_at DESC LIMIT 1",
                (incident_id, Channel.STATUSPAGE.value),
            )
            .fetchone()
        )
        return row[0] if row else None

    def _write_content(
        self, entity: str, incident_id: str, entity_id: str, content: dict[str, Any]
    ) -> None:
        with self._ws.write() as conn:
            self._append_content(conn, entity, incident_id, entity_id, content)

    def _append_content(
        self,
        conn: Connection,
        entity: str,
        incident_id: str,
        entity_id: str,
        content: dict[str, Any],
    ) -> None:
        base = register_holder(conn, entity, entity_id, Field.CONTENT)
        self._ws.append(
            conn,
            [
                OpDraft(
                    incident_id, entity, entity_id, Field.CONTENT, register_change(content, base)
                )
            ],
        )

    def _when(self, when: datetime, *, time_only: bool = False) -> str:
        local = when.astimezone(self._ws.zone)
        zone = local.tzname() or ""
        return (
            f"{local:%H:%M} {zone}".strip()
            if time_only
            else f"{local:%Y-%m-%d %H:%M} {zone}".strip()
        )


def _outbox_item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row[0],
        incident_id=row[1],
        template_key=row[2],
        audience=Audience(row[3]),
        channel=Channel(row[4]),
        subject=row[5],
        body=row[6],
        payload=json.loads(row[7]),
        state=row[8],
        attempts=row[9],
        created_at=from_ms(row[10]),
        next_attempt_at=from_ms(row[11]),
        finished_at=from_ms(row[12]) if row[12] is not None else None,
        answer=row[13],
        error=row[14],
        remote_id=row[15],
    )


def _resolved_at(changes: Sequence[tuple[datetime, Status]]) -> datetime | None:
    resolved = None
    for when, status in changes:
        if status.is_active:
            resolved = None
        elif resolved is None:
            resolved = when
    return resolved


def _duration(span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    parts.append(f"{minutes} min")
    return " ".join(parts)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "template"
    return f"{slug}-{new_id()[-6:].lower()}"
