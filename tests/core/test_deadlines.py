from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commander.core.business_hours import BusinessHours
from commander.core.deadline_facts import IncidentFacts, Met, Snooze
from commander.core.deadline_policy import DEADLINE_POLICY
from commander.core.deadlines import (
    Deadline,
    DeadlineKind,
    DeadlineState,
    compute_deadlines,
    countdown_text,
    format_countdown,
    next_internal_update,
)
from commander.core.errors import ValidationError
from commander.core.policy import SEVERITY_LEVELS, Severity, Status

K = DeadlineKind
S = DeadlineState
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday
HOURS = BusinessHours()  # Mon-Fri 09-17 UTC
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def facts(severity: Severity = Severity.P2, **kwargs) -> IncidentFacts:
    return IncidentFacts(declared_at=T0, severity_changes=[(T0, severity)], **kwargs)


def compute(f: IncidentFacts, now: datetime, **kwargs) -> dict[K, Deadline]:
    return {d.key: d for d in compute_deadlines(f, now, hours=kwargs.pop("hours", HOURS), **kwargs)}


def upgrade(f: IncidentFacts, when: datetime, severity: Severity) -> IncidentFacts:
    return replace(f, severity_changes=[*f.severity_changes, (when, severity)])


# --- the table at declaration ----------------------------------------------------------------

NA = None
P3_DUE = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # next business start after Wed 10:00


@pytest.mark.parametrize(
    ("severity", "response", "escalation", "customer"),
    [
        (Severity.P0, at(15), ("Executive notification", at(0)), at(60)),
        (Severity.P1, at(30), ("Management notification", at(60)), at(60)),
        (Severity.P2, at(120), ("Team lead notification", at(120)), NA),
        (Severity.P3, P3_DUE, NA, NA),
    ],
)
def test_deadlines_at_declaration(
    severity: Severity,
    response: datetime,
    escalation: tuple[str, datetime] | None,
    customer: datetime | None,
) -> None:
    d = compute(facts(severity), T0)
    assert list(d) == list(DeadlineKind)
    assert (d[K.RESPONSE].anchor, d[K.RESPONSE].due) == (T0, response)
    if escalation is None:
        assert d[K.ESCALATION].state is S.NOT_APPLICABLE
        assert "normal team processes" in (d[K.ESCALATION].reason_not_applicable or "")
    else:
        assert (d[K.ESCALATION].name, d[K.ESCALATION].due) == escalation
    if customer is None:
        assert d[K.CUSTOMER_COMMS].state is S.NOT_APPLICABLE
    else:
        assert d[K.CUSTOMER_COMMS].due == customer
    assert d[K.INTERNAL_UPDATE].due == at(30)
    assert d[K.PARTNER_COMMS].state is S.NOT_APPLICABLE  # no partners affected
    for kind in (K.ENHANCED_MONITORING, K.TIMELINE_IMPACT, K.POST_INCIDENT_REVIEW):
        assert d[kind].state is S.NOT_APPLICABLE
        assert (d[kind].due, d[kind].remaining, d[kind].applies) == (None, None, False)


def test_response_times_come_from_the_severity_table() -> None:
    for severity, level in SEVERITY_LEVELS.items():
        rule = DEADLINE_POLICY[severity][K.RESPONSE]
        assert rule.offset == level.response_time
        assert rule.next_business_day == (level.response_time is None)
    assert set(DEADLINE_POLICY) == set(Severity)
    assert all(set(row) == set(DeadlineKind) for row in DEADLINE_POLICY.values())


def test_p0_executive_notification_is_due_now_and_missed_only_after_the_grace() -> None:
    d = compute(facts(Severity.P0), T0)[K.ESCALATION]
    assert d.due == T0 and d.state is S.DUE_SOON and d.remaining == timedelta(0)
    assert d.missed_at == at(5) and d.in_grace
    assert countdown_text(d) == "05:00"  # until it is missed
    during = compute(facts(Severity.P0), at(4.99))[K.ESCALATION]
    assert during.state is S.DUE_SOON and countdown_text(during) == "00:01"
    assert compute(facts(Severity.P0), at(5.01))[K.ESCALATION].state is S.OVERDUE
    late = Met(at(4), "alice", "Executive notified by phone")
    met = compute(facts(Severity.P0, met={"escalation": late}), at(10))[K.ESCALATION]
    assert met.state is S.MET and met.met_in_time()  # within the grace: in time
    later = Met(at(6), "alice", "Executive notified by phone")
    assert not compute(facts(Severity.P0, met={"escalation": later}), at(10))[
        K.ESCALATION
    ].met_in_time()
    other = compute(facts(Severity.P1), at(61))[K.ESCALATION]
    assert other.missed_at == other.due and other.state is S.OVERDUE  # no grace elsewhere


