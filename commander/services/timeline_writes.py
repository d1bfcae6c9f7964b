"""Writing the timeline: entries (with their kind), strikes, amendments and key marks.

Kept apart from ``incidents`` (the incident record's own use cases) so each stays readable;
``IncidentService`` inherits these, so callers see one service.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from commander.core.clock import iso
from commander.core.entry_kinds import Kind, check_person_kind
from commander.core.errors import FutureTimeError, NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.limits import check_backfill
from commander.core.ops import Entity, Field, register_change
from commander.core.quick_entry import check_occurred_at, parse_quick_entry
from commander.core.records import ChangeSet, TimelineEntry
from commander.core.text import EVENT_MAX, SHORT_MAX, clean_text
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.oplog import OpDraft, register_holder


def check_answerable(conn: Connection, incident_id: str, question_id: str) -> None:
    """An answer links to a question of the same incident that is not struck."""
    question = queries.entry(conn, question_id)
    if question is None or question.incident_id != incident_id:
        raise NotFoundError(f"No question {question_id} in this incident.")
    if question.kind != Kind.QUESTION:
        raise ValidationError(
            f"Entry {question_id} is a {question.kind}, not a question; only questions are "
            "answered."
        )
    if question.struck:
        raise ValidationError(f"Question {question_id} is struck through; it needs no answer.")


class TimelineWrites:
    """The timeline's write use cases; mixed into ``IncidentService``."""

    _ws: Workspace

    def log(
        self,
        incident_id: str,
        event: str,
        *,
        action: str = "",
        owner: str = "",
        occurred_at: datetime | None = None,
        kind: str = Kind.OBSERVATION,
        attributed_to: str = "",
        answers: str = "",
    ) -> tuple[TimelineEntry, ChangeSet]:
        """Append a timeline entry; ``occurred_at`` defaults to now and may not be future.

        ``kind`` is one of ``core.entry_kinds.PERSON_KINDS``; ``attributed_to`` names who the
        entry is from when that is not the author (a decision's decider, a chat message's
        sender); ``answers`` is the question entry an answer answers.
        """
        event = clean_text(event, what="Event", limit=EVENT_MAX, required=True, multiline=True)
        action = clean_text(action, what="Action taken", limit=EVENT_MAX, multiline=True)
        owner = clean_text(owner, what="Owner", limit=SHORT_MAX).lstrip("@")
        attributed_to = clean_text(attributed_to, what="Decider", limit=SHORT_MAX).lstrip("@")
        kind = check_person_kind(kind)
        now = self._ws.clock.now()
        entry_id = new_id()
        with self._ws.write() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            if answers:
                kind = Kind.ANSWER
                check_answerable(conn, incident_id, answers)
            elif kind == Kind.ANSWER:
                raise ValidationError("An answer must name the question it answers.")
            if kind == Kind.DECISION and not attributed_to:
                attributed_to = self._ws.author
            when = now
            if occurred_at:
                when = check_occurred_at(occurred_at, now)
                check_backfill(when, incident.declared_at, what="That event")
            value: dict[str, str] = {
                "occurred_at": iso(when),
                "event": event,
                "action": action,
                "owner": owner,
                "kind": kind,
            }
            if attributed_to:
                value["attributed_to"] = attributed_to
            if answers:
                value["answers"] = answers
            seqs: list[int] = []
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        incident_id,
                        Entity.ENTRY,
                        entry_id,
                        Field.CREATE,
                        value,
                    ),
                ],
                seqs,
            )
            entry = queries.entry(conn, entry_id)
        assert entry is not None
        return entry, ChangeSet.of(ops, seqs)

    def log_quick(
        self,
        incident_id: str,
        line: str,
        *,
        action: str = "",
        owner: str = "",
        kind: str = "",
        answers: str = "",
    ) -> tuple[TimelineEntry, ChangeSet]:
        """The quick-entry line: ``[HH:MM] [d:|?|a:|o:|c:] text [@owner]``; an explicit owner
        field wins, and so does an explicit ``kind`` (the picker) over the prefix.

        Raises:
            FutureTimeError: a time later today; the message also says when yesterday's
                reading falls before the incident was declared (it would sort first).
        """
        now = self._ws.clock.now()
        try:
            parsed = parse_quick_entry(line, now=now, zone=self._ws.zone)
        except FutureTimeError as err:
            raise self._before_declaration(incident_id, err, now) from None
        return self.log(
            incident_id,
            parsed.event,
            action=action,
            owner=owner.strip() or parsed.owner or "",
            occurred_at=parsed.occurred_at,
            kind=kind or parsed.kind,
            attributed_to=parsed.decider,
            answers=answers,
        )

    def _before_declaration(
        self, incident_id: str, err: FutureTimeError, now: datetime
    ) -> FutureTimeError:
        yesterday = parse_quick_entry(err.yesterday_line, now=now, zone=self._ws.zone)
        with self._ws.read() as conn:
            incident = queries.get_incident(conn, incident_id)
        if incident is None:
            raise NotFoundError(f"No incident with id {incident_id}.")
        declared = incident.declared_at
        if yesterday.occurred_at is None or yesterday.occurred_at >= declared:
            return err
        local = declared.astimezone(self._ws.zone)
        return FutureTimeError(
            f"{err} Yesterday's reading is before this incident was declared "
            f"({local:%Y-%m-%d %H:%M}).",
            yesterday_line=err.yesterday_line,
        )

    def strike(self, entry_id: str, reason: str) -> ChangeSet:
        """Strike an entry through, with a reason; the entry itself stays in the record."""
        reason = clean_text(reason, what="Reason", limit=SHORT_MAX, required=True)
        seqs: list[int] = []
        with self._ws.write() as conn:
            entry = self._entry(conn, entry_id)
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        entry.incident_id, Entity.ENTRY, entry_id, Field.STRIKE, {"reason": reason}
                    ),
                ],
                seqs,
            )
        return ChangeSet.of(ops, seqs)

    def amend(self, entry_id: str, *, event: str, action: str | None = None) -> ChangeSet:
        """Record a corrected text beside the original, which stays visible."""
        event = clean_text(
            event, what="Amended event", limit=EVENT_MAX, required=True, multiline=True
        )
        with self._ws.write() as conn:
            entry = self._entry(conn, entry_id)
            if action is None:
                action = entry.amended_action if entry.amended_action is not None else entry.action
            action = clean_text(action, what="Amended action", limit=EVENT_MAX, multiline=True)
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        entry.incident_id,
                        Entity.ENTRY,
                        entry_id,
                        Field.AMEND,
                        {"event": event, "action": action},
                    ),
                ],
            )
        return ChangeSet.of(ops)

    def mark_key(self, entry_id: str, marked: bool = True) -> ChangeSet:
        """Mark an entry as a key event (or unmark it): a register, so the last word wins
        and both words stay in the history."""
        with self._ws.write() as conn:
            entry = self._entry(conn, entry_id)
            if bool(entry.key_event) == marked:
                return ChangeSet()
            base = register_holder(conn, Entity.ENTRY, entry_id, Field.KEY_EVENT)
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        entry.incident_id,
                        Entity.ENTRY,
                        entry_id,
                        Field.KEY_EVENT,
                        register_change(marked, base),
                    )
                ],
            )
        return ChangeSet.of(ops)

    def toggle_key(self, entry_id: str) -> ChangeSet:
        """One key press: mark an unmarked entry key, unmark a marked one."""
        with self._ws.read() as conn:
            entry = self._entry(conn, entry_id)
        return self.mark_key(entry_id, not entry.key_event)

    def _entry(self, conn: Connection, entry_id: str) -> TimelineEntry:
        entry = queries.entry(conn, entry_id)
        if entry is None:
            raise NotFoundError(f"No timeline entry with id {entry_id}.")
        return entry
