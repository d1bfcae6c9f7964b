"""The handoff briefing for an incoming Incident Commander, in the spirit of ICS 201.

A pure renderer: the service gathers the facts (incident, timeline, roster, deadlines, updates
sent), this module turns them into Markdown. First what the incoming IC must not miss: the
questions still open and the events the team marked key. Then the sections of ICS 201:
situation, actions taken since the outgoing IC took over (or since declaration), current
organisation, open deadlines and what is overdue, the incident's open action items (overdue
first), and communications per audience (from the delivery entries on the timeline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from commander.core.deadlines import Deadline, DeadlineState, format_countdown
from commander.core.entry_kinds import KEY_ICON, age_text, label
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


def render_briefing(facts: BriefingFacts) -> str:
    """The briefing as Markdown."""
    inc = facts.incident
    out: list[str] = []
    add = out.append
    add(f"# Handoff briefing — {inc.ref}: {_md(inc.title)}")
    add("")
    add(f"Generated {_t(facts, facts.generated_at, day=True)} for the incoming Incident Commander.")
    add("")
    if facts.incoming is not None:
        add(f"- **Incoming IC:** {_md(facts.incoming.holder_text())}")
        if facts.outgoing is not None:
            add(f"- **Outgoing IC:** {_md(facts.outgoing.holder_text())}")
        add(f"- **Handoff at:** {_t(facts, facts.incoming.at, day=True)}")
        if facts.incoming.note:
            add(f"- **Handoff note:** {_md(facts.incoming.note)}")
    else:
        add("- **Incident Commander:** ⚠ none assigned")
    add("")

    _key_and_questions(add, facts)

    add("## 1. Situation")
    add("")
    levels = facts.severity_names
    add(f"- **Severity:** {levels.key(inc.severity)} — {levels.name(inc.severity)}")
    add(f"- **Status:** {inc.status.label}")
    add(f"- **Phase:** {inc.phase.label}")
    add(f"- **Declared:** {_t(facts, inc.declared_at, day=True)} by {_md(inc.declared_by)}")
    add(f"- **Services:** {_md(', '.join(inc.services)) or '—'}")
    add(f"- **Customer impact:** {_md(inc.impact) or '—'}")
    add(f"- **Security related:** {'yes' if inc.security_related else 'no'}")
    add(f"- **Partner integrations affected:** {'yes' if inc.partners_affected else 'no'}")
    add("")

    add(f"## 2. Actions so far (since {facts.since_label})")
    add("")
    entries = [e for e in facts.entries if not e.struck]
    if not entries:
        add("Nothing logged in this period.")
    else:
        omitted = max(0, len(entries) - MAX_ENTRIES)
        if omitted:
            add(f"*{omitted} earlier entries omitted; see the full timeline.*")
            add("")
        add("| Time | Event | Action taken | Owner |")
        add("| --- | --- | --- | --- |")
        for entry in entries[omitted:]:
            event = entry.amended_event if entry.amended_event is not None else entry.event
            action = entry.amended_action if entry.amended_action is not None else entry.action
            if entry.key_event:
                event = f"{KEY_ICON} {event}"
            add(
                f"| {_t(facts, entry.occurred_at)} | {_cell(event)} | {_cell(action)} "
                f"| {_cell(entry.owner)} |"
            )
    add("")

    add("## 3. Current organisation")
    add("")
    add("| Role | Holder | Since |")
    add("| --- | --- | --- |")
    for line in facts.roles:
        if line.assigned and line.holder is not None:
            holder = _cell(line.holder.holder_text())
            since = _t(facts, line.holder.at)
        else:
            holder = "**⚠ unassigned (required)**" if line.required else "unassigned"
            since = "—"
        add(f"| {_cell(line.role.name)} | {holder} | {since} |")
    missing = [line.role.name for line in facts.roles if line.missing]
    if missing:
        add("")
        add(f"**Still missing:** {', '.join(missing)}.")
    for group in facts.conflicts:
        names = ", ".join(person_label(a.person, a.person_name) for a in group)
        add("")
        add(
            f"**⚠ Concurrent handoff of {_md(_role_name(facts, group[0].role))}:** {_md(names)} "
            "were assigned without seeing each other; the last writer holds it. Confirm who."
        )
    add("")

    add("## 4. Deadlines")
    add("")
    closed = (DeadlineState.MET, DeadlineState.NOT_APPLICABLE)
    open_ones = [d for d in facts.deadlines if d.state not in closed]
    overdue = [d for d in open_ones if d.state is DeadlineState.OVERDUE]
    if overdue:
        add("**Overdue:** " + "; ".join(f"{d.name} (due {_t(facts, d.due)})" for d in overdue))
        add("")
    if open_ones:
        add("| Deadline | Due | Left | State |")
        add("| --- | --- | --- | --- |")
        for d in open_ones:
            left = format_countdown(d.remaining) if d.remaining is not None else ""
            add(f"| {d.name} | {_t(facts, d.due)} | {left} | {d.state.value.replace('_', ' ')} |")
    else:
        add("No open deadlines.")
    met = [d for d in facts.deadlines if d.state is DeadlineState.MET]
    if met:
        add("")
        add(
            "Met: "
            + "; ".join(f"{d.name} ({_t(facts, d.met_at)}{_by(d.met_by)})" for d in met)
            + "."
        )
    add("")

    add("## 5. Open action items")
    add("")
    today = facts.generated_at.astimezone(facts.zone).date()
    _action_items(add, [i for i in facts.action_items if not i.finished], today)
    add("")

    add("## 6. Communications")
    add("")
    if facts.updates_sent:
        sent = ", ".join(_t(facts, at) for at in facts.updates_sent)
        add(f"- **Internal updates sent:** {len(facts.updates_sent)} ({sent})")
    else:
        add("- **Internal updates sent:** none yet")
    if facts.next_update is not None:
        add(f"- **Next internal update due:** {_t(facts, facts.next_update)}")
    audiences: dict[str, list[SentMessage]] = {}
    for message in facts.messages:
        audiences.setdefault(message.audience, []).append(message)
    for audience, delivered in sorted(audiences.items()):
        times = ", ".join(f"{_t(facts, m.at)} via {m.channel}" for m in delivered)
        last = _md(delivered[-1].subject)
        add(f"- **Sent to {audience}:** {len(delivered)} ({times}); last: {last}")
    if not facts.messages:
        add("- **Messages sent from the composer:** none yet")
    for note in facts.extra_notes:
        add("")
        add(note)
    return "\n".join(out) + "\n"


def _key_and_questions(add, facts: BriefingFacts) -> None:  # type: ignore[no-untyped-def]
    """Open questions (with how long they have waited), then the key events of the whole
    incident, not only of the "so far" window."""
    add("## Open questions and key events")
    add("")
    add("**Open questions** (oldest first):")
    add("")
    if not facts.open_questions:
        add(NO_OPEN_QUESTIONS)
    for question in facts.open_questions:
        text = question.amended_event if question.amended_event is not None else question.event
        asker = question.attributed_to or question.author
        waited = age_text(facts.generated_at - question.occurred_at)
        add(
            f"- {_t(facts, question.occurred_at)} (open {waited}): {_md(' '.join(text.split()))}"
            f" — asked by {_md(asker)}"
        )
    add("")
    add(f"**Key events** ({KEY_ICON}):")
    add("")
    if not facts.key_events:
        add(NO_KEY_EVENTS)
    else:
        add("| Time | Kind | Event | Owner |")
        add("| --- | --- | --- | --- |")
        for entry in facts.key_events:
            event = entry.amended_event if entry.amended_event is not None else entry.event
            kind = label(entry.kind)
            if entry.attributed_to:
                kind += f" ({entry.attributed_to})"
            add(
                f"| {_t(facts, entry.occurred_at)} | {_cell(kind)} | {_cell(event)} "
                f"| {_cell(entry.owner)} |"
            )
    add("")


def _action_items(add, items: list[ActionItem], today: date) -> None:  # type: ignore[no-untyped-def]
    if not items:
        add(NO_OPEN_ACTIONS)
        return
    add("| Due | Action item | Owner | Term | Status |")
    add("| --- | --- | --- | --- | --- |")
    for item in overdue_first(items, today):
        status = STATUS_LABELS.get(item.status, item.status)
        if item.is_overdue(today):
            status = f"**⚠ overdue** ({status.lower()})"
        add(
            f"| {item.due.isoformat()} | {_cell(item.title)} | {_cell(item.owner) or '—'} "
            f"| {TERM_LABELS.get(item.term, item.term)} | {status} |"
        )


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


def _by(who: str | None) -> str:
    return f" by {_md(who)}" if who else ""


def _md(text: str) -> str:
    """Text safe in Markdown prose: no accidental emphasis, links or HTML."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>|#":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _cell(text: str) -> str:
    return _md(" ".join(text.split()))