def test_partner_comms_within_30_minutes_of_partners_being_affected() -> None:
    assert compute(facts(partners_affected=True), T0)[K.PARTNER_COMMS].due == at(30)
    later = facts(partner_changes=[(at(20), True)])
    assert compute(later, at(10))[K.PARTNER_COMMS].state is S.NOT_APPLICABLE
    assert compute(later, at(25))[K.PARTNER_COMMS].due == at(50)


def test_p3_declared_friday_1659_is_due_monday_0900() -> None:
    for zone in ("Europe/Berlin", "America/New_York"):
        tz = ZoneInfo(zone)
        friday = datetime(2026, 3, 6, 16, 59, tzinfo=tz).astimezone(UTC)
        f = IncidentFacts(declared_at=friday, severity_changes=[(friday, Severity.P3)])
        d = compute(f, friday, hours=BusinessHours(zone=tz))[K.RESPONSE]
        assert d.due == datetime(2026, 3, 9, 9, 0, tzinfo=tz)
        assert d.state is S.UPCOMING


# --- states ----------------------------------------------------------------------------------


def test_states_follow_the_clock() -> None:
    f = facts(Severity.P1)  # response due 10:30
    assert compute(f, at(10))[K.RESPONSE].state is S.UPCOMING
    assert compute(f, at(25))[K.RESPONSE].state is S.DUE_SOON
    assert compute(f, at(30))[K.RESPONSE].state is S.DUE_SOON  # due, not yet late
    late = compute(f, at(31))[K.RESPONSE]
    assert late.state is S.OVERDUE and late.remaining == -MIN
    assert compute(f, at(15), due_soon=timedelta(minutes=20))[K.RESPONSE].state is S.DUE_SOON


def test_met_records_when_and_by_whom() -> None:
    f = facts(Severity.P0, met={"escalation": Met(at(3), "alice", "Executive notified by phone")})
    d = compute(f, at(60))[K.ESCALATION]
    assert (d.state, d.met_at, d.met_by, d.how) == (
        S.MET,
        at(3),
        "alice",
        "Executive notified by phone",
    )
    assert compute(f, at(1))[K.ESCALATION].state is S.DUE_SOON  # not met yet as of 10:01


def test_acknowledgement_meets_the_response() -> None:
    d = compute(facts(Severity.P1, acknowledged_at=at(5)), at(60))[K.RESPONSE]
    assert (d.state, d.met_at, d.how) == (S.MET, at(5), "Acknowledged")


def test_snooze_is_reported_but_does_not_move_the_deadline() -> None:
    f = facts(Severity.P1, snoozed={"response": Snooze(at(45), "on the bridge", "bob")})
    d = compute(f, at(40))[K.RESPONSE]
    assert (d.state, d.due, d.snoozed_until) == (S.OVERDUE, at(30), at(45))
    assert compute(f, at(50))[K.RESPONSE].snoozed_until is None


# --- severity changes -------------------------------------------------------------------------


def test_upgrade_p2_to_p0_makes_executive_notification_due_at_the_change() -> None:
    f = upgrade(
        facts(Severity.P2, met={"escalation": Met(at(5), "al", "Team lead notified")}),
        at(40),
        Severity.P0,
    )
    d = compute(f, at(46))
    assert (d[K.ESCALATION].name, d[K.ESCALATION].anchor, d[K.ESCALATION].due) == (
        "Executive notification",
        at(40),
        at(40),
    )
    assert d[K.ESCALATION].state is S.OVERDUE  # the team lead is not the executives
    assert d[K.RESPONSE].due == at(55)  # tighter, from the change; not retroactively 10:15
    assert d[K.CUSTOMER_COMMS].due == at(100)  # a new requirement, from the change
    assert d[K.INTERNAL_UPDATE].due == at(30)  # unaffected by severity


