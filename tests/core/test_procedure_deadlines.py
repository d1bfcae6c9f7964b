"""Deadlines come from the loaded procedure: the default file reproduces today's engine, and
regulatory packs add their clocks, which apply, retire and wait as the incident changes."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commander.core.business_hours import BusinessHours
from commander.core.deadline_facts import TYPE_FIELD, IncidentFacts, Met
from commander.core.deadline_policy import DeadlineKind
from commander.core.deadlines import compute_deadlines
from commander.core.policy import Severity
from commander.core.procedure_file import load_procedure, seed_text
from commander.core.procedure_model import Procedure
from tests.core.procedure_golden_cases import computed

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
GOLDEN = Path(__file__).parent / "data" / "procedure_golden.json.gz"
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
HOURS = BusinessHours()


def with_packs(*names: str) -> Procedure:
    """The seed file with packs appended, as the packs' own comments tell a team to do."""
    text = seed_text() + "".join("\n" + (EXAMPLES / n).read_text("utf-8") for n in names)
    return load_procedure(text, "seed + " + ", ".join(names))


def test_the_default_file_loaded_as_a_file_gives_every_golden_deadline() -> None:
    """Read through the same path as a team's file (schema included), not the cached seed."""
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as handle:
        golden = json.load(handle)["deadlines"]
    assert computed(load_procedure(seed_text(), "a file")) == golden


def test_packs_leave_every_built_in_deadline_as_it_was() -> None:
    """With no pack field set, the seed's deadlines are exactly the golden ones, in order."""
    procedure = with_packs("gdpr-art33.toml", "nis2-art23.toml", "dora-major-ict.toml")
    seed = computed()
    packed = computed(procedure)
    extra = {k for k in procedure.deadline_keys() if k not in DeadlineKind._value2member_map_}
    assert len(extra) >= 5
    for case, deadlines in seed.items():
        assert [d for d in packed[case] if d["key"] not in extra] == deadlines, case
        assert [d["key"] for d in packed[case] if d["key"] in extra] == [
            k for k in procedure.deadline_keys() if k in extra
        ]


def test_the_gdpr_clock_applies_once_its_fields_are_set_and_cites_its_article() -> None:
    procedure = with_packs("gdpr-art33.toml")
    aware = T0 + timedelta(hours=1)
    base = [(T0, Severity.P1)]
    before = IncidentFacts(T0, base)
    found = {str(d.key): d for d in compute_deadlines(before, T0, hours=HOURS, procedure=procedure)}
    gdpr = found["gdpr_art33_authority"]
    assert not gdpr.applies
    assert gdpr.reason_not_applicable == (
        "Applies when personal_data_breach is yes, breach_aware_at filled in"
    )
    changes = [
        (T0 + timedelta(minutes=30), "personal_data_breach", "yes"),
        (T0 + timedelta(minutes=90), "breach_aware_at", aware.isoformat()),
    ]
    after = IncidentFacts(T0, base, field_changes=changes)
    now = T0 + timedelta(hours=2)
    found = {str(d.key): d for d in compute_deadlines(after, now, hours=HOURS, procedure=procedure)}
    gdpr = found["gdpr_art33_authority"]
    assert gdpr.applies and gdpr.anchor == aware and gdpr.due == aware + timedelta(hours=72)
    assert gdpr.cite == "GDPR Art. 33(1)" and gdpr.to_json()["cite"] == "GDPR Art. 33(1)"
    assert gdpr.audience == "Supervisory authority"
    # As of a moment before the fields were set, the clock did not apply yet: nothing rewritten.
    early = compute_deadlines(after, T0 + timedelta(minutes=10), hours=HOURS, procedure=procedure)
    assert not {str(d.key): d for d in early}["gdpr_art33_authority"].applies
    # Answering "no" later retires it.
    retired = IncidentFacts(T0, base, field_changes=[*changes, (now, "personal_data_breach", "no")])
    found = {
        str(d.key): d for d in compute_deadlines(retired, now, hours=HOURS, procedure=procedure)
    }
    assert not found["gdpr_art33_authority"].applies


def test_the_nis2_final_report_waits_for_the_notification_then_runs_a_calendar_month() -> None:
    procedure = with_packs("nis2-art23.toml")
    aware = T0 + timedelta(minutes=20)
    changes = [(T0, "nis2_significant", "yes"), (T0, "nis2_aware_at", aware.isoformat())]
    facts = IncidentFacts(T0, [(T0, Severity.P0)], field_changes=changes)
    found = {str(d.key): d for d in compute_deadlines(facts, T0, hours=HOURS, procedure=procedure)}
    assert found["nis2_early_warning"].due == aware + timedelta(hours=24)
    assert found["nis2_notification"].due == aware + timedelta(hours=72)
    assert found["nis2_final_report"].reason_not_applicable == (
        "Waits for NIS2 incident notification to be met"
    )
    sent = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    met = {"nis2_notification": Met(sent, "ana", "Filed")}
    facts = IncidentFacts(T0, [(T0, Severity.P0)], field_changes=changes, met=met)
    found = {
        str(d.key): d for d in compute_deadlines(facts, sent, hours=HOURS, procedure=procedure)
    }
    assert found["nis2_final_report"].due == datetime(2026, 4, 30, 9, 0, tzinfo=UTC)


def test_the_example_procedure_names_its_own_severities_and_type_conditions() -> None:
    """SEV1..SEV4 are the file's names for the four levels, most severe first; a rule on the
    type applies once the type is set."""
    procedure = load_procedure((EXAMPLES / "sev-security.toml").read_text("utf-8"), "example")
    facts = IncidentFacts(T0, [(T0, Severity.P0)])
    found = {str(d.key): d for d in compute_deadlines(facts, T0, hours=HOURS, procedure=procedure)}
    sev1 = next(r for r in procedure.deadlines if r.key == "response" and "SEV1" in r.when.severity)
    assert sev1.offset is not None
    assert found["response"].due == T0 + sev1.offset.exact
    assert not found["security_triage"].applies
    assert DeadlineKind.ESCALATION not in found  # the file has no escalation rule at all
    typed = IncidentFacts(T0, [(T0, Severity.P0)], field_changes=[(T0, TYPE_FIELD, "security")])
    found = {str(d.key): d for d in compute_deadlines(typed, T0, hours=HOURS, procedure=procedure)}
    assert found["security_triage"].applies and found["security_triage"].due is not None
