"""The outbox's statements (storage/outbox_queries.py): messages listed newest first, the
oldest due one claimed under a lease, a lease released only by its owner, a delivery marked
once, and the PagerDuty pages still waiting for their resolve."""

from __future__ import annotations

from commander.core.channels import Channel
from commander.core.outbox import OutboxState
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import outbox_queries as oq

T0 = 1_800_000_000_000


def _queue(
    conn,  # type: ignore[no-untyped-def]
    item_id: str,
    incident_id: str,
    at_ms: int,
    *,
    channel: Channel = Channel.SLACK,
    audience: str = "internal",
    payload: dict | None = None,  # type: ignore[type-arg]
    remote_id: str | None = None,
) -> None:
    oq.insert_queued(
        conn, item_id, incident_id=incident_id, template_key="update", audience=audience,
        channel=channel.value, subject=f"subject {item_id}", body="body",
        payload=payload or {}, now_ms=at_ms, remote_id=remote_id,
    )  # fmt: skip


def _incident(incidents: IncidentService, title: str = "API down") -> str:
    return incidents.declare(title=title, severity="P1").incident.id


def test_listing_is_newest_first_and_by_incident(
    workspace: Workspace, incidents: IncidentService
) -> None:
    first, second = _incident(incidents), _incident(incidents, "DB slow")
    with workspace.write() as conn:
        assert oq.outbox_items(conn) == [] and oq.next_due_ms(conn) is None
        _queue(conn, "m1", first, T0, payload={"text": "héllo"})
        _queue(conn, "m3", second, T0 + 5)
        _queue(conn, "m2", first, T0 + 5)
        assert [i.id for i in oq.outbox_items(conn)] == ["m3", "m2", "m1"]  # ties: id, desc
        assert [i.id for i in oq.outbox_items(conn, first)] == ["m2", "m1"]
        item = oq.outbox_item_by_id(conn, "m1")
        assert oq.outbox_item_by_id(conn, "missing") is None
    assert item is not None and item.state == OutboxState.QUEUED and item.attempts == 0
    assert item.payload == {"text": "héllo"} and item.channel is Channel.SLACK
    assert item.finished_at is None and item.lease_owner is None and item.remote_id is None


