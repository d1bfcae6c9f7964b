"""The outbox worker's logic, without Qt: claim what is due, send it, schedule the retries.

A network that is down is a state, not an error: the message stays queued and is tried again
with exponential backoff (capped), or exactly when a 429's ``Retry-After`` says. Only an answer
that cannot improve (a 4xx other than 408/429, a channel that is not set up) ends in "failed",
with the reason, for the user to fix and retry. The GUI runs ``run_once`` off its thread; the
CLI runs it in-line (``commander outbox --deliver``). Each engine is one deliverer with its
own lease owner id; it claims one message at a time, so a message waits for no other send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # httpx loads with the first delivery, not with the window
    import httpx

from commander.core.channels import Channel
from commander.core.messages import MessageContext, format_for
from commander.core.policy import Status
from commander.core.records import ChangeSet
from commander.core.templates import Audience, Rendered
from commander.integrations.channel_settings import (
    ChannelSecrets,
    ChannelSettings,
    load_channel_settings,
)
from commander.integrations.senders import (
    DeliveryFailed,
    Outgoing,
    SecretSource,
    check_statuspage,
    deliver,
)
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.exercise import outbox as exercise_outbox
from commander.services.outbox import OutboxItem, OutboxService
from commander.services.outbox_lease import Lease, lease_duration, new_owner
from commander.services.workspace import Workspace

BACKOFF_FIRST = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=5)
RETRY_AFTER_MAX = timedelta(hours=1)


@dataclass
class DeliveryReport:
    """What one pass did: ids by outcome, and the record changes to refresh views with."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    changes: ChangeSet = field(default_factory=ChangeSet)

    @property
    def attempted(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … capped at 5 minutes, after ``attempts`` failed tries."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * (2 ** max(0, attempts - 1)))


class DeliveryEngine:
    """Delivers the outbox of one workspace.

    Args:
        settings: returns the channels' public settings (read per pass: the user may edit them).
        transport: an httpx transport (tests use the real one against local servers).
    """

    def __init__(
        self,
        outbox: OutboxService,
        *,
        settings: Callable[[], ChannelSettings],
        secrets: ChannelSecrets,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._outbox = outbox
        self._settings = settings
        self._secrets = secrets
        self._transport = transport
        self._clock = outbox.workspace.clock
        self.owner = new_owner()

    def run_once(self) -> DeliveryReport:
        """Try every message that is due now; never raises for a delivery problem.

        Messages are claimed one by one under this engine's lease, each tried once per pass;
        one another process holds is left alone until its lease runs out.
        """
        report = DeliveryReport()
        self._outbox.queue_pagerduty_resolves()
        due = self._outbox.next_due()
        if due is None or due > self._clock.now():
            return report
        settings = self._settings()
        lease = Lease(self.owner, lease_duration(settings.timeout_seconds))
        if self._outbox.workspace.exercise is not None:
            return self._practice(lease, report)
        tried: list[str] = []
        client: httpx.Client | None = None
        try:
            while (item := self._outbox.claim(self._clock.now(), lease, skip=tried)) is not None:
                tried.append(item.id)
                if client is None:
                    import httpx

                    client = httpx.Client(
                        timeout=settings.timeout_seconds,
                        transport=self._transport,
                        follow_redirects=False,
                    )
                self._deliver_one(item, settings, client, report)
        finally:
            if client is not None:
                client.close()
        return report

    def _practice(self, lease: Lease, report: DeliveryReport) -> DeliveryReport:
        """An exercise: every due message goes to the practice outbox; no client is made."""
        tried: list[str] = []
        while (item := self._outbox.claim(self._clock.now(), lease, skip=tried)) is not None:
            tried.append(item.id)
            _merge(report.changes, exercise_outbox.record(self._outbox, item))
            report.sent.append(item.id)
        return report

    def _deliver_one(
        self,
        item: OutboxItem,
        settings: ChannelSettings,
        client: httpx.Client,
        report: DeliveryReport,
    ) -> None:
        outgoing = Outgoing(
            id=item.id,
            incident_id=item.incident_id,
            channel=item.channel,
            subject=item.subject,
            body=item.body,
            payload=item.payload,
            remote_id=item.remote_id,
        )
        try:
            delivered = deliver(
                outgoing,
                settings=settings,
                secrets=self._secrets,
                client=client,
                now=self._clock.now(),
            )
        except DeliveryFailed as failure:
            if failure.final:
                failed = self._outbox.record_failure(item.id, failure.reason, owner=self.owner)
                if failed is not None:
                    report.failed.append(item.id)
                    _merge(report.changes, failed)
                return
            if failure.retry_after is not None:
                wait = min(timedelta(seconds=failure.retry_after), RETRY_AFTER_MAX)
            else:
                wait = backoff(item.attempts)
            at = self._clock.now() + wait
            reason = f"{failure.reason} Next try in {_span(wait)}."
            if self._outbox.record_retry(item.id, reason, at, owner=self.owner):
                report.retrying.append(item.id)
            return
        changes = self._outbox.record_delivery(
            item.id,
            answer=delivered.answer,
            accepted_only=delivered.accepted_only,
            remote_id=delivered.remote_id,
        )
        report.sent.append(item.id)
        _merge(report.changes, changes)

    def next_due(self) -> datetime | None:
        return self._outbox.next_due()


def _merge(into: ChangeSet, changes: ChangeSet) -> None:
    into.incident_ids |= changes.incident_ids
    into.records_changed |= changes.records_changed
    for incident_id, ids in changes.entry_ids.items():
        into.entry_ids.setdefault(incident_id, set()).update(ids)


def _span(wait: timedelta) -> str:
    seconds = int(wait.total_seconds())
    if seconds < 90:
        return f"{seconds} s"
    return f"{round(seconds / 60)} min"


def comms_for(workspace: Workspace, deadlines: DeadlineService) -> CommsService:
    """The comms service with this workspace's status page settings for payloads."""
    settings = load_channel_settings(workspace.data_dir)
    return CommsService(
        workspace,
        deadlines,
        statuspage_impact=settings.statuspage_impact,
        component_status=settings.statuspage_component_status,
        component_ids=settings.statuspage_component_ids,
    )


def engine_for(
    outbox: OutboxService, secrets: ChannelSecrets, transport: httpx.BaseTransport | None = None
) -> DeliveryEngine:
    """An engine that reads ``channels.json`` afresh on every pass."""
    data_dir = outbox.workspace.data_dir
    return DeliveryEngine(
        outbox,
        settings=lambda: load_channel_settings(data_dir),
        secrets=secrets,
        transport=transport,
    )


TEST_SUBJECT = "Commander test message"
TEST_BODY = "This is a test from Commander's channel settings. No action is needed."


def send_test_message(
    channel: Channel,
    *,
    settings: ChannelSettings,
    secrets: SecretSource,
    now: datetime,
    transport: httpx.BaseTransport | None = None,
    exercise: bool = False,
) -> str:
    """Send a test message on ``channel`` with these (perhaps unsaved) settings; never from
    an exercise workspace (``exercise``).

    The status page is checked by reading the page (a test incident would be public);
    PagerDuty gets a test trigger that is resolved at once.

    Returns:
        What the server answered.

    Raises:
        DeliveryFailed: the reason, as the outbox would show it.
    """
    from uuid import uuid4

    if exercise:
        raise DeliveryFailed(
            "This workspace is an exercise: nothing is sent to a real channel.", final=True
        )
    rendered = Rendered(TEST_SUBJECT, TEST_BODY)
    context = MessageContext(
        incident_id=f"commander-test-{uuid4()}",
        ref="TEST",
        severity="P0",
        status=Status.INVESTIGATING,
        audience=Audience.INTERNAL,
    )
    import httpx

    with httpx.Client(timeout=settings.timeout_seconds, transport=transport) as client:
        if channel is Channel.STATUSPAGE:
            return check_statuspage(settings=settings, secrets=secrets, client=client)
        preview = format_for(channel, rendered, context)
        outgoing = Outgoing(
            id=f"msg_test_{uuid4().hex}",
            incident_id=context.incident_id,
            channel=channel,
            subject=rendered.subject,
            body=rendered.body,
            payload=preview.payload,
        )
        answer = deliver(outgoing, settings=settings, secrets=secrets, client=client, now=now)
        if channel is Channel.PAGERDUTY:
            resolve = Outgoing(
                **{
                    **outgoing.__dict__,
                    "payload": {"event_action": "resolve", "dedup_key": context.incident_id},
                }
            )
            deliver(resolve, settings=settings, secrets=secrets, client=client, now=now)
            return f"{answer.answer} (test event triggered and resolved)"
        return answer.answer
