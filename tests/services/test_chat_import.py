"""Pasted chat logged through the service: communication entries at the messages' own times,
attributed to their senders, all in one transaction or not at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.chat_paste import ChatMessage
from commander.core.clock import FakeClock
from commander.core.entry_kinds import Kind
from commander.core.errors import NotFoundError, ValidationError
from commander.core.limits import CHAT_MESSAGES_MAX, CHAT_PASTE_MAX
from commander.services.chat_import import log_chat, read_chat
from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat"
SLACK = (FIXTURES / "slack_desktop.txt").read_text(encoding="utf-8")


@pytest.fixture
def incident_id(incidents: IncidentService, clock: FakeClock) -> str:
    # Declared at 08:30 on the fixed clock's day; the chat is pasted at 16:00.
    clock.set(datetime(2026, 11, 28, 8, 30, tzinfo=UTC))
    found = incidents.declare(title="API down", severity="P1").incident.id
    clock.set(datetime(2026, 11, 28, 16, 0, tzinfo=UTC))
    return found


def _count(incidents: IncidentService, incident_id: str) -> int:
    return sum(1 for e in incidents.timeline(incident_id) if e.kind == Kind.COMMUNICATION)


def test_messages_become_communication_entries_at_their_own_times(
    workspace: Workspace, incidents: IncidentService, incident_id: str
) -> None:
    paste = read_chat(workspace, SLACK)
    assert paste.first_day == date(2026, 11, 28)
    logged = log_chat(workspace, incident_id, paste.messages)
    assert len(logged.entries) == 5
    assert logged.changes  # the window refreshes from these ops
    entries = [e for e in incidents.timeline(incident_id) if e.kind == Kind.COMMUNICATION]
    assert [(e.occurred_at, e.attributed_to, e.event) for e in entries] == [
        (
            datetime(2026, 11, 28, 9, 1, tzinfo=UTC),
            "Priya Raman",
            "api-gw p99 is at 4 s since the 8:55 deploy",
        ),
        (datetime(2026, 11, 28, 9, 3, tzinfo=UTC), "Tom Okafor", "looking"),
        (datetime(2026, 11, 28, 9, 4, tzinfo=UTC), "Tom Okafor", "rolling back api-gw to 1.42 now"),
        (datetime(2026, 11, 28, 9, 4, tzinfo=UTC), "Tom Okafor", "will post when it is done"),
        (
            datetime(2026, 11, 28, 9, 12, tzinfo=UTC),
            "Priya Raman",
            "error rate is back under 0.1%\nkeeping the incident open for an hour",
        ),
    ]
    assert all(e.author == "alice" for e in entries)  # who pasted it; the sender is attributed
    assert verify_workspace(workspace).ok


def test_trimmed_and_edited_messages_are_logged_as_kept(
    workspace: Workspace, incidents: IncidentService, incident_id: str
) -> None:
    messages = list(read_chat(workspace, SLACK).messages)
    kept = [replace(messages[2], text="rolled back api-gw to 1.42"), messages[4]]
    log_chat(workspace, incident_id, kept)
    events = [e.event for e in incidents.timeline(incident_id) if e.kind == Kind.COMMUNICATION]
    assert events == [
        "rolled back api-gw to 1.42",
        "error rate is back under 0.1%\nkeeping the incident open for an hour",
    ]


def test_one_future_message_logs_none_and_is_named(
    workspace: Workspace, incidents: IncidentService, incident_id: str
) -> None:
    messages = list(read_chat(workspace, SLACK).messages)
    late = replace(messages[3], occurred_at=datetime(2026, 11, 28, 18, 0, tzinfo=UTC))
    with pytest.raises(ValidationError) as err:
        log_chat(workspace, incident_id, [*messages[:3], late, messages[4]])
    assert str(err.value) == (
        "Tom Okafor’s message at 2026-11-28 18:00 (“will post when it is done”) is in the "
        "future (it is 2026-11-28 16:00 now); change its day or leave it out."
    )
    assert _count(incidents, incident_id) == 0


def test_a_message_before_backfill_reaches_logs_none_and_is_named(
    workspace: Workspace, incidents: IncidentService, incident_id: str
) -> None:
    messages = list(read_chat(workspace, SLACK, first_day=date(2026, 11, 10)).messages)
    with pytest.raises(ValidationError) as err:
        log_chat(workspace, incident_id, messages)
    assert str(err.value).startswith("Priya Raman’s message at 2026-11-10 09:01 (“api-gw p99")
    assert "more than 7 days before the incident was declared" in str(err.value)
    assert _count(incidents, incident_id) == 0


def test_an_emptied_message_logs_none(
    workspace: Workspace, incidents: IncidentService, incident_id: str
) -> None:
    messages = list(read_chat(workspace, SLACK).messages)
    with pytest.raises(ValidationError, match="must not be empty"):
        log_chat(workspace, incident_id, [messages[0], replace(messages[1], text="  ")])
    assert _count(incidents, incident_id) == 0


def test_refusals_without_a_message(workspace: Workspace, incident_id: str) -> None:
    with pytest.raises(ValidationError, match="No messages to log"):
        log_chat(workspace, incident_id, [])
    with pytest.raises(NotFoundError):
        log_chat(workspace, "no-such-incident", read_chat(workspace, SLACK).messages)
    one = ChatMessage(1, "Tom", datetime(2026, 11, 28, 9, 0, tzinfo=UTC), "x", "9:00")
    with pytest.raises(ValidationError, match="the most one paste logs"):
        log_chat(workspace, incident_id, [one] * (CHAT_MESSAGES_MAX + 1))
    with pytest.raises(ValidationError, match="larger than 1 MiB"):
        read_chat(workspace, "x" * (CHAT_PASTE_MAX + 1))


def test_a_refusal_inside_the_write_appends_no_op(
    workspace: Workspace, incidents: IncidentService, incident_id: str
) -> None:
    """Back-fill is checked against the incident inside the one write transaction: the
    last message failing leaves the op log exactly as it was."""
    messages = list(read_chat(workspace, SLACK).messages)
    old = replace(
        messages[0], occurred_at=datetime(2026, 11, 28, 8, 30, tzinfo=UTC) - timedelta(days=8)
    )
    before = incidents.last_seq()
    with pytest.raises(ValidationError):
        log_chat(workspace, incident_id, [*messages[1:], old])
    assert incidents.last_seq() == before
    assert _count(incidents, incident_id) == 0
