"""Gathering the handoff briefing for an incoming IC, and logging that it was generated."""

from __future__ import annotations

from datetime import datetime

from commander.core.briefing import SENT_MARK, BriefingFacts, SentMessage
from commander.core.clock import iso
from commander.core.ids import new_id
from commander.core.ops import Entity, Field
from commander.core.records import ChangeSet, TimelineEntry
from commander.core.roles import INCIDENT_COMMANDER
from commander.services.action_items import ActionItemService
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.questions import QuestionService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.oplog import OpDraft

BRIEFING_EVENT = "Handoff briefing generated"


class BriefingService:
    """The ICS 201-style briefing: situation, actions so far, roles, deadlines, updates."""

    def __init__(
        self, workspace: Workspace, roster: RosterService, deadlines: DeadlineService
    ) -> None:
        self._ws = workspace
        self._roster = roster
        self._deadlines = deadlines

    def facts(self, incident_id: str, now: datetime | None = None) -> BriefingFacts:
        now = now or self._ws.clock.now()
        roster = self._roster.roster(incident_id)
        incident = roster.incident
        ic_history = [
            a for a in roster.history if a.role == INCIDENT_COMMANDER and not a.superseded
        ]
        incoming = ic_history[-1] if ic_history and not ic_history[-1].is_release else None
        outgoing = None
        if incoming is not None and len(ic_history) >= 2 and not ic_history[-2].is_release:
            outgoing = ic_history[-2]
        # "Done so far": since the outgoing IC took over from someone, else since declaration.
        if outgoing is not None and outgoing.previous is not None:
            since, since_label = outgoing.at, f"the last IC handoff, to {outgoing.holder_text()}"
        else:
            since, since_label = incident.declared_at, "declaration"
        timeline = [
            e
            for e in self._roster_timeline(incident_id)
            if e.occurred_at >= since and not e.event.startswith(BRIEFING_EVENT)
        ]
        deadline_facts = self._deadlines.facts(incident_id)
        deadlines = self._deadlines.compute(deadline_facts, now)
        next_update = self._deadlines.next_update(incident_id, now)
        updates = [at for at in deadline_facts.internal_updates if at <= now]
        messages = [
            _sent(e)
            for e in self._roster_timeline(incident_id)
            if e.kind == "system" and e.action.startswith(SENT_MARK) and e.occurred_at <= now
        ]
        items = ActionItemService(self._ws).action_items(incident_id)
        questions = QuestionService(self._ws)
        return BriefingFacts(
            incident=incident,
            generated_at=now,
            zone=self._ws.zone,
            incoming=incoming,
            outgoing=outgoing,
            since=since,
            since_label=since_label,
            entries=timeline,
            roles=roster.lines,
            conflicts=roster.conflicts,
            deadlines=deadlines,
            updates_sent=updates,
            next_update=next_update if incident.status.is_active else None,
            messages=messages,
            action_items=items,
            open_questions=[q.entry for q in questions.open_questions(incident_id, now=now)],
            key_events=questions.key_events(incident_id),
            severity_names=IncidentService(self._ws).severity_names(),
        )

    def render(self, incident_id: str, now: datetime | None = None) -> str:
        from commander.reports.briefing import render_briefing  # jinja2: only when briefing

        return render_briefing(self.facts(incident_id, now))

    def generate(self, incident_id: str, *, log: bool = True) -> tuple[str, ChangeSet]:
        """The briefing as Markdown; with ``log`` its generation goes on the timeline."""
        from commander.reports.briefing import render_briefing  # jinja2: only when briefing

        facts = self.facts(incident_id)
        text = render_briefing(facts)
        changes = ChangeSet()
        if log:
            who = facts.incoming.holder_text() if facts.incoming else "no IC assigned"
            with self._ws.write() as conn:
                ops = self._ws.append(
                    conn,
                    [
                        OpDraft(
                            incident_id,
                            Entity.ENTRY,
                            new_id(),
                            Field.CREATE,
                            {
                                "occurred_at": iso(self._ws.clock.now()),
                                "event": f"{BRIEFING_EVENT} for the incoming IC ({who})",
                                "action": "",
                                "owner": self._ws.author,
                                "kind": "system",
                            },
                        )
                    ],
                )
            for op in ops:
                changes.add(op.incident_id, op.entity, op.entity_id)
        return text, changes

    def _roster_timeline(self, incident_id: str) -> list[TimelineEntry]:
        with self._ws.read() as conn:
            return queries.timeline(conn, incident_id)


def _sent(entry: TimelineEntry) -> SentMessage:
    """Audience and channel from a delivery entry ("Audience: customer; channel: slack; …")."""
    parts = dict(part.strip().split(": ", 1) for part in entry.action.split(";") if ": " in part)
    subject = entry.event.split(": ", 1)[-1]
    return SentMessage(
        entry.occurred_at, parts.get("Audience", "?"), parts.get("channel", "?"), subject
    )
