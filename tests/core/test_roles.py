"""Role rules without Qt or a database: required roles, lookup, history queries, CSV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commander.core.errors import ValidationError
from commander.core.people import clean_person, parse_people_csv, people_csv
from commander.core.policy import Severity, Status
from commander.core.roles import (
    INCIDENT_COMMANDER,
    PROCEDURE_ROLES,
    SECURITY_LEAD,
    Assignment,
    change_text,
    current_holders,
    custom_role,
    find_role,
    holder_at,
    mark_concurrency,
    required_roles,
)

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _a(op: str, person: str | None, minutes: int, base: str | None = None, node: str = "n"):
    return Assignment(
        op_id=op,
        incident_id="inc",
        role=INCIDENT_COMMANDER,
        person=person,
        person_name=(person or "").title(),
        at=T0 + timedelta(minutes=minutes),
        hlc=f"{minutes:015d}.000000",
        node_id=node,
        by="tester",
        base=base,
    )


@pytest.mark.parametrize(
    ("severity", "security", "expected"),
    [
        (Severity.P0, False, ["incident_commander", "technical_lead", "communications_lead"]),
        (
            Severity.P1,
            True,
            ["incident_commander", "technical_lead", "communications_lead", SECURITY_LEAD],
        ),
        (Severity.P2, False, ["incident_commander"]),
        (Severity.P3, True, ["incident_commander", SECURITY_LEAD]),
    ],
)
def test_required_roles_follow_severity_and_security(severity, security, expected) -> None:
    assert required_roles(severity, security_related=security) == expected


def test_resolved_incidents_need_nobody() -> None:
    assert required_roles(Severity.P0, security_related=True, status=Status.RESOLVED) == []


def test_find_role_by_key_name_and_alias() -> None:
    assert find_role("IC", PROCEDURE_ROLES).key == INCIDENT_COMMANDER
    assert find_role("technical lead", PROCEDURE_ROLES).key == "technical_lead"
    assert find_role("DBA", PROCEDURE_ROLES).name == "Database Administrator"
    assert find_role("vendor-liaison", PROCEDURE_ROLES).key == "vendor_liaison"
    with pytest.raises(ValidationError, match="Unknown role 'lunch'"):
        find_role("lunch", PROCEDURE_ROLES)


def test_custom_roles_are_data_and_cannot_shadow_the_procedure() -> None:
    scribe = custom_role("  Customer   Liaison ")
    assert (scribe.key, scribe.name) == ("customer_liaison", "Customer Liaison")
    with pytest.raises(ValidationError, match="already a role"):
        custom_role("Incident commander")
    with pytest.raises(ValidationError):
        custom_role("   ")


def test_who_held_it_at_a_time() -> None:
    history = [_a("1", "alice", 0), _a("2", "bob", 30, "1"), _a("3", None, 60, "2")]
    assert holder_at(history, INCIDENT_COMMANDER, T0 - timedelta(minutes=1)) is None
    assert holder_at(history, INCIDENT_COMMANDER, T0 + timedelta(minutes=29)).person == "alice"
    assert holder_at(history, INCIDENT_COMMANDER, T0 + timedelta(minutes=30)).person == "bob"
    assert holder_at(history, INCIDENT_COMMANDER, T0 + timedelta(minutes=90)) is None  # released
    assert holder_at(history, "technical_lead", T0 + timedelta(hours=1)) is None


@given(
    st.lists(st.tuples(st.integers(0, 600), st.sampled_from(["a", "b", "c", None])), max_size=12)
)
def test_holder_at_is_the_latest_assignment_not_after_the_time(steps) -> None:
    history = [_a(str(i), person, minute) for i, (minute, person) in enumerate(steps)]
    for probe in range(0, 601, 37):
        when = T0 + timedelta(minutes=probe)
        found = holder_at(history, INCIDENT_COMMANDER, when)
        before = [a for a in history if a.at <= when]
        if not before:
            assert found is None
            continue
        latest = max(before, key=lambda a: (a.at, a.order))
        assert (found.op_id if found else None) == (None if latest.is_release else latest.op_id)
    # The register's holder is what holder_at says after the last change.
    if history:
        assert current_holders(history)[INCIDENT_COMMANDER] == max(history, key=lambda a: a.order)


def test_concurrent_handoffs_are_marked_and_the_loser_kept() -> None:
    history = mark_concurrency(
        [_a("1", "alice", 0), _a("2", "bob", 10, "1", "x"), _a("3", "carol", 10, "1", "y")]
    )
    by_id = {a.op_id: a for a in history}
    assert by_id["2"].concurrent and by_id["3"].concurrent
    assert by_id["2"].superseded and not by_id["3"].superseded  # node y wins the tie
    assert not by_id["1"].concurrent


def test_change_text_reads_like_the_timeline() -> None:
    assert change_text("Incident Commander", "A", "B") == "Incident Commander: A → B"
    assert change_text("Scribe", None, "B") == "Scribe: unassigned → B"


def test_csv_with_bom_latin1_duplicates_and_bad_rows() -> None:
    bom = "\ufeffname,handle,email\nAlice,alice,a@x.io\nAlicia,ALICE,\nBad,b d,\n".encode()
    parsed = parse_people_csv(bom)
    assert [p.handle for p in parsed.people] == ["alice"]
    assert [line for line, _ in parsed.skipped] == [3, 4]
    assert "duplicate handle @alice" in parsed.skipped[0][1]
    latin = "name;handle;team\nJosé Müller;jose;Réseau\n".encode("latin-1")
    parsed = parse_people_csv(latin)
    assert parsed.encoding == "latin-1" and parsed.people[0].name == "José Müller"
    assert parsed.people[0].team == "Réseau"


def test_csv_missing_columns_imports_nothing() -> None:
    with pytest.raises(ValidationError, match="lacks the column\\(s\\) handle"):
        parse_people_csv(b"name,email\nAlice,a@x.io\n")
    with pytest.raises(ValidationError, match="empty"):
        parse_people_csv(b"")


def test_csv_round_trip() -> None:
    people = [
        clean_person(handle="@Bob", name="Bob, Jr.", phone="+44 20 7946 0000", roles="IC;dba")
    ]
    parsed = parse_people_csv(people_csv(people).encode())
    assert parsed.people == people and not parsed.skipped
