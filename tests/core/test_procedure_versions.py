"""Which procedure versions an incident ran under: the one held at declaration, then each
different one loaded while it was active, and the line that says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from commander.core.procedure_versions import (
    SEED_VERSION_NAME,
    ProcedureVersion,
    versions_in_effect,
    versions_text,
)

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
SEED = ProcedureVersion("Seed", "2026.1", builtin=True)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def file(version: str, name: str = "Ops") -> dict[str, str]:
    return {"name": name, "version": version}


def test_with_no_history_the_incident_ran_under_the_seed() -> None:
    assert versions_in_effect([], T0, SEED) == [SEED]


def test_the_last_value_before_declaration_is_the_starting_version() -> None:
    history = [(at(-60), file("1")), (at(-10), file("2")), (T0, file("3"))]
    assert versions_in_effect(history, T0, SEED) == [ProcedureVersion("Ops", "3", False)]


def test_each_later_change_is_listed_with_its_time() -> None:
    history = [(at(-10), file("1")), (at(20), file("2")), (at(40), file("3", "Other"))]
    assert versions_in_effect(history, T0, SEED) == [
        ProcedureVersion("Ops", "1", False),
        ProcedureVersion("Ops", "2", False, since=at(20)),
        ProcedureVersion("Other", "3", False, since=at(40)),
    ]


def test_the_same_file_loaded_again_is_no_change() -> None:
    history = [(at(-10), file("1")), (at(5), file("1")), (at(30), file("2")), (at(35), file("2"))]
    assert versions_in_effect(history, T0, SEED) == [
        ProcedureVersion("Ops", "1", False),
        ProcedureVersion("Ops", "2", False, since=at(30)),
    ]


def test_changes_after_the_incident_stopped_being_active_do_not_count() -> None:
    history = [(at(10), file("1")), (at(60), file("2"))]
    assert versions_in_effect(history, T0, SEED, until=at(30)) == [
        SEED,
        ProcedureVersion("Ops", "1", False, since=at(10)),
    ]
    assert versions_in_effect(history, T0, SEED, until=at(5)) == [SEED]


def test_a_value_that_names_no_version_is_the_seed() -> None:
    history = [(at(-10), file("1")), (at(10), None), (at(20), {"name": "Ops", "version": 2})]
    assert versions_in_effect(history, T0, SEED) == [
        ProcedureVersion("Ops", "1", False),
        ProcedureVersion("Seed", "2026.1", True, since=at(10)),
    ]


def test_a_label_names_the_built_in_procedure_or_the_file() -> None:
    assert SEED.label == f"{SEED_VERSION_NAME} 2026.1"
    assert SEED.label == "built-in procedure 2026.1"
    assert ProcedureVersion("Ops", "4", False).label == "Ops 4"


def test_the_line_gives_the_start_then_each_change_in_the_zone() -> None:
    versions = [SEED, ProcedureVersion("Ops", "2", False, since=at(20))]
    assert versions_text(versions, timezone(timedelta(hours=1), "CET")) == (
        "built-in procedure 2026.1; then Ops 2 from 2026-11-28 11:20 CET"
    )
    assert versions_text([SEED], UTC) == "built-in procedure 2026.1"
    assert versions_text([], UTC) == ""
