"""The practice outbox: where an exercise's messages go instead of a real channel.

The delivery engine of an exercise workspace never opens a connection; each message it would
have sent is appended here (a JSON line in ``practice-outbox.jsonl`` beside the workspace)
and recorded as delivered, so the exercise's deadlines and debrief behave as in a real
incident while nobody outside hears of it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commander.core.clock import iso
from commander.core.records import ChangeSet
from commander.core.records_json import JsonRecord, json_field
from commander.services.outbox import OutboxItem, OutboxService
from commander.storage.exercise_mark import PRACTICE_ANSWER

PRACTICE_FILE = "practice-outbox.jsonl"


@dataclass(frozen=True)
class PracticeMessage(JsonRecord):
    """What would have been sent, and when (on the exercise's clock)."""

    at: str
    incident_id: str
    channel: str
    audience: str
    subject: str
    body: str
    payload: Any = field(metadata=json_field(as_is=True))


def record(outbox: OutboxService, item: OutboxItem) -> ChangeSet:
    """Write ``item`` to the practice outbox and mark it delivered there (never sent)."""
    ws = outbox.workspace
    message = PracticeMessage(
        iso(ws.clock.now()),
        item.incident_id,
        item.channel.value,
        item.audience.value,
        item.subject,
        item.body,
        item.payload,
    )
    path = Path(ws.data_dir) / PRACTICE_FILE
    line = json.dumps(message.to_json(), ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return outbox.record_delivery(
        item.id, answer=PRACTICE_ANSWER, accepted_only=False, remote_id=None
    )


def practice_messages(data_dir: Path) -> list[PracticeMessage]:
    """Everything the exercise would have sent, oldest first."""
    path = Path(data_dir) / PRACTICE_FILE
    if not path.exists():
        return []
    found = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            found.append(PracticeMessage(**json.loads(line)))
    return found