def test_upgrade_keeps_met_deadlines_met() -> None:
    f = upgrade(facts(Severity.P2, acknowledged_at=at(10)), at(40), Severity.P0)
    assert compute(f, at(41))[K.RESPONSE].state is S.MET


def test_upgrade_never_loosens_a_running_clock() -> None:
    f = upgrade(facts(Severity.P1), at(25), Severity.P0)
    d = compute(f, at(26))
    assert d[K.RESPONSE].due == at(30)  # P1's 10:30 is tighter than 10:25 + 15 min
    assert d[K.CUSTOMER_COMMS].due == at(60)
    assert d[K.ESCALATION].due == at(25)


def test_downgrade_relaxes_keeps_met_and_drops_what_no_longer_applies() -> None:
    base = facts(Severity.P0, met={"escalation": Met(at(1), "al", "Executives paged")})
    f = upgrade(base, at(5), Severity.P2)
    d = compute(f, at(6))
    assert d[K.RESPONSE].due == at(120)  # P2 clock from when it was first P2 (or worse)
    assert d[K.ESCALATION].state is S.MET and d[K.ESCALATION].met_at == at(1)
    assert d[K.CUSTOMER_COMMS].state is S.NOT_APPLICABLE
    assert not d[K.CUSTOMER_COMMS].applies

    met_customer = upgrade(
        facts(Severity.P1, met={"customer_comms": Met(at(20))}), at(30), Severity.P3
    )
    d = compute(met_customer, at(31))
    assert d[K.CUSTOMER_COMMS].state is S.MET and not d[K.CUSTOMER_COMMS].applies
    assert d[K.ESCALATION].state is S.NOT_APPLICABLE


def test_reupgrade_does_not_renotify_executives() -> None:
    base = facts(Severity.P0, met={"escalation": Met(at(1), "al", "Executives paged")})
    f = upgrade(upgrade(base, at(5), Severity.P2), at(10), Severity.P0)
    assert compute(f, at(11))[K.ESCALATION].state is S.MET


def test_future_changes_are_ignored() -> None:
    f = upgrade(facts(Severity.P2), at(40), Severity.P0)
    assert compute(f, at(39))[K.ESCALATION].name == "Team lead notification"


# --- internal updates and status ----------------------------------------------------------


def test_an_internal_update_resets_only_the_update_deadline() -> None:
    before = compute(facts(Severity.P1), at(20))
    after = compute(facts(Severity.P1, internal_updates=[at(20)]), at(20))
    assert after[K.INTERNAL_UPDATE].anchor == at(20)
    assert after[K.INTERNAL_UPDATE].due == at(50)
    assert {k: v for k, v in before.items() if k is not K.INTERNAL_UPDATE} == {
        k: v for k, v in after.items() if k is not K.INTERNAL_UPDATE
    }


def test_next_internal_update_for_the_templates() -> None:
    f = facts(Severity.P0, internal_updates=[at(25), at(10)])
    assert next_internal_update(f, at(26)) == at(55)
    assert next_internal_update(f, at(12)) == at(40)  # the 10:25 update is not sent yet
    resolved = replace(f, status_changes=[(at(40), Status.RESOLVED)])
    assert next_internal_update(resolved, at(41)) is None


def test_resolution_starts_the_post_incident_deadlines() -> None:
    f = facts(
        Severity.P1,
        acknowledged_at=at(2),
        status_changes=[(at(30), Status.IDENTIFIED), (at(120), Status.RESOLVED)],
    )
    d = compute(f, at(121))
    resolved = at(120)
    assert d[K.INTERNAL_UPDATE].state is S.NOT_APPLICABLE
    assert d[K.TIMELINE_IMPACT].due == resolved + timedelta(hours=24)
    assert d[K.ENHANCED_MONITORING].due == resolved + timedelta(hours=48)
    assert d[K.ENHANCED_MONITORING].window_start == resolved + timedelta(hours=24)
    assert d[K.POST_INCIDENT_REVIEW].due == resolved + timedelta(days=7)
    assert all(d[k].anchor == resolved for k in (K.TIMELINE_IMPACT, K.POST_INCIDENT_REVIEW))
    # Closing keeps the anchor at the first resolution.
    closed = replace(f, status_changes=[*f.status_changes, (at(300), Status.CLOSED)])
    assert compute(closed, at(301))[K.TIMELINE_IMPACT].anchor == resolved


