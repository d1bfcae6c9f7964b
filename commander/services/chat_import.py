"""Chat pasted from Slack or Teams, logged as communication entries with their own times.

Two steps, so a person sees what will be logged before it is: ``read_chat`` parses the text
(``core.chat_paste``) on the workspace's clock and zone; ``log_chat`` writes the messages the
person kept, each a *communication* entry at the message's time, attributed to its sender,
all in one transaction: either every message is logged or none is, and the refusal names
the message that stopped it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from commander.core.chat_paste import ChatMessage, ChatPaste, parse_chat
from commander.core.clock import iso
from commander.core.entry_kinds import Kind
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.limits import (
    CHAT_MESSAGES_MAX,
    CHAT_PASTE_MAX,
    check_backfill,
    size_text,
)
from commander.core.ops import Entity, Field
from commander.core.quick_entry import FUTURE_TOLERANCE
from commander.core.records import ChangeSet, TimelineEntry
from commander.core.text import EVENT_MAX, SHORT_MAX, clean_text
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.oplog import OpDraft

_QUOTE_WORDS = 6


@dataclass(frozen=True)
class Logged:
    entries: list[TimelineEntry]
    changes: ChangeSet


def read_chat(ws: Workspace, text: str, *, first_day: date | None = None) -> ChatPaste:
    """Parse pasted chat on the workspace's clock and zone (nothing is written)."""
    if len(text.encode("utf-8", "surrogatepass")) > CHAT_PASTE_MAX:
        raise ValidationError(
            f"The pasted chat is larger than {size_text(CHAT_PASTE_MAX)}, the limit; "
            "paste a shorter run of messages."
        )
    return parse_chat(text, now=ws.clock.now(), zone=ws.zone, first_day=first_day)


def describe(message: ChatMessage, ws: Workspace) -> str:
    """How a refusal names a message: sender, local time and its first words."""
    local = message.occurred_at.astimezone(ws.zone)
    words = message.text.split()
    quote = " ".join(words[:_QUOTE_WORDS]) + ("…" if len(words) > _QUOTE_WORDS else "")
    return f"{message.author or 'Someone'}’s message at {local:%Y-%m-%d %H:%M} (“{quote}”)"


def log_chat(ws: Workspace, incident_id: str, messages: Sequence[ChatMessage]) -> Logged:
    """Log ``messages`` as communication entries, all or none.

    Raises:
        ValidationError: no message, too many, or one the record refuses (no text, text
            too long, a time in the future or further back than back-fill reaches); the
            sentence names that message and nothing is logged.
        NotFoundError: no such incident.
    """
    if not messages:
        raise ValidationError("No messages to log; keep at least one.")
    if len(messages) > CHAT_MESSAGES_MAX:
        raise ValidationError(
            f"{len(messages):,} messages is more than {CHAT_MESSAGES_MAX:,}, the most one "
            "paste logs; paste a shorter run."
        )
    now = ws.clock.now()
    values = [_value(ws, message, now) for message in messages]
    seqs: list[int] = []
    ids = [new_id() for _ in values]
    with ws.write() as conn:
        incident = queries.get_incident(conn, incident_id)
        if incident is None:
            raise NotFoundError(f"No incident with id {incident_id}.")
        for message in messages:
            check_backfill(message.occurred_at, incident.declared_at, what=describe(message, ws))
        drafts = [
            OpDraft(incident_id, Entity.ENTRY, entry_id, Field.CREATE, value)
            for entry_id, value in zip(ids, values, strict=True)
        ]
        ops = ws.append(conn, drafts, seqs)
        entries = [queries.entry(conn, entry_id) for entry_id in ids]
    return Logged([e for e in entries if e is not None], ChangeSet.of(ops, seqs))


def _value(ws: Workspace, message: ChatMessage, now: datetime) -> dict[str, str]:
    """The create op's value for one message, or the sentence that refuses it."""
    who = describe(message, ws)
    event = clean_text(
        message.text, what=f"The text of {who}", limit=EVENT_MAX, required=True, multiline=True
    )
    sender = clean_text(message.author, what=f"The sender of {who}", limit=SHORT_MAX)
    sender = sender.lstrip("@")
    if not sender:
        raise ValidationError(f"{who} has no sender; name who sent it.")
    when = message.occurred_at
    if when.tzinfo is None:
        raise ValidationError(f"{who} has a time without a zone.")
    if when - now > FUTURE_TOLERANCE:
        local = now.astimezone(ws.zone)
        raise ValidationError(
            f"{who} is in the future (it is {local:%Y-%m-%d %H:%M} now); change its day or "
            "leave it out."
        )
    return {
        "occurred_at": iso(when),
        "event": event,
        "action": "",
        "owner": "",
        "kind": Kind.COMMUNICATION,
        "attributed_to": sender,
    }
