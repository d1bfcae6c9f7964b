"""The procedure's deadlines for one incident: facts from the op log, events logged with who.

Facts are gathered from what is stored (the create op and register changes give the severity,
status and partner history; deadline events give what was met, sent or snoozed), then the pure
engine in ``commander.core.deadlines`` computes every deadline as of ``now``. Meeting,
snoozing and an overdue notice are ops, each with a timeline entry, so they sync and read like
the rest of the record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from commander.config import DeadlineSettings, load_deadline_settings
from commander.core.business_hours import BusinessHours
from commander.core.clock import from_ms, iso
from commander.core.deadline_facts import IncidentFacts, Met, SendFailure, Snooze
from commander.core.deadlines import (
    Deadline,
    DeadlineKey,
    DeadlineKind,
    DeadlineState,
    compute_deadlines,
    format_countdown,
    next_internal_update,
)
from commander.core.errors import CommanderError, ValidationError
from commander.core.ids import new_id
from commander.core.ops import Entity, Field
from commander.core.policy import Severity, Status
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import Procedure
from commander.core.records import ChangeSet
from commander.core.text import SHORT_MAX, clean_text
from commander.services.procedures import current_procedure
from commander.services.workspace import Workspace
from commander.storage import deadline_queries, queries
from commander.storage.incident_fields import incident_fields
from commander.storage.oplog import OpDraft

# What "met" means for each deadline, as the panel offers it.
DEFAULT_HOW: dict[DeadlineKind, str] = {
    DeadlineKind.RESPONSE: "Acknowledged",
    DeadlineKind.ESCALATION: "Notified",
    DeadlineKind.INTERNAL_UPDATE: "Internal update sent",
    DeadlineKind.CUSTOMER_COMMS: "Customer notice sent",
    DeadlineKind.PARTNER_COMMS: "Partner notice sent",
    DeadlineKind.ENHANCED_MONITORING: "Enhanced monitoring completed",
    DeadlineKind.TIMELINE_IMPACT: "Timeline and impact assessment documented",
    DeadlineKind.POST_INCIDENT_REVIEW: "Post-incident review held",
}

OVERDUE_LOG_GRACE = timedelta(minutes=1)


def how_met(key: DeadlineKey) -> str:
    """What "met" means for ``key``, as the panel offers it; "Done" for a procedure's own."""
    return DEFAULT_HOW.get(key, "Done") if isinstance(key, DeadlineKind) else "Done"