def test_the_oldest_due_message_is_claimed_under_a_lease(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = _incident(incidents)
    with workspace.write() as conn:
        _queue(conn, "later", incident, T0 + 1000)
        _queue(conn, "b", incident, T0)
        _queue(conn, "a", incident, T0)
        assert oq.next_due_ms(conn) == T0
        claimed = oq.claim_next(conn, T0, "worker-1", T0 + 60_000, skip=())
        assert claimed is not None and claimed.id == "a"  # same time: by id
        assert claimed.state == OutboxState.SENDING and claimed.attempts == 1
        assert claimed.lease_owner == "worker-1"
        skipped = oq.claim_next(conn, T0, "worker-1", T0 + 60_000, skip=["b"])
        assert skipped is None  # "later" is not due, "a" is leased, "b" is skipped
        assert oq.claim_next(conn, T0, "worker-2", T0 + 60_000, skip=())
        assert oq.next_due_ms(conn) == T0 + 1000  # the queued one, before either lease ends
        expired = oq.claim_next(conn, T0 + 60_000, "worker-3", T0 + 120_000, skip=["later"])
        assert expired is not None and expired.id == "a"  # its lease ran out: taken again
        assert expired.attempts == 2 and expired.lease_owner == "worker-3"


def test_only_the_lease_owner_releases_and_a_delivery_is_marked_once(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = _incident(incidents)
    with workspace.write() as conn:
        _queue(conn, "m", incident, T0, remote_id="sp-1")
        oq.claim_next(conn, T0, "me", T0 + 10, skip=())
        assert not oq.released_for_retry(conn, "m", "someone-else", "timeout", T0 + 100)
        assert oq.released_for_retry(conn, "m", "me", "timeout", T0 + 100)
        retried = oq.outbox_item_by_id(conn, "m")
        assert retried is not None and retried.state == OutboxState.QUEUED
        assert retried.error == "timeout" and retried.lease_owner is None
        assert oq.next_due_ms(conn) == T0 + 100
        assert not oq.released_as_failed(conn, "m", "me", "gave up", T0 + 200)  # not leased
        oq.claim_next(conn, T0 + 100, "me", T0 + 110, skip=())
        assert oq.released_as_failed(conn, "m", "me", "gave up", T0 + 200)
        failed = oq.outbox_item_by_id(conn, "m")
        assert failed is not None and failed.state == OutboxState.FAILED
        assert oq.next_due_ms(conn) is None
        assert oq.marked_delivered(conn, "m", "ok", T0 + 300, None)
        assert not oq.marked_delivered(conn, "m", "again", T0 + 400, "sp-2")
        sent = oq.outbox_item_by_id(conn, "m")
    assert sent is not None and sent.state == OutboxState.SENT and sent.answer == "ok"
    assert sent.remote_id == "sp-1" and sent.error == ""  # None kept the earlier remote id


def test_requeue_leaves_a_claimed_message_alone(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = _incident(incidents)
    with workspace.write() as conn:
        _queue(conn, "failed", incident, T0)
        _queue(conn, "leased", incident, T0 + 1)
        oq.claim_next(conn, T0, "me", T0 + 10, skip=["leased"])
        oq.released_as_failed(conn, "failed", "me", "boom", T0 + 5)
        oq.claim_next(conn, T0 + 1, "other", T0 + 50, skip=())
        oq.requeue_if_waiting(conn, "failed", T0 + 20)
        oq.requeue_if_waiting(conn, "leased", T0 + 20)
        states = {i.id: (i.state, i.finished_at) for i in oq.outbox_items(conn)}
        oq.mark_sent_earlier(conn, "failed", "sent by hand", T0 + 30)
        earlier = oq.outbox_item_by_id(conn, "failed")
    assert states["failed"] == (OutboxState.QUEUED, None)
    assert states["leased"][0] == OutboxState.SENDING
    assert earlier is not None and earlier.state == OutboxState.SENT and earlier.attempts == 1
    assert earlier.answer == "sent by hand" and earlier.error == ""


def test_the_latest_status_page_and_the_audiences_sent_to(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident, other = _incident(incidents), _incident(incidents, "Other")
    with workspace.write() as conn:
        assert oq.latest_statuspage_remote_id(conn, incident) is None
        _queue(conn, "s1", incident, T0, channel=Channel.STATUSPAGE, remote_id="sp-old")
        _queue(conn, "s2", incident, T0 + 5, channel=Channel.STATUSPAGE, remote_id="sp-new")
        _queue(conn, "s3", incident, T0 + 9, channel=Channel.STATUSPAGE)  # not opened yet
        _queue(conn, "w", incident, T0 + 10, channel=Channel.WEBHOOK, remote_id="hook")
        _queue(conn, "o", other, T0 + 20, channel=Channel.STATUSPAGE, remote_id="sp-other")
        assert oq.latest_statuspage_remote_id(conn, incident) == "sp-new"
        for item_id in ("s1", "s2", "o"):
            oq.marked_delivered(conn, item_id, "ok", T0 + 30, None)
        oq.marked_delivered(conn, "w", "ok", T0 + 30, None)
        _queue(conn, "e", incident, T0 + 40, audience="executive")  # queued, not sent
        assert sorted(oq.sent_audiences(conn, incident)) == ["internal"] * 3
        assert oq.sent_audiences(conn, "no-such-incident") == []


def test_a_paged_incident_resolved_here_waits_for_its_resolve(
    workspace: Workspace, incidents: IncidentService
) -> None:
    paged, unpaged = _incident(incidents), _incident(incidents, "Not paged")
    open_one = _incident(incidents, "Still open")
    for incident_id in (paged, unpaged):
        incidents.set_field(incident_id, "status", "resolved")
    resolved = ("resolved", "closed")
    trigger = {"event_action": "trigger"}
    with workspace.write() as conn:
        _queue(conn, "p", paged, T0, channel=Channel.PAGERDUTY, payload=trigger)
        _queue(conn, "q", open_one, T0, channel=Channel.PAGERDUTY, payload=trigger)
        _queue(conn, "u", unpaged, T0, channel=Channel.PAGERDUTY, payload=trigger)  # not sent
        oq.marked_delivered(conn, "p", "ok", T0 + 1, None)
        oq.marked_delivered(conn, "q", "ok", T0 + 1, None)
        assert oq.paged_resolved_incident_ids(conn, resolved_statuses=resolved) == [paged]
        _queue(
            conn, "r", paged, T0 + 2, channel=Channel.PAGERDUTY, payload={"event_action": "resolve"}
        )
        assert oq.paged_resolved_incident_ids(conn, resolved_statuses=resolved) == []
