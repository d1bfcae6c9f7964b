"""An outbox row read into an item, and its JSON: the next attempt only while queued, the
lease only while sending."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from commander.core.channels import Channel
from commander.core.clock import to_ms
from commander.core.outbox import OutboxState, outbox_item
from commander.core.templates import Audience

CREATED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
NEXT = datetime(2026, 11, 28, 10, 5, tzinfo=UTC)
FINISHED = datetime(2026, 11, 28, 10, 6, tzinfo=UTC)
LEASE = datetime(2026, 11, 28, 10, 7, tzinfo=UTC)


def row(state: str, **changes: object) -> list[object]:
    values: dict[str, object] = {
        "id": "msg-1",
        "incident_id": "inc-1",
        "template": "initial",
        "audience": Audience.INTERNAL.value,
        "channel": Channel.EMAIL.value,
        "subject": "Incident declared",
        "body": "Body",
        "payload": json.dumps({"to": ["ops@example.com"]}),
        "state": state,
        "attempts": 2,
        "created": to_ms(CREATED),
        "next": to_ms(NEXT),
        "finished": None,
        "answer": "",
        "error": "",
        "remote_id": None,
        "lease_owner": None,
        "lease_expires": None,
    }
    values.update(changes)
    return list(values.values())


def test_a_row_reads_into_an_item_with_its_times_and_payload() -> None:
    item = outbox_item(row(OutboxState.QUEUED))
    assert item.id == "msg-1"
    assert item.audience is Audience.INTERNAL
    assert item.channel is Channel.EMAIL
    assert item.payload == {"to": ["ops@example.com"]}
    assert item.created_at == CREATED
    assert item.next_attempt_at == NEXT
    assert item.finished_at is None
    assert item.lease_expires_at is None


def test_a_queued_item_shows_its_next_attempt_and_no_lease() -> None:
    assert outbox_item(row(OutboxState.QUEUED)).to_json() == {
        "id": "msg-1",
        "incident_id": "inc-1",
        "template": "initial",
        "audience": Audience.INTERNAL.value,
        "channel": Channel.EMAIL.value,
        "subject": "Incident declared",
        "state": "queued",
        "attempts": 2,
        "created_at": "2026-11-28T10:00:00.000Z",
        "next_attempt_at": "2026-11-28T10:05:00.000Z",
        "finished_at": None,
        "answer": None,
        "error": None,
        "lease": None,
    }


def test_a_sending_item_shows_its_lease_and_no_next_attempt() -> None:
    item = outbox_item(row(OutboxState.SENDING, lease_owner="node-a", lease_expires=to_ms(LEASE)))
    shown = item.to_json()
    assert shown["next_attempt_at"] is None
    assert shown["lease"] == {"owner": "node-a", "expires_at": "2026-11-28T10:07:00.000Z"}


def test_a_sending_item_without_a_lease_time_shows_no_lease() -> None:
    item = outbox_item(row(OutboxState.SENDING, lease_owner="node-a"))
    assert item.to_json()["lease"] is None


def test_a_finished_item_shows_when_and_the_answer_or_error() -> None:
    sent = outbox_item(
        row(OutboxState.SENT, finished=to_ms(FINISHED), answer="250 OK", remote_id="r-1")
    )
    assert sent.finished_at == FINISHED
    assert sent.remote_id == "r-1"
    assert sent.to_json()["finished_at"] == "2026-11-28T10:06:00.000Z"
    assert sent.to_json()["answer"] == "250 OK"
    assert sent.to_json()["next_attempt_at"] is None
    failed = outbox_item(row(OutboxState.FAILED, error="550 no such user"))
    assert failed.to_json()["error"] == "550 no such user"
    assert failed.to_json()["answer"] is None