def parse_kind(text: str, procedure: Procedure | None = None) -> DeadlineKey:
    """A deadline key the procedure names (the seed's when None): ``response``, ``gdpr_art33``."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    keys = (procedure or seed_procedure()).deadline_keys()
    if key in keys:
        return DeadlineKind(key) if key in DeadlineKind._value2member_map_ else key
    raise ValidationError(f"Unknown deadline {text!r}: use one of {', '.join(keys)}.")


class DeadlineService:
    """Deadlines of incidents in one workspace.

    Args:
        hours: the business calendar for "next business day".
        due_soon: how long before ``due`` a deadline turns amber.
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        hours: BusinessHours,
        due_soon: timedelta = timedelta(minutes=5),
    ) -> None:
        self._ws = workspace
        self.hours = hours
        self.due_soon = due_soon
        self.procedure = seed_procedure()  # the workspace's, as of the last facts read

    # -- reading -------------------------------------------------------------------------

    def facts(self, incident_id: str) -> IncidentFacts:
        """Everything the deadlines depend on, read from the op log and deadline events."""
        with self._ws.read() as conn:
            self.procedure = current_procedure(conn).procedure
            history = queries.register_history(conn, incident_id)
            fields = incident_fields(conn, incident_id)
            events = deadline_queries.deadline_events(conn, incident_id)
        if history is None:
            raise ValidationError(f"No incident with id {incident_id}.")
        severities = [(at, Severity(v)) for at, v in history.of(Field.SEVERITY)]
        statuses = [(at, Status(v)) for at, v in history.changes_of(Field.STATUS)]
        partners = [(at, bool(v)) for at, v in history.changes_of(Field.PARTNERS_AFFECTED)]
        declared_at = history.declared_at
        create = history.initial
        met: dict[str, Met] = {}
        snoozed: dict[str, Snooze] = {}
        updates: list[datetime] = []
        failures: dict[str, SendFailure] = {}
        for key, kind, at_ms, author, how, until_ms in events:
            at = from_ms(at_ms)
            if kind == Field.SEND_FAILED:
                failures[key] = SendFailure(at=at, reason=how)  # the latest one counts
            elif kind == Field.MET and key not in met:
                met[key] = Met(at=at, by=author, how=how)
            elif kind == Field.UPDATE_SENT:
                updates.append(at)
            elif kind == Field.SNOOZE and until_ms is not None:
                snoozed[key] = Snooze(until=from_ms(until_ms), reason=how, by=author)
        response = met.get(DeadlineKind.RESPONSE)
        return IncidentFacts(
            declared_at=declared_at,
            severity_changes=severities,
            status_changes=statuses,
            partners_affected=bool(create.get("partners_affected", False)),
            partner_changes=partners,
            met=met,
            internal_updates=updates,
            acknowledged_at=response.at if response else None,
            snoozed=snoozed,
            send_failures=failures,
            field_changes=fields,
        )

    def deadlines(self, incident_id: str, now: datetime | None = None) -> list[Deadline]:
        facts = self.facts(incident_id)
        return self.compute(facts, now)

    def compute(self, facts: IncidentFacts, now: datetime | None = None) -> list[Deadline]:
        """The engine over already-gathered facts: what a ticking view calls every second."""
        return compute_deadlines(
            facts,
            now or self._ws.clock.now(),
            hours=self.hours,
            due_soon=self.due_soon,
            procedure=self.procedure,
        )

    def next_update(self, incident_id: str, now: datetime | None = None) -> datetime | None:
        """When the next internal update is due: the templates' "Next Update"."""
        facts = self.facts(incident_id)
        now = now or self._ws.clock.now()
        return next_internal_update(facts, now, hours=self.hours, procedure=self.procedure)

    def overdue_logged(self, incident_id: str) -> set[tuple[str, int]]:
        """(key, due in ms) of every overdue notice already on the timeline."""
        with self._ws.read() as conn:
            return deadline_queries.overdue_notices(conn, incident_id)

    # -- events --------------------------------------------------------------------------

    def mark_met(
        self, incident_id: str, key: DeadlineKey, how: str = "", at: datetime | None = None
    ) -> ChangeSet:
        """Record a deadline as met ("Executive notified"), with a timeline entry."""
        kind = self.key_of(key)
        if kind == DeadlineKind.INTERNAL_UPDATE:
            return self.update_sent(incident_id, how=how, at=at)
        how = clean_text(how, what="How it was met", limit=SHORT_MAX) or how_met(kind)
        at = self._when(at)
        name = self._name(incident_id, kind)
        return self._write(
            incident_id,
            kind,
            Field.MET,
            {"at": iso(at), "how": how},
            at,
            f"Deadline met: {name}",
            how,
        )

    def update_sent(
        self, incident_id: str, *, how: str = "", at: datetime | None = None
    ) -> ChangeSet:
        """An internal update went out: restarts the 30-minute clock."""
        how = clean_text(how, what="How it was sent", limit=SHORT_MAX) or "Internal update sent"
        at = self._when(at)
        return self._write(
            incident_id,
            DeadlineKind.INTERNAL_UPDATE,
            Field.UPDATE_SENT,
            {"at": iso(at), "how": how},
            at,
            "Internal update sent",
            "Next update due in 30 minutes",
        )

    def snooze(
        self, incident_id: str, key: DeadlineKey, *, until: datetime, reason: str
    ) -> ChangeSet:
        """Silence a deadline's alerts until ``until``; the deadline itself does not move."""
        kind = self.key_of(key)
        reason = clean_text(reason, what="Reason", limit=SHORT_MAX, required=True)
        now = self._ws.clock.now()
        if until <= now:
            raise ValidationError("Snooze until a time in the future.")
        local = until.astimezone(self._ws.zone)
        return self._write(
            incident_id,
            kind,
            Field.SNOOZE,
            {"at": iso(now), "until": iso(until), "reason": reason},
            now,
            f"Deadline acknowledged: {self._name(incident_id, kind)}, alerts snoozed until "
            f"{local:%H:%M}",
            reason,
        )

    def log_overdue(self, incident_id: str, deadline: Deadline) -> ChangeSet:
        """Put an overdue deadline on the timeline once (per deadline and due time).

        Only once the rule's grace has passed (``missed_at``: an immediate deadline is "due now"
        first), and a minute later still, so a deadline met in that minute is not logged missed.
        The entry is dated when it was missed, so the review shows what really happened.
        """
        if deadline.state is not DeadlineState.OVERDUE or deadline.due is None:
            return ChangeSet()
        missed_at = deadline.missed_at or deadline.due
        if self._ws.clock.now() - missed_at < OVERDUE_LOG_GRACE:
            return ChangeSet()
        due_ms = int(deadline.due.timestamp() * 1000)
        if (str(deadline.key), due_ms) in self.overdue_logged(incident_id):
            return ChangeSet()
        local = deadline.due.astimezone(self._ws.zone)
        grace = ""
        if missed_at > deadline.due:
            grace = f", missed at {missed_at.astimezone(self._ws.zone):%H:%M}"
        return self._write(
            incident_id,
            deadline.key,
            Field.OVERDUE,
            {"at": iso(missed_at), "until": iso(deadline.due), "how": deadline.name},
            missed_at,
            f"Deadline missed: {deadline.name} was due {local:%H:%M}{grace}",
            "",
        )

    def log_send_failure(
        self, incident_id: str, *, event: str, reason: str, kind: DeadlineKind | None
    ) -> ChangeSet:
        """A message could not be delivered: a timeline entry with the reason, and a mark on
        the deadline it was meant to meet (``kind``), which stays open: a failed send meets
        nothing. Both are ops, so every laptop and the war-room screen see it."""
        now = self._ws.clock.now()
        reason = clean_text(" ".join(reason.split()), what="Reason", limit=1000)
        drafts = []
        if kind is not None:
            value = {"at": iso(now), "how": reason[:SHORT_MAX]}
            drafts.append(
                OpDraft(incident_id, Entity.DEADLINE, kind.value, Field.SEND_FAILED, value)
            )
        entry = {
            "occurred_at": iso(now),
            "event": clean_text(event, what="Event", limit=1000),
            "action": reason,
            "owner": self._ws.author,
            "kind": "system",
        }
        drafts.append(OpDraft(incident_id, Entity.ENTRY, new_id(), Field.CREATE, entry))
        with self._ws.write() as conn:
            ops = self._ws.append(conn, drafts)
        return ChangeSet.of(ops)

    # -- helpers -------------------------------------------------------------------------

    def _when(self, at: datetime | None) -> datetime:
        now = self._ws.clock.now()
        if at is None:
            return now
        if at.tzinfo is None:
            raise ValidationError("A time must carry a time zone.")
        if at - now > timedelta(minutes=5):
            raise ValidationError("A deadline cannot be met in the future.")
        return at

    def key_of(self, key: DeadlineKey) -> DeadlineKey:
        """``key`` checked against the workspace's procedure (a kind of the engine passes)."""
        if isinstance(key, DeadlineKind):
            return key
        with self._ws.read() as conn:
            self.procedure = current_procedure(conn).procedure
        return parse_kind(key, self.procedure)

    def _name(self, incident_id: str, kind: DeadlineKey) -> str:
        for deadline in self.deadlines(incident_id):
            if deadline.key == kind:
                return deadline.name
        return str(kind).replace("_", " ")

    def _write(
        self,
        incident_id: str,
        kind: DeadlineKey,
        field: str,
        value: dict[str, str],
        at: datetime,
        event: str,
        action: str,
    ) -> ChangeSet:
        with self._ws.write() as conn:
            if not queries.incident_exists(conn, incident_id):
                raise ValidationError(f"No incident with id {incident_id}.")
            ops = self._ws.append(
                conn,
                [
                    OpDraft(incident_id, Entity.DEADLINE, str(kind), field, value),
                    OpDraft(
                        incident_id,
                        Entity.ENTRY,
                        new_id(),
                        Field.CREATE,
                        {
                            "occurred_at": iso(min(at, self._ws.clock.now())),
                            "event": event,
                            "action": action,
                            "owner": self._ws.author,
                            "kind": "system",
                        },
                    ),
                ],
            )
        changes = ChangeSet()
        for op in ops:
            changes.add(op.incident_id, op.entity, op.entity_id)
        return changes


__all__ = ["DEFAULT_HOW", "DeadlineService", "format_countdown", "how_met", "parse_kind"]


def deadline_service_for(workspace: Workspace) -> DeadlineService:
    """Deadlines with the workspace's business hours; defaults if its settings are bad (the
    window and the display must open whatever the settings file holds)."""
    try:
        settings = load_deadline_settings(workspace.data_dir)
        hours = settings.business_hours()
    except CommanderError:
        settings = DeadlineSettings()
        hours = settings.business_hours()
    return DeadlineService(
        workspace, hours=hours, due_soon=timedelta(minutes=settings.due_soon_minutes)
    )
