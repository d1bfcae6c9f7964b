"""A message in the local outbox and where its delivery stands.

Plain data: ``storage.outbox_queries`` reads and writes the rows, ``services.outbox`` decides
what happens to them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commander.core.channels import Channel
from commander.core.clock import from_ms, iso
from commander.core.templates import Audience


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

    # Hand-written: next attempt and lease depend on the state.
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


def outbox_item(row: Any) -> OutboxItem:
    """The item of one stored row, columns in ``OUTBOX_COLUMNS`` order (storage's)."""
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
