"""The local outbox: queueing composed messages and tracking their delivery.

The outbox is a local table, not ops: only the laptop that sends a message delivers it. When it
is delivered, one transaction updates the outbox row and appends the ops everyone sees — a
timeline entry naming the audience and the channel, and the deadline the message meets (an
internal update restarts the 30-minute timer). Composing the content is ``CommsService``'s job;
this module owns everything from "put it in the outbox" on.

Several processes may deliver one workspace (the window and ``commander outbox --deliver``).
A deliverer claims one message at a time with a lease (its owner id and an expiry, see
``outbox_lease``); only the lease holder records a retry or a failure, and only the first
"delivered" of a message writes its timeline entry. docs/delivery.md states the guarantees.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.channels import Channel
from commander.core.clock import from_ms, iso, to_ms
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.ops import Entity, Field
from commander.core.policy import Status
from commander.core.records import ChangeSet
from commander.core.templates import Audience
from commander.core.text import clean_text
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.outbox_lease import Lease, claim_next, delivered, released
from commander.services.workspace import Workspace
from commander.storage.database import dbapi
from commander.storage.oplog import OpDraft

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
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None

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
            "lease": {"owner": self.lease_owner, "expires_at": iso(self.lease_expires_at)}
            if self.state == "sending" and self.lease_expires_at is not None
            else None,
        }


_OUTBOX_COLUMNS = (
    "id, incident_id, template_key, audience, channel, subject, body, payload, state, "
    "attempts, created_at, next_attempt_at, finished_at, answer, error, remote_id, "
    "lease_owner, lease_expires_at"
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


class OutboxService:
    """The outbox of one workspace: queue, list, claim, and record how delivery went.

    Args:
        comms: composes what is queued (its status page settings shape the payloads) and
            discards the draft a message was sent from.
        deadlines: records the deadlines a delivery meets.
    """

    def __init__(
        self, workspace: Workspace, comms: CommsService, deadlines: DeadlineService
    ) -> None:
        self._ws = workspace
        self._comms = comms
        self._deadlines = deadlines
        self._incidents = IncidentService(workspace)

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- queueing ------------------------------------------------------------------------

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
        composition = self._comms.compose(
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
                remote_id = _statuspage_incident(conn, incident_id)
            dbapi(conn).execute(
                f"INSERT INTO outbox({_OUTBOX_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, '', '', ?, NULL, NULL)",
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
                self._comms.discard_draft(draft_id, conn)
        return self.outbox_item(item_id)

    def queue_pagerduty_resolves(self) -> list[OutboxItem]:
        """Resolve on PagerDuty every incident this laptop paged that is now resolved.

        The page went out as a trigger with the incident id as ``dedup_key``; once the
        incident is resolved (or closed) the same key is resolved, once, without anyone
        having to remember it. Checking and queueing are one write transaction, so two
        deliverers passing at once queue one resolve, not two.
        """
        params = (
            Channel.PAGERDUTY.value,
            OutboxState.SENT,
            Status.RESOLVED.value,
            Status.CLOSED.value,
            Channel.PAGERDUTY.value,
        )
        with self._ws.unit_of_work() as conn:
            rows = dbapi(conn).execute(_PAGED_AND_RESOLVED, params).fetchall()
            return [
                self.queue(incident_id, "resolved", channel=Channel.PAGERDUTY)
                for (incident_id,) in rows
            ]

    # -- reading -------------------------------------------------------------------------

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

    def next_due(self) -> datetime | None:
        """When the next attempt is due: a queued message's time, or a lease running out."""
        with self._ws.read() as conn:
            row = (
                dbapi(conn)
                .execute(
                    "SELECT MIN(CASE WHEN state = ? THEN next_attempt_at "
                    "ELSE lease_expires_at END) FROM outbox WHERE state IN (?, ?)",
                    (OutboxState.QUEUED, OutboxState.QUEUED, OutboxState.SENDING),
                )
                .fetchone()
            )
        return from_ms(row[0]) if row and row[0] is not None else None

    # -- delivery ------------------------------------------------------------------------

    def retry(self, item_id: str) -> OutboxItem:
        """Queue a failed (or waiting) message for an attempt now."""
        item = self.outbox_item(item_id)
        if item.state not in (OutboxState.FAILED, OutboxState.QUEUED):
            raise ValidationError(f"That message is {item.state}; only failed ones are retried.")
        with self._ws.write() as conn:
            # The state is checked again here: another deliverer may have claimed it since.
            dbapi(conn).execute(
                "UPDATE outbox SET state = ?, next_attempt_at = ?, finished_at = NULL "
                "WHERE id = ? AND state IN (?, ?)",
                (
                    OutboxState.QUEUED,
                    to_ms(self._ws.clock.now()),
                    item_id,
                    OutboxState.FAILED,
                    OutboxState.QUEUED,
                ),
            )
        return self.outbox_item(item_id)

    def claim(self, now: datetime, lease: Lease, *, skip: Sequence[str] = ()) -> OutboxItem | None:
        """Claim the oldest message due by ``now`` for ``lease.owner``, or None.

        A queued message is due at its next attempt; a "sending" one when its lease has run
        out (its sender died or hung). The claim is one write transaction, so of two
        processes asking at once exactly one gets the message. ``skip``: ids this pass
        already tried (a 429 with ``Retry-After: 0`` must not loop within one pass).
        """
        with self._ws.write() as conn:
            row = claim_next(conn, _OUTBOX_COLUMNS, to_ms(now), lease, skip)
        return _outbox_item(row) if row is not None else None

    def record_retry(self, item_id: str, reason: str, at: datetime, *, owner: str) -> bool:
        """Queue it again for ``at``; False (nothing written) if ``owner`` lost the lease."""
        with self._ws.write() as conn:
            return released(
                conn,
                item_id,
                owner,
                "state = ?, error = ?, next_attempt_at = ?",
                (OutboxState.QUEUED, reason, to_ms(at)),
            )

    def record_failure(self, item_id: str, reason: str, *, owner: str) -> ChangeSet | None:
        """The message cannot be delivered as it stands: the outbox row, a timeline entry with
        the reason and the deadline it was meant to meet (still open), together.

        None (nothing written) if ``owner`` lost the lease. Logged once: a retry that fails
        for the same reason changes only the row.
        """
        item = self.outbox_item(item_id)
        with self._ws.unit_of_work() as conn:
            if not released(
                conn,
                item_id,
                owner,
                "state = ?, error = ?, finished_at = ?",
                (OutboxState.FAILED, reason, to_ms(self._ws.clock.now())),
            ):
                return None
            if item.error == reason:
                return ChangeSet()
            event = f"{item.audience.label} update via {item.channel.label} failed: {item.subject}"
            return self._deadlines.log_send_failure(
                item.incident_id, event=event, reason=reason, kind=self._open_deadline(item)
            )

    def _open_deadline(self, item: OutboxItem) -> DeadlineKind | None:
        """The deadline ``item`` was meant to meet, if it still waits for it."""
        kind = _AUDIENCE_DEADLINE[item.audience]
        if kind is DeadlineKind.INTERNAL_UPDATE:
            active = self._incidents.get(item.incident_id).status.is_active
            return kind if active else None
        if kind.value in self._deadlines.facts(item.incident_id).met:
            return None
        applies = {
            d.key
            for d in self._deadlines.deadlines(item.incident_id)
            if d.state is not DeadlineState.NOT_APPLICABLE
        }
        return kind if kind in applies else None

    def record_delivery(
        self, item_id: str, *, answer: str, accepted_only: bool, remote_id: str | None
    ) -> ChangeSet:
        """The server took the message: outbox row, timeline entry and deadline, together.

        Recorded even by a sender whose lease ran out (the server did take it), but only the
        first record of a message writes the timeline entry and meets the deadline.
        """
        item = self.outbox_item(item_id)
        now = self._ws.clock.now()
        verb = "accepted by" if accepted_only else "sent via"
        event = f"{item.audience.label} update {verb} {item.channel.label}: {item.subject}"
        with self._ws.unit_of_work() as conn:
            if not delivered(conn, item_id, answer, to_ms(now), remote_id):
                return ChangeSet()  # another deliverer recorded it first
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

    def record_sent_earlier(self, item_id: str, *, answer: str, at: datetime) -> OutboxItem:
        """Mark a message as delivered at ``at`` without logging it again.

        For a history told after the fact (the demo incident), whose timeline already says
        the update went out and whose deadlines are already met: the outbox then agrees with
        the timeline instead of being empty.
        """
        with self._ws.write() as conn:
            dbapi(conn).execute(
                "UPDATE outbox SET state = ?, attempts = 1, answer = ?, error = '', "
                "finished_at = ?, next_attempt_at = ? WHERE id = ?",
                (OutboxState.SENT, answer, to_ms(at), to_ms(at), item_id),
            )
        return self.outbox_item(item_id)

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


def _statuspage_incident(conn: Connection, incident_id: str) -> str | None:
    """The status page incident this one's earlier notices opened, so updates go to it."""
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
        lease_owner=row[16],
        lease_expires_at=from_ms(row[17]) if row[17] is not None else None,
    )
