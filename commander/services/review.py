"""Post-incident review use cases: section text, the record's numbers, the meeting.

Review text is ops (entity ``review``), so it syncs and replays like the rest of the record.
Each review section is its own last-writer-wins register (``value`` via ``register_change``):
an autosave of one section never overwrites another person's edit of a different one. The
numbers (``metrics``) are never typed: they come from the incident's status/phase history and
deadline events, through the pure ``commander.core.review.compute_metrics``. Action items are
their own concept: ``services.action_items``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from commander.core.business_hours import BusinessHours
from commander.core.clock import from_ms, iso
from commander.core.deadlines import Deadline, DeadlineKind
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.limits import PLAN_WINDOW, check_window
from commander.core.ops import Entity, Field, register_change
from commander.core.policy import Phase, Status
from commander.core.records import ChangeSet, TimelineEntry
from commander.core.records_json import JsonRecord, json_computed
from commander.core.review import (
    DEFAULT_REVIEW_MINUTES,
    REVIEW_KEYS,
    REVIEW_SCHEDULE,
    REVIEW_TEXT_MAX,
    require_key,
)
from commander.core.review_metrics import ReviewMetrics, compute_metrics
from commander.core.review_versions import Version, resolution_change
from commander.core.text import clean_text
from commander.services.deadlines import DeadlineService
from commander.services.review_invite import build_invitation
from commander.services.workspace import Workspace
from commander.storage import entry_queries, queries, review_queries
from commander.storage.oplog import OpDraft, register_holder, system_entry
from commander.storage.review_versions import section_heads, version_of


@dataclass(frozen=True)
class ReviewSchedule(JsonRecord):
    """When the review meets, against the procedure's "within 1 week" deadline.

    ``deadline_due`` is None while the incident is not resolved (the week has not started);
    ``within_deadline`` is None then too.
    """

    start: datetime
    minutes: int
    deadline_due: datetime | None

    JSON_COMPUTED = (json_computed("end", before="minutes"), json_computed("within_deadline"))

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    @property
    def within_deadline(self) -> bool | None:
        return None if self.deadline_due is None else self.start <= self.deadline_due


class ReviewService:
    """The post-incident review of incidents in one workspace.

    Args:
        hours: the business calendar, for the deadlines the metrics read.
    """

    def __init__(self, workspace: Workspace, *, hours: BusinessHours | None = None) -> None:
        self._ws = workspace
        self._deadlines = DeadlineService(workspace, hours=hours or BusinessHours())

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- review text -----------------------------------------------------------------------

    def review_fields(self, incident_id: str) -> dict[str, str]:
        """Every section key, in the procedure's order, with its text ("" when unwritten)."""
        with self._ws.read() as conn:
            queries.require_incident(conn, incident_id)
            stored = review_queries.review_texts(conn, incident_id)
        return {key: stored.get(key, "") for key in REVIEW_KEYS}

    def set_field(self, incident_id: str, key: str, text: str) -> ChangeSet:
        """Save one section; the same text again writes nothing (autosave on every focus-out)."""
        key = require_key(key)
        text = clean_text(text, what="Review text", limit=REVIEW_TEXT_MAX, multiline=True)
        with self._ws.write() as conn:
            queries.require_incident(conn, incident_id)
            if review_queries.review_text(conn, incident_id, key) == text:
                return ChangeSet()
            base = register_holder(conn, Entity.REVIEW, incident_id, key)
            change = register_change(text, base)
            ops = self._ws.append(
                conn, [OpDraft(incident_id, Entity.REVIEW, incident_id, key, change)]
            )
        return ChangeSet.of(ops)

    # -- concurrent versions ---------------------------------------------------------------

    def competing_versions(self, incident_id: str) -> dict[str, list[Version]]:
        """Per section written on two laptops without seeing each other: the versions not shown.

        Autosaves never clear this; only ``resolve`` does, so nobody's text disappears silently.
        """
        with self._ws.read() as conn:
            queries.require_incident(conn, incident_id)
            found = section_heads(conn, incident_id)
        return {key: found[key][1] for key in REVIEW_KEYS if key in found}

    def shown_version(self, incident_id: str, key: str) -> Version | None:
        """The version the section shows (the register holder): who wrote it, and when."""
        key = require_key(key)
        with self._ws.read() as conn:
            holder = register_holder(conn, Entity.REVIEW, incident_id, key)
            return None if holder is None else version_of(conn, holder)

    def resolve(self, incident_id: str, key: str, text: str) -> ChangeSet:
        """Settle a section on ``text``: one op replacing the shown and every competing version."""
        key = require_key(key)
        text = clean_text(text, what="Review text", limit=REVIEW_TEXT_MAX, multiline=True)
        with self._ws.write() as conn:
            queries.require_incident(conn, incident_id)
            base = register_holder(conn, Entity.REVIEW, incident_id, key)
            competing = section_heads(conn, incident_id).get(key, (base, []))[1]
            change = resolution_change(text, base, [version.op_id for version in competing])
            ops = self._ws.append(
                conn, [OpDraft(incident_id, Entity.REVIEW, incident_id, key, change)]
            )
        return ChangeSet.of(ops)

    # -- the record's numbers --------------------------------------------------------------

    def timeline(
        self, incident_id: str, *, last: int | None = None
    ) -> tuple[list[TimelineEntry], int]:
        """The incident's timeline (its newest ``last`` entries) and how many there are."""
        with self._ws.read() as conn:
            entries = queries.timeline(conn, incident_id, last=last)
            total = len(entries)
            if last is not None and total >= last:
                total = queries.count_entries(conn, incident_id)
        return entries, total

    def key_events(self, incident_id: str) -> list[TimelineEntry]:
        """The entries marked key and not struck, in timeline order: where the review's walk
        through the timeline starts (all of them, however long the timeline)."""
        with self._ws.read() as conn:
            return [e for e in entry_queries.key_events(conn, incident_id) if not e.struck]

    def metrics(self, incident_id: str, now: datetime | None = None) -> ReviewMetrics:
        with self._ws.read() as conn:
            history = queries.register_history(conn, incident_id)
            missed = review_queries.missed_deadline_hows(conn, incident_id)
            first_ms = review_queries.first_entry_ms(conn, incident_id)
        if history is None:
            raise NotFoundError(f"No incident with id {incident_id}.")
        facts = self._deadlines.facts(incident_id)
        deadlines = self._deadlines.compute(facts, now)
        return compute_metrics(
            declared_at=history.declared_at,
            status_changes=[(at, Status(v)) for at, v in history.changes_of(Field.STATUS)],
            phase_changes=[(at, Phase(v)) for at, v in history.changes_of(Field.PHASE)],
            acknowledged_at=facts.acknowledged_at,
            deadlines=deadlines,
            missed=missed,
            first_entry_at=from_ms(first_ms) if first_ms is not None else None,
        )

    def review_deadline(self, incident_id: str, now: datetime | None = None) -> Deadline:
        """The procedure's "Post-Incident Review (within 1 week)" deadline of the incident."""
        for deadline in self._deadlines.deadlines(incident_id, now):
            if deadline.key is DeadlineKind.POST_INCIDENT_REVIEW:
                return deadline
        raise NotFoundError("The policy has no post-incident review deadline.")  # pragma: no cover

    def mark_review_held(self, incident_id: str, how: str = "") -> ChangeSet:
        """The review took place: meets the deadline (with its timeline entry)."""
        if self.review_deadline(incident_id).due is None:
            raise ValidationError(
                "The incident is not resolved; its post-incident review comes after resolution."
            )
        return self._deadlines.mark_met(
            incident_id, DeadlineKind.POST_INCIDENT_REVIEW, how or "Post-incident review held"
        )

    # -- the meeting -----------------------------------------------------------------------

    def schedule_review(
        self, incident_id: str, when: datetime | None, *, minutes: int = DEFAULT_REVIEW_MINUTES
    ) -> ChangeSet:
        """Set (or with None, cancel) the review meeting; logged on the timeline.

        A time after the one-week deadline is accepted (people's calendars are real) but the
        timeline entry says so, and ``schedule`` reports it, so nobody misses it silently.
        """
        if when is not None and (when.tzinfo is None or when.utcoffset() is None):
            raise ValidationError("A review time must carry a time zone.")
        if not 5 <= minutes <= 8 * 60:
            raise ValidationError("A review lasts between 5 minutes and 8 hours.")
        if when is not None:
            check_window(
                when,
                now=self._ws.clock.now(),
                before=PLAN_WINDOW,
                after=PLAN_WINDOW,
                what="The review time",
            )
        deadline = self.review_deadline(incident_id)
        if when is None:
            event, action = "Post-incident review cancelled", ""
        else:
            local = when.astimezone(self._ws.zone)
            event = f"Post-incident review scheduled for {local:%Y-%m-%d %H:%M} ({minutes} min)"
            action = ""
            if deadline.due is not None and when > deadline.due:
                due = deadline.due.astimezone(self._ws.zone)
                action = f"After the one-week deadline ({due:%Y-%m-%d %H:%M})"
        value = {"start": None if when is None else iso(when), "minutes": minutes}
        with self._ws.write() as conn:
            queries.require_incident(conn, incident_id)
            base = register_holder(conn, Entity.REVIEW, incident_id, REVIEW_SCHEDULE)
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        incident_id,
                        Entity.REVIEW,
                        incident_id,
                        REVIEW_SCHEDULE,
                        register_change(value, base),
                    ),
                    system_entry(
                        incident_id, self._ws.clock.now(), event, action, self._ws.author, new_id()
                    ),
                ],
            )
        return ChangeSet.of(ops)

    def schedule(self, incident_id: str) -> ReviewSchedule | None:
        with self._ws.read() as conn:
            meeting = review_queries.review_meeting(conn, incident_id)
        if meeting is None:
            return None
        start_ms, minutes = meeting
        return ReviewSchedule(from_ms(start_ms), minutes, self.review_deadline(incident_id).due)

    def scheduled_review(self, incident_id: str) -> datetime | None:
        found = self.schedule(incident_id)
        return None if found is None else found.start

    def schedule_revision(self, incident_id: str) -> int:
        """How many times the meeting was changed: the invitation's SEQUENCE."""
        with self._ws.read() as conn:
            writes = review_queries.register_write_count(
                conn, Entity.REVIEW, incident_id, REVIEW_SCHEDULE
            )
        return max(writes - 1, 0)

    def review_ics(self, incident_id: str, *, report_url: str | None = None) -> bytes:
        """The meeting as an iCalendar invitation (see ``services.review_invite``)."""
        schedule = self.schedule(incident_id)
        if schedule is None:
            raise ValidationError("No review is scheduled for this incident; schedule it first.")
        return build_invitation(
            self.workspace,
            incident_id,
            start=schedule.start,
            end=schedule.end,
            sequence=self.schedule_revision(incident_id),
            duration=self.metrics(incident_id).duration,
            report_url=report_url,
        )

    # -- helpers ---------------------------------------------------------------------------


__all__ = ["ReviewSchedule", "ReviewService"]
