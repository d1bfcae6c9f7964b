"""What the display shows, read from the workspace: Qt-free and cheap enough to poll.

``poll()`` asks the op log what changed since the last sequence number seen (one indexed
query); only when an incident changed does the window read that incident again, and then
only its last ``RECENT_MAX`` timeline entries, never the whole timeline. The newest
``KEY_MAX`` key events come first, so what the team marked stays on the wall while the
minute-by-minute lines scroll past below them.
"""

from __future__ import annotations

from dataclasses import dataclass

from commander.core.deadline_facts import IncidentFacts
from commander.core.errors import CommanderError
from commander.core.records import ChangeSet, Incident, TimelineEntry
from commander.core.roles import RoleKind, RosterLine
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.questions import QuestionService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.ui.common.severity_badge import use_severity_names

RECENT_MAX = 15
KEY_MAX = 5  # key events kept at the top of the feed; the rest of the rows are the newest


@dataclass(frozen=True)
class IncidentView:
    """One incident as the wall shows it."""

    incident: Incident
    facts: IncidentFacts
    roster: list[RosterLine]
    recent: list[TimelineEntry]  # key events then the others, each newest first; RECENT_MAX


def severity_order(incident: Incident) -> tuple[str, float]:
    """Highest severity first (P0 < P1 ...), then the most recently declared."""
    return (incident.severity.value, -incident.declared_at.timestamp())


class DisplayFeed:
    """Reads for the display; holds only the last sequence number it saw.

    Args:
        workspace: the local workspace, or the replica the display pulls into.
        deadlines: the deadline service (business hours, due-soon threshold).
        pinned: an incident id, reference or prefix to show alone (``--incident``).
    """

    def __init__(
        self, workspace: Workspace, deadlines: DeadlineService, pinned: str | None = None
    ) -> None:
        self.workspace = workspace
        self.incidents = IncidentService(workspace)
        self.roster = RosterService(workspace)
        self.questions = QuestionService(workspace)
        self.deadlines = deadlines
        self.pinned = pinned
        self.last_seq = -1

    def poll(self) -> ChangeSet | None:
        """What changed since the last poll; everything (an empty set) on the first call."""
        if self.last_seq < 0:
            self.last_seq = self.incidents.last_seq()
            return ChangeSet(last_seq=self.last_seq)
        changes = self.incidents.changes_since(self.last_seq)
        if not changes:
            return None
        self.last_seq = changes.last_seq
        return changes

    def shown_incidents(self) -> list[Incident]:
        """The pinned incident, else every active one, highest severity first.

        With nothing active, the most recent incident (so the wall shows how it ended).
        """
        use_severity_names(self.incidents.severity_names())  # the tiles say SEV2 under a file
        if self.pinned:
            try:
                return [self.incidents.resolve(self.pinned)]
            except CommanderError:  # not pulled yet (a fresh replica): wait for it
                return []
        every = self.incidents.list()
        active = sorted((i for i in every if i.status.is_active), key=severity_order)
        if active:
            return active
        latest = max(every, key=lambda i: i.declared_at, default=None)
        return [latest] if latest is not None else []

    def view(self, incident_id: str) -> IncidentView:
        incident = self.incidents.get(incident_id)
        lines = [
            line
            for line in self.roster.roster(incident_id).lines
            if line.role.kind is RoleKind.CORE or line.assigned or line.required
        ]
        recent = self.incidents.timeline(incident_id, last=RECENT_MAX)
        recent.reverse()
        key = self.questions.key_events(incident_id)[-KEY_MAX:]
        key.reverse()
        shown = {entry.id for entry in key}
        recent = key + [e for e in recent if e.id not in shown][: RECENT_MAX - len(key)]
        return IncidentView(incident, self.deadlines.facts(incident_id), lines, recent)
