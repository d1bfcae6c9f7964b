"""Open questions and key events: what the briefing, the report and the panels ask of the
timeline besides its order.

A question stays open until an answer entry links to it; the link is part of the answer's
create op, so it syncs with the answer and closes the question on every replica.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from commander.core.clock import iso
from commander.core.entry_kinds import age_text
from commander.core.errors import AmbiguousError, NotFoundError
from commander.core.records import TimelineEntry
from commander.services.workspace import Workspace
from commander.storage import entry_queries, queries

__all__ = ["SHORT_ID", "OpenQuestion", "QuestionService", "age_text", "short_id"]

SHORT_ID = 8  # the end of an entry's id that 'commander show' prints (its random part)
SHORT_ID_MIN = 4
_ID_CHARS = set("0123456789abcdef-")


def short_id(entry_id: str) -> str:
    return entry_id[-SHORT_ID:]


@dataclass(frozen=True)
class OpenQuestion:
    entry: TimelineEntry
    age: timedelta  # since the question was asked (its own time), at the app clock's now

    @property
    def text(self) -> str:
        return self.entry.amended_event or self.entry.event

    # Hand-written: computed from the entry.
    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.entry.id,
            "asked_at": iso(self.entry.occurred_at),
            "age_seconds": int(self.age.total_seconds()),
            "question": self.text,
            "asked_by": self.entry.attributed_to or self.entry.author,
        }


class QuestionService:
    """Reads of questions, answers and key events."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def open_questions(
        self, incident_id: str, *, now: datetime | None = None
    ) -> list[OpenQuestion]:
        """Unanswered questions, oldest first."""
        when = now or self._ws.clock.now()
        with self._ws.read() as conn:
            queries.require_incident(conn, incident_id)
            found = entry_queries.open_questions(conn, incident_id)
        return [OpenQuestion(entry, when - entry.occurred_at) for entry in found]

    def answers_to(self, question_id: str) -> list[TimelineEntry]:
        with self._ws.read() as conn:
            return entry_queries.answers_to(conn, question_id)

    def resolve_entry(self, text: str) -> TimelineEntry:
        """An entry by its id, or by a unique start or end of it (``commander show`` prints
        the last ``SHORT_ID`` characters)."""
        wanted = text.strip().lower()
        if len(wanted) < SHORT_ID_MIN or not set(wanted) <= _ID_CHARS:
            raise NotFoundError(
                f"“{text}” is not an entry id; give the id (or its last {SHORT_ID} characters) "
                "that 'commander show' or 'commander log' printed."
            )
        with self._ws.read() as conn:
            found = queries.entry(conn, wanted)
            ids = [wanted] if found else entry_queries.entry_ids_matching(conn, wanted)
            if len(ids) > 1:
                raise AmbiguousError(f"More than one entry id contains “{text}”; give more of it.")
            entry = queries.entry(conn, ids[0]) if ids else None
        if entry is None:
            raise NotFoundError(f"No timeline entry with id {text}.")
        return entry

    def key_events(self, incident_id: str) -> list[TimelineEntry]:
        """Entries marked key and not struck, in timeline order."""
        with self._ws.read() as conn:
            queries.require_incident(conn, incident_id)
            return [e for e in entry_queries.key_events(conn, incident_id) if not e.struck]
