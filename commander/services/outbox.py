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

from collections.abc import Mapping, Sequence
from datetime import datetime

from commander.core.channels import Channel
from commander.core.clock import from_ms, iso, to_ms
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.ops import Entity, Field
from commander.core.outbox import OutboxItem, OutboxState
from commander.core.policy import Status
from commander.core.records import ChangeSet
from commander.core.templates import Audience
from commander.core.text import clean_text
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.outbox_lease import Lease, lease_expiry_ms
from commander.services.workspace import Workspace
from commander.storage import outbox_queries as queries
from commander.storage.oplog import OpDraft

# Which deadline a delivered message meets, by audience.
_AUDIENCE_DEADLINE = {
    Audience.INTERNAL: DeadlineKind.INTERNAL_UPDATE,
    Audience.EXECUTIVE: DeadlineKind.ESCALATION,
    Audience.CUSTOMER: DeadlineKind.CUSTOMER_COMMS,
    Audience.PARTNER: DeadlineKind.PARTNER_COMMS,
}


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
                remote_id = queries.latest_statuspage_remote_id(conn, incident_id)
            queries.insert_queued(
                conn,
                item_id,
                incident_id=incident_id,
                template_key=composition.template.key,
                audience=composition.audience.value,
                channel=channel.value,
                subject=composition.rendered.subject,
                body=composition.rendered.body,
                payload=composition.preview.payload,
                now_ms=now_ms,
                remote_id=remote_id,
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
        with self._ws.unit_of_work() as conn:
            incident_ids = queries.paged_resolved_incident_ids(
                conn, resolved_statuses=(Status.RESOLVED.value, Status.CLOSED.value)
            )
            return [
                self.queue(incident_id, "resolved", channel=Channel.PAGERDUTY)
                for incident_id in incident_ids
            ]

    # -- reading -------------------------------------------------------------------------

    def outbox(self, incident_id: str | None = None) -> list[OutboxItem]:
        """Newest first; every message of ``incident_id`` or of all incidents."""
        with self._ws.read() as conn:
            return queries.outbox_items(conn, incident_id)

    def outbox_item(self, item_id: str) -> OutboxItem:
        with self._ws.read() as conn:
            item = queries.outbox_item_by_id(conn, item_id)
        if item is None:
            raise NotFoundError(f"No outbox message with id {item_id}.")
        return item

    def next_due(self) -> datetime | None:
        """When the next attempt is due: a queued message's time, or a lease running out."""
        with self._ws.read() as conn:
            due_ms = queries.next_due_ms(conn)
        return from_ms(due_ms) if due_ms is not None else None

    # -- delivery ------------------------------------------------------------------------

    def retry(self, item_id: str) -> OutboxItem:
        """Queue a failed (or waiting) message for an attempt now."""
        item = self.outbox_item(item_id)
        if item.state not in (OutboxState.FAILED, OutboxState.QUEUED):
            raise ValidationError(f"That message is {item.state}; only failed ones are retried.")
        with self._ws.write() as conn:
            # The state is checked again here: another deliverer may have claimed it since.
            queries.requeue_if_waiting(conn, item_id, to_ms(self._ws.clock.now()))
        return self.outbox_item(item_id)

    def claim(self, now: datetime, lease: Lease, *, skip: Sequence[str] = ()) -> OutboxItem | None:
        """Claim the oldest message due by ``now`` for ``lease.owner``, or None.

        A queued message is due at its next attempt; a "sending" one when its lease has run
        out (its sender died or hung). The claim is one write transaction, so of two
        processes asking at once exactly one gets the message. ``skip``: ids this pass
        already tried (a 429 with ``Retry-After: 0`` must not loop within one pass).
        """
        with self._ws.write() as conn:
            now_ms = to_ms(now)
            return queries.claim_next(
                conn, now_ms, lease.owner, lease_expiry_ms(lease, now_ms), skip
            )

    def record_retry(self, item_id: str, reason: str, at: datetime, *, owner: str) -> bool:
        """Queue it again for ``at``; False (nothing written) if ``owner`` lost the lease."""
        with self._ws.write() as conn:
            return queries.released_for_retry(conn, item_id, owner, reason, to_ms(at))

    def record_failure(self, item_id: str, reason: str, *, owner: str) -> ChangeSet | None:
        """The message cannot be delivered as it stands: the outbox row, a timeline entry with
        the reason and the deadline it was meant to meet (still open), together.

        None (nothing written) if ``owner`` lost the lease. Logged once: a retry that fails
        for the same reason changes only the row.
        """
        item = self.outbox_item(item_id)
        with self._ws.unit_of_work() as conn:
            now_ms = to_ms(self._ws.clock.now())
            if not queries.released_as_failed(conn, item_id, owner, reason, now_ms):
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
            if not queries.marked_delivered(conn, item_id, answer, to_ms(now), remote_id):
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
            queries.mark_sent_earlier(conn, item_id, answer, to_ms(at))
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
