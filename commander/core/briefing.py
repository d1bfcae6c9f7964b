"""The handoff briefing for an incoming Incident Commander, in the spirit of ICS 201.

The service gathers the facts (incident, timeline, roster, deadlines, updates sent); this
module decides what the briefing says (``briefing_model``), and ``commander.reports.briefing``
lays that out as Markdown. First what the incoming IC must not miss: the questions still open
and the events the team marked key. Then the sections of ICS 201:
situation, actions taken since the outgoing IC took over (or since declaration), current
organisation, open deadlines and what is overdue, the incident's open action items (overdue
first), and communications per audience (from the delivery entries on the timeline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from commander.core.deadlines import Deadline, DeadlineState, format_countdown
from commander.core.entry_kinds import age_text, label
from commander.core.records import Incident, TimelineEntry
from commander.core.review import STATUS_LABELS, TERM_LABELS, ActionItem, overdue_first
from commander.core.roles import Assignment, RosterLine, person_label
from commander.core.severity_names import BUILTIN, SeverityNames

MAX_ENTRIES = 40
NO_OPEN_ACTIONS = "No open action items."
NO_OPEN_QUESTIONS = "No open questions."
NO_KEY_EVENTS = "No entry is marked as a key event yet."
SENT_MARK = "Audience: "  # how a delivered message's timeline entry starts its action


@dataclass(frozen=True)
class SentMessage:
    """A message delivered from any laptop, as its timeline entry records it."""

    at: datetime
    audience: str
    channel: str
    subject: str


@dataclass(frozen=True)
class BriefingFacts:
    """Everything the briefing says, gathered by the service."""

    incident: Incident
    generated_at: datetime
    zone: tzinfo
    incoming: Assignment | None  # the IC assignment being briefed for (None: no IC)
    outgoing: Assignment | None  # whom they relieve
    since: datetime  # start of the "done so far" window
    since_label: str  # "declaration" or "the last IC handoff (…)"
    entries: Sequence[TimelineEntry]
    roles: Sequence[RosterLine]
    conflicts: Sequence[Sequence[Assignment]] = ()
    deadlines: Sequence[Deadline] = ()
    updates_sent: Sequence[datetime] = ()
    next_update: datetime | None = None
    messages: Sequence[SentMessage] = ()
    extra_notes: Sequence[str] = field(default_factory=tuple)
    action_items: Sequence[ActionItem] = ()  # the incident's items; finished ones are skipped
    open_questions: Sequence[TimelineEntry] = ()  # unanswered, oldest first
    key_events: Sequence[TimelineEntry] = ()  # marked key, not struck, in timeline order
    severity_names: SeverityNames = BUILTIN  # the loaded procedure's names of the levels


@dataclass(frozen=True)
class QuestionLine:
    """An open question: when asked, how long it has waited, its text, who asked."""

    at: str
    waited: str
    text: str
    asker: str


@dataclass(frozen=True)
class EntryLine:
    """A timeline entry as a briefing table row (event as amended)."""

    at: str
    kind: str
    event: str
    action: str
    owner: str
    key: bool


@dataclass(frozen=True)
class RoleLine:
    """A role of the roster: its holder (None: unassigned) since when."""

    name: str
    holder: str | None
    since: str
    required: bool


@dataclass(frozen=True)
class DeadlineLine:
    """An open deadline: due, time left, state; or a met one: when and by whom."""

    name: str
    due: str
    left: str = ""
    state: str = ""
    met_at: str = ""
    met_by: str = ""


@dataclass(frozen=True)
class ItemLine:
    """An open action item, overdue ones first."""

    due: str
    title: str
    owner: str
    term: str
    status: str
    overdue: bool


@dataclass(frozen=True)
class AudienceLine:
    """The messages delivered to one audience: how many, when and how, the last subject."""

    audience: str
    sent: tuple[tuple[str, str], ...]  # (time, channel)
    last_subject: str


@dataclass(frozen=True)
class Briefing:
    """What the briefing says, chosen and with its times written; the template lays it out."""

    facts: BriefingFacts
    severity_key: str  # the level as the loaded procedure names it ("SEV2")
    severity_name: str  # and its name ("Major")
    generated: str
    handoff_at: str
    declared: str
    key_events: list[EntryLine]
    questions: list[QuestionLine]
    entries_omitted: int
    entries: list[EntryLine]
    roles: list[RoleLine]
    missing: list[str]
    conflicts: list[tuple[str, str]]  # (role name, the people assigned concurrently)
    overdue: list[DeadlineLine]
    open_deadlines: list[DeadlineLine]
    met: list[DeadlineLine]
    action_items: list[ItemLine]
    updates_sent: list[str]
    next_update: str
    audiences: list[AudienceLine]


def briefing_model(facts: BriefingFacts) -> Briefing:
    """What goes in: entries not struck (the last ``MAX_ENTRIES``), open deadlines (overdue
    named first) and met ones, unfinished action items (overdue first), messages per audience."""
    entries = [e for e in facts.entries if not e.struck]
    omitted = max(0, len(entries) - MAX_ENTRIES)
    closed = (DeadlineState.MET, DeadlineState.NOT_APPLICABLE)
    open_ones = [d for d in facts.deadlines if d.state not in closed]
    today = facts.generated_at.astimezone(facts.zone).date()
    items = [i for i in facts.action_items if not i.finished]
    audiences: dict[str, list[SentMessage]] = {}
    for message in facts.messages:
        audiences.setdefault(message.audience, []).append(message)
    incoming = facts.incoming
    return Briefing(
        facts=facts,
        severity_key=facts.severity_names.key(facts.incident.severity),
        severity_name=facts.severity_names.name(facts.incident.severity),
        generated=_t(facts, facts.generated_at, day=True),
        handoff_at=_t(facts, incoming.at, day=True) if incoming is not None else "",
        declared=_t(facts, facts.incident.declared_at, day=True),
        key_events=[_entry_line(facts, e, attributed=True) for e in facts.key_events],
        questions=[
            QuestionLine(
                _t(facts, q.occurred_at),
                age_text(facts.generated_at - q.occurred_at),
                q.amended_event if q.amended_event is not None else q.event,
                q.attributed_to or q.author,
            )
            for q in facts.open_questions
        ],
        entries_omitted=omitted,
        entries=[_entry_line(facts, e) for e in entries[omitted:]],
        roles=[_role_line(facts, line) for line in facts.roles],
        missing=[line.role.name for line in facts.roles if line.missing],
        conflicts=[
            (
                _role_name(facts, group[0].role),
                ", ".join(person_label(a.person, a.person_name) for a in group),
            )
            for group in facts.conflicts
        ],
        overdue=[
            DeadlineLine(d.name, _t(facts, d.due))
            for d in open_ones
            if d.state is DeadlineState.OVERDUE
        ],
        open_deadlines=[
            DeadlineLine(
                d.name,
                _t(facts, d.due),
                format_countdown(d.remaining) if d.remaining is not None else "",
                d.state.value.replace("_", " "),
            )
            for d in open_ones
        ],
        met=[
            DeadlineLine(d.name, "", met_at=_t(facts, d.met_at), met_by=d.met_by or "")
            for d in facts.deadlines
            if d.state is DeadlineState.MET
        ],
        action_items=[
            ItemLine(
                item.due.isoformat(),
                item.title,
                item.owner,
                TERM_LABELS.get(item.term, item.term),
                STATUS_LABELS.get(item.status, item.status),
                item.is_overdue(today),
            )
            for item in overdue_first(items, today)
        ],
        updates_sent=[_t(facts, at) for at in facts.updates_sent],
        next_update=_t(facts, facts.next_update) if facts.next_update is not None else "",
        audiences=[
            AudienceLine(
                audience,
                tuple((_t(facts, m.at), m.channel) for m in delivered),
                delivered[-1].subject,
            )
            for audience, delivered in sorted(audiences.items())
        ],
    )


def _entry_line(
    facts: BriefingFacts, entry: TimelineEntry, *, attributed: bool = False
) -> EntryLine:
    """A row; ``attributed``: the kind names who it is from (the key events' table)."""
    kind = label(entry.kind)
    if attributed and entry.attributed_to:
        kind += f" ({entry.attributed_to})"
    return EntryLine(
        _t(facts, entry.occurred_at),
        kind,
        entry.amended_event if entry.amended_event is not None else entry.event,
        entry.amended_action if entry.amended_action is not None else entry.action,
        entry.owner,
        bool(entry.key_event),
    )


def _role_line(facts: BriefingFacts, line: RosterLine) -> RoleLine:
    if line.assigned and line.holder is not None:
        return RoleLine(line.role.name, line.holder.holder_text(), _t(facts, line.holder.at), False)
    return RoleLine(line.role.name, None, "—", line.required)


def _role_name(facts: BriefingFacts, key: str) -> str:
    for line in facts.roles:
        if line.role.key == key:
            return line.role.name
    return key.replace("_", " ")


def _t(facts: BriefingFacts, when: datetime | None, *, day: bool = False) -> str:
    if when is None:
        return "—"
    local = when.astimezone(facts.zone)
    return local.strftime("%Y-%m-%d %H:%M %Z" if day else "%H:%M")
