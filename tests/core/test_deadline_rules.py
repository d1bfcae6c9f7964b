"""How a deadline's anchor and due are worked out: the facts as of now (sorted, clamped to the
declaration, the future dropped), the procedure's name for a level, and date-and-time values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from commander.core.business_hours import BusinessHours
from commander.core.deadline_facts import IncidentFacts, Met
from commander.core.deadline_policy import DeadlineKind
from commander.core.deadline_rules import View, parse_moment, severity_key, slot_for
from commander.core.policy import Severity, Status
from commander.core.procedure_file import load_procedure, seed_procedure
from commander.core.procedure_model import Situation

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
HOURS = BusinessHours()


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def facts(**changes: object) -> IncidentFacts:
    base: dict[str, object] = {"declared_at": T0, "severity_changes": [(T0, Severity.P2)]}
    base.update(changes)
    return IncidentFacts(**base)  # type: ignore[arg-type]


def test_parse_moment_takes_only_an_iso_time_with_a_zone() -> None:
    assert parse_moment(" 2026-03-05T09:30+01:00 ") == datetime.fromisoformat(
        "2026-03-05T09:30+01:00"
    )
    assert parse_moment("2026-03-05T08:30:00Z") == datetime(2026, 3, 5, 8, 30, tzinfo=UTC)
    for value in ("2026-03-05T09:30", "", "   ", "soon", None, 1772700000, ["2026-03-05"]):
        assert parse_moment(value) is None


def test_severity_key_is_the_procedures_name_of_the_level() -> None:
    assert severity_key(seed_procedure(), Severity.P1) == "P1"
    sev = load_procedure((EXAMPLES / "sev-security.toml").read_text("utf-8"), "sev")
    assert severity_key(sev, Severity.P0) == "SEV1"
    assert severity_key(sev, Severity.P3) == "SEV4"


def test_the_view_sorts_clamps_and_drops_future_changes() -> None:
    view = View(
        facts(
            severity_changes=[
                (T0, Severity.P2),
                (at(30), Severity.P0),
                (at(-10), Severity.P1),  # before the declaration: taken as at it
                (at(90), Severity.P3),  # after now: not known yet
            ]
        ),
        at(60),
    )
    assert view.severities == [(T0, Severity.P2), (T0, Severity.P1), (at(30), Severity.P0)]
    assert view.severity == Severity.P0
    assert view.first_reached(Severity.P1) == T0
    assert view.first_reached(Severity.P0) == at(30)
    assert view.first_reached(Severity.P3) == T0


def test_the_view_follows_active_and_resolved_stretches_and_re_opening() -> None:
    view = View(
        facts(
            status_changes=[
                (at(50), Status.RESOLVED),
                (at(70), Status.INVESTIGATING),
                (at(100), Status.MONITORING),
                (at(120), Status.RESOLVED),
            ]
        ),
        at(200),
    )
    assert view.first_resolved == at(50)
    assert view.reopened_at == at(70)
    assert view.resolved_since == at(120) and view.active_since is None
    assert view.status == Status.RESOLVED
    still_active = View(facts(status_changes=[(at(50), Status.RESOLVED)]), at(40))
    assert still_active.active_since == T0 and still_active.resolved_since is None


def test_the_view_reads_partners_type_and_fields_as_of_now() -> None:
    view = View(
        facts(
            partner_changes=[(at(20), True), (at(40), False), (at(80), True)],
            field_changes=[(at(5), "type", "service"), (at(10), "tier", "free")],
            met={"response": Met(at(10)), "escalation": Met(at(90))},
            internal_updates=[at(30), at(90)],
        ),
        at(60),
    )
    assert view.partners_now is False and view.partners_since == at(20)
    assert view.type == "service"
    assert view.values == {"partners_affected": False, "tier": "free"}
    assert set(view.met) == {"response"}
    assert view.updates == [at(30)]
    assert view.situation() == Situation("P2", "service", "investigating", view.values)


def test_an_upgrade_tightens_the_acknowledgement_from_when_the_level_was_reached() -> None:
    view = View(facts(severity_changes=[(T0, Severity.P2), (at(40), Severity.P0)]), at(45))
    slot = slot_for(DeadlineKind.RESPONSE, view, HOURS)
    assert (slot.anchor, slot.due) == (at(40), at(55))  # P0: 15 min from reaching it


def test_internal_updates_are_due_a_cadence_after_the_last_one_while_active() -> None:
    view = View(facts(internal_updates=[at(20), at(35)]), at(40))
    slot = slot_for(DeadlineKind.INTERNAL_UPDATE, view, HOURS)
    assert (slot.anchor, slot.due) == (at(35), at(65))
    resolved = View(facts(status_changes=[(at(30), Status.RESOLVED)]), at(40))
    assert slot_for(DeadlineKind.INTERNAL_UPDATE, resolved, HOURS).reason == (
        "The incident is no longer active"
    )


def test_partner_comms_wait_for_partners_to_be_affected() -> None:
    calm = View(facts(), at(10))
    assert slot_for(DeadlineKind.PARTNER_COMMS, calm, HOURS).reason == (
        "No partner integrations affected"
    )
    hit = View(facts(partner_changes=[(at(5), True)]), at(10))
    assert slot_for(DeadlineKind.PARTNER_COMMS, hit, HOURS).anchor == at(5)


def test_an_escalation_met_before_an_upgrade_does_not_count_for_the_new_audience() -> None:
    view = View(
        facts(
            severity_changes=[(T0, Severity.P2), (at(30), Severity.P1)],
            met={DeadlineKind.ESCALATION: Met(at(10))},
        ),
        at(40),
    )
    slot = slot_for(DeadlineKind.ESCALATION, view, HOURS)
    assert slot.anchor == at(30)
    assert slot.met is None


def test_post_resolution_work_done_before_a_re_opening_does_not_count() -> None:
    kind = DeadlineKind.POST_INCIDENT_REVIEW
    done_early = facts(
        status_changes=[(at(30), Status.RESOLVED), (at(60), Status.INVESTIGATING)],
        met={kind: Met(at(40))},
    )
    assert slot_for(kind, View(done_early, at(70)), HOURS).reason == (
        "The incident is not resolved"
    )
    again = facts(
        status_changes=[
            (at(30), Status.RESOLVED),
            (at(60), Status.INVESTIGATING),
            (at(90), Status.RESOLVED),
        ],
        met={kind: Met(at(40))},
    )
    slot = slot_for(kind, View(again, at(100)), HOURS)
    assert slot.anchor == at(90) and slot.met is None