def test_reopening_suspends_post_incident_deadlines_and_restarts_updates() -> None:
    f = facts(
        Severity.P2,
        internal_updates=[at(50)],
        met={"timeline_impact": Met(at(130), "al", "Timeline written")},
        status_changes=[(at(60), Status.RESOLVED), (at(600), Status.INVESTIGATING)],
    )
    d = compute(f, at(601))
    assert d[K.POST_INCIDENT_REVIEW].state is S.NOT_APPLICABLE
    assert d[K.INTERNAL_UPDATE].anchor == at(600)  # not overdue since 10:50
    again = replace(f, status_changes=[*f.status_changes, (at(700), Status.RESOLVED)])
    d = compute(again, at(701))
    assert d[K.POST_INCIDENT_REVIEW].anchor == at(700)
    assert d[K.TIMELINE_IMPACT].state is S.UPCOMING  # the first timeline predates the re-opening


def test_resolution_before_acknowledgement_counts_as_the_response() -> None:
    f = facts(Severity.P0, status_changes=[(at(10), Status.RESOLVED)])
    d = compute(f, at(60))[K.RESPONSE]
    assert (d.state, d.met_at, d.how) == (S.MET, at(10), "Resolved before acknowledgement")


# --- validation and formatting -------------------------------------------------------------


def test_rejects_bad_input() -> None:
    with pytest.raises(ValidationError):
        IncidentFacts(declared_at=T0, severity_changes=[])
    with pytest.raises(ValidationError):
        IncidentFacts(declared_at=datetime(2026, 3, 4, 10), severity_changes=[(T0, Severity.P1)])
    with pytest.raises(ValidationError):
        compute_deadlines(facts(), datetime(2026, 3, 4, 10), hours=HOURS)
    with pytest.raises(ValidationError):
        compute_deadlines(facts(), T0, hours=HOURS, due_soon=-MIN)


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (timedelta(minutes=4, seconds=5), "04:05"),
        (timedelta(seconds=0.2), "00:01"),  # time left rounds up
        (timedelta(0), "00:00"),
        (timedelta(seconds=-0.2), "+00:00"),  # time late rounds down
        (timedelta(seconds=-61), "+01:01"),
        (timedelta(minutes=59, seconds=59), "59:59"),
        (timedelta(hours=1), "1:00:00"),
        (timedelta(hours=2, minutes=3, seconds=4), "2:03:04"),
        (-timedelta(hours=1, seconds=1), "+1:00:01"),
        (timedelta(days=7), "7d 00:00:00"),
    ],
)
def test_format_countdown(remaining: timedelta, text: str) -> None:
    assert format_countdown(remaining) == text


def test_to_json_is_plain_data() -> None:
    d = compute(facts(Severity.P0), at(6))[K.ESCALATION].to_json()
    assert d["key"] == "escalation" and d["state"] == "overdue"
    assert d["due"] == "2026-03-04T10:00:00.000Z" and d["remaining_seconds"] == -360.0
    assert d["missed_at"] == "2026-03-04T10:05:00.000Z"


# --- properties ----------------------------------------------------------------------------

severities = st.sampled_from(list(Severity))
minutes = st.integers(0, 60 * 24 * 4)


@st.composite
def timelines(draw: st.DrawFn) -> tuple[IncidentFacts, datetime]:
    """Random severity changes, status changes, updates and met deadlines around T0."""
    declared = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 7)))

    def when() -> datetime:
        return declared + timedelta(minutes=draw(minutes))

    f = IncidentFacts(
        declared_at=declared,
        severity_changes=[(declared, draw(severities))]
        + [(when(), draw(severities)) for _ in range(draw(st.integers(0, 4)))],
        status_changes=[
            (when(), draw(st.sampled_from(list(Status)))) for _ in range(draw(st.integers(0, 4)))
        ],
        partners_affected=draw(st.booleans()),
        partner_changes=[(when(), draw(st.booleans())) for _ in range(draw(st.integers(0, 2)))],
        internal_updates=[when() for _ in range(draw(st.integers(0, 4)))],
        met={
            kind: Met(when(), "x", "done")
            for kind in draw(st.sets(st.sampled_from(list(DeadlineKind)), max_size=4))
        },
        acknowledged_at=when() if draw(st.booleans()) else None,
    )
    return f, when()


