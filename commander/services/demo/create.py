"""A realistic demo incident, so a first launch (or a screenshot) has something to show.

The story is the procedure's own P1 example, "Certificate expiry causing authentication
failures", worked through every phase over about two and a half hours before now. It is
written through ``IncidentService`` like any user action, so the op log, hash chain and
system entries are real. Each step runs with the workspace clock set to the time the step
happened, which makes the system entries for severity, status and phase changes land at the
right place in the history instead of all at "now". This module is the machinery; what
happens, and to whom, is told in ``services.demo.story``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.clock import iso
from commander.core.errors import NotFoundError
from commander.core.records import Incident
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.demo.review import tell_review
from commander.services.demo.story import DEMO_INCIDENT_ID, STORY_MINUTES, tell_story
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.outbox import OutboxService
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace


@dataclass(frozen=True)
class DemoResult:
    incident: Incident
    created: bool


class _PinnedClock:
    """A clock the demo moves by hand; never backwards, so the HLC reads like the story."""

    def __init__(self, when: datetime) -> None:
        self.when = when

    def now(self) -> datetime:
        return self.when


class _Scribe:
    """Writes the story step by step, each at ``start + minute``."""

    def __init__(self, service: IncidentService, clock: _PinnedClock, start: datetime) -> None:
        self.service = service
        self.clock = clock
        self.start = start
        self.incident_id = DEMO_INCIDENT_ID
        self.impacts = ImpactService(service.workspace)
        self.roster = RosterService(service.workspace)
        self.people = PeopleService(service.workspace)
        self.deadlines = DeadlineService(
            service.workspace, hours=BusinessHours(zone=service.workspace.zone)
        )
        comms = CommsService(service.workspace, self.deadlines)
        self.outbox = OutboxService(service.workspace, comms, self.deadlines)

    def _at(self, minute: float) -> datetime:
        when = self.start + timedelta(minutes=minute)
        self.clock.when = max(self.clock.when, when)
        return when

    def declare(
        self, minute: float, *, title: str, severity: str, services: list[str], impact: str
    ) -> None:
        self._at(minute)
        self.service.declare(
            title=title,
            severity=severity,
            services=services,
            impact=impact,
            incident_id=self.incident_id,
        )

    def note(self, minute: float, event: str, action: str = "", owner: str = "") -> str:
        when = self._at(minute)
        entry, _ = self.service.log(
            self.incident_id, event, action=action, owner=owner, occurred_at=when
        )
        return entry.id

    def met(self, minute: float, key: str, how: str) -> None:
        """A deadline met, recorded where the panel would record it."""
        when = self._at(minute)
        if key == "internal_update":
            self.deadlines.update_sent(self.incident_id, how=how, at=when)
        else:
            self.deadlines.mark_met(self.incident_id, key, how=how, at=when)

    def sent(self, minute: float, template: str, channel: Channel, typed: dict[str, str]) -> None:
        """A message composed from the record as it stood then, and delivered at once: the
        outbox row the timeline's "sent" note stands for (no second note, no deadline)."""
        when = self._at(minute)
        item = self.outbox.queue(self.incident_id, template, channel=channel, typed=typed)
        self.outbox.record_sent_earlier(item.id, answer=_DEMO_ANSWERS[channel], at=when)

    def impact(self, minute: float, metric: str, curve: Sequence[tuple[float, float]]) -> None:
        """Paste a monitoring export of ``(minute, value)`` points, as the IC would."""
        self._at(minute)
        rows = "\n".join(
            f"{iso(self.start + timedelta(minutes=m))},{value:g}" for m, value in curve
        )
        self.impacts.add_rows(self.incident_id, metric, "time,value\n" + rows)

    def assign(self, minute: float, role: str, handle: str, note: str = "") -> None:
        """A role taken (or handed over), as the roster panel would record it."""
        self._at(minute)
        self.roster.assign(self.incident_id, role, handle, note)

    def change(self, minute: float, field: str, value: str) -> None:
        self._at(minute)
        self.service.set_field(self.incident_id, field, value)

    def strike(self, minute: float, entry_id: str, reason: str) -> None:
        self._at(minute)
        self.service.strike(entry_id, reason)

    def amend(self, minute: float, entry_id: str, event: str) -> None:
        self._at(minute)
        self.service.amend(entry_id, event=event)


# What each channel's server would have answered (the demo sends nothing anywhere).
_DEMO_ANSWERS = {
    Channel.SLACK: "Slack: ok (demo: not really sent)",
    Channel.EMAIL: "Email: 250 OK queued (demo: not really sent)",
    Channel.STATUSPAGE: "Status page incident demo1234 updated (demo: not really sent)",
    Channel.TEAMS: "accepted by Teams (demo: not really sent)",
    Channel.WEBHOOK: "Webhook: 200 (demo: not really sent)",
    Channel.PAGERDUTY: "PagerDuty: success (demo: not really sent)",
    Channel.PHONE: "read aloud (demo)",
}


def create_demo(workspace: Workspace) -> DemoResult:
    """Load the demo incident once; later calls return it with ``created=False``.

    The whole story is one transaction: an interrupted load leaves no half-told demo behind
    (which a second run would wrongly take as "already present"), and two processes loading
    it at once queue on the write lock instead of telling it twice.
    """
    service = IncidentService(workspace)
    real_clock = workspace.clock
    with workspace.unit_of_work():
        try:
            return DemoResult(service.get(DEMO_INCIDENT_ID), created=False)
        except NotFoundError:
            pass
        start = real_clock.now() - timedelta(minutes=STORY_MINUTES)
        pinned = _PinnedClock(start)
        workspace.clock = pinned
        try:
            scribe = _Scribe(service, pinned, start)
            tell_story(scribe)
            tell_review(workspace, DEMO_INCIDENT_ID, scribe._at, 140)  # the review, drafted
        finally:
            workspace.clock = real_clock
        return DemoResult(service.get(DEMO_INCIDENT_ID), created=True)