CALENDAR = BusinessHours(zone=ZoneInfo("Europe/Berlin"))


@settings(max_examples=200, deadline=None)
@given(timelines())
def test_deadline_invariants(case: tuple[IncidentFacts, datetime]) -> None:
    f, now = case
    result = compute_deadlines(f, now, hours=CALENDAR)
    assert [d.key for d in result] == list(DeadlineKind)
    for d in result:
        if d.due is not None:
            assert d.anchor is not None and d.anchor <= d.due  # never due before its anchor
            assert d.anchor >= f.declared_at
            assert d.remaining == d.due - now  # computed, never counted down
        assert (d.state is S.OVERDUE) == (
            d.missed_at is not None and now > d.missed_at and d.met_at is None and d.applies
        )
        assert d.missed_at is None or (d.due is not None and d.missed_at >= d.due)
        assert (d.state is S.MET) == (d.met_at is not None)
        assert d.met_at is None or d.met_at <= now
        assert (d.state is S.NOT_APPLICABLE) == (not d.applies and d.met_at is None)
    response = result[0]
    if {s for _, s in f.severity_changes} == {Severity.P3} and response.met_at is None:
        # Next business day: a working period start, strictly after the declaration.
        assert response.due is not None and response.due > f.declared_at
        assert CALENDAR.is_within(response.due)


@settings(max_examples=150, deadline=None)
@given(timelines(), st.integers(0, 60 * 24 * 4))
def test_an_update_resets_only_the_update_deadline(
    case: tuple[IncidentFacts, datetime], offset: int
) -> None:
    f, now = case
    sent = min(now, f.declared_at + timedelta(minutes=offset))
    before = compute(f, now, hours=CALENDAR)
    after = compute(replace(f, internal_updates=[*f.internal_updates, sent]), now, hours=CALENDAR)
    for kind in DeadlineKind:
        if kind is not K.INTERNAL_UPDATE:
            assert after[kind] == before[kind]
    b, a = before[K.INTERNAL_UPDATE], after[K.INTERNAL_UPDATE]
    if b.anchor is None:
        assert a == b
    else:
        assert a.anchor == max(b.anchor, sent)


@settings(max_examples=150, deadline=None)
@given(timelines(), severities, st.integers(0, 600))
def test_a_severity_change_never_unmeets_a_deadline(
    case: tuple[IncidentFacts, datetime], severity: Severity, offset: int
) -> None:
    f, now = case
    later = now + timedelta(minutes=offset)
    before = compute(f, later, hours=CALENDAR)
    current = before[K.RESPONSE].severity
    after = compute(upgrade(f, later, severity), later, hours=CALENDAR)
    for kind in (K.RESPONSE, K.CUSTOMER_COMMS, K.PARTNER_COMMS, *list(DeadlineKind)[5:]):
        if before[kind].state is S.MET:
            assert after[kind].state is S.MET
    if severity.rank >= current.rank and before[K.ESCALATION].state is S.MET:
        assert after[K.ESCALATION].state is S.MET  # a downgrade keeps the notification
    escalation, rule = after[K.ESCALATION], DEADLINE_POLICY[severity][K.ESCALATION]
    if severity.rank < current.rank and escalation.applies and rule.offset is not None:
        # An upgrade's audience is due from the change at the latest, never from later.
        assert escalation.due is not None and escalation.due <= later + rule.offset


@settings(max_examples=100, deadline=None)
@given(timelines(), st.integers(0, 60 * 24 * 3))
def test_the_due_time_does_not_drift_while_time_passes(
    case: tuple[IncidentFacts, datetime], wait: int
) -> None:
    f, now = case
    last = max(
        [
            f.declared_at,
            *(m.at for m in f.met.values()),
            *f.internal_updates,
            *(at for at, _ in f.severity_changes),
            *(at for at, _ in f.status_changes),
            *(at for at, _ in f.partner_changes),
            f.acknowledged_at or f.declared_at,
        ]
    )
    first, second = max(now, last), max(now, last) + timedelta(minutes=wait)
    a, b = compute(f, first, hours=CALENDAR), compute(f, second, hours=CALENDAR)
    for kind in DeadlineKind:
        assert (a[kind].due, a[kind].anchor, a[kind].met_at) == (
            b[kind].due,
            b[kind].anchor,
            b[kind].met_at,
        )
