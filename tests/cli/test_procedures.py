"""``commander procedure show|validate|load|export``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from commander.core.procedure_file import seed_text
from tests.cli.conftest import Run

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"


def test_show_and_export_the_built_in_procedure(run: Run) -> None:
    shown = run("procedure", "show")
    assert shown.code == 0, shown.err
    assert "Commander seed procedure 1 (built in)" in shown.out
    assert "P0        Critical  15 minutes" in shown.out
    data = run("procedure", "show", "--json").json()
    assert data["builtin"] and data["severities"] == ["P0", "P1", "P2", "P3"]
    assert run("procedure", "export").out == seed_text()


def test_validate_lists_every_problem_by_line_and_changes_nothing(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = EXAMPLE.read_text("utf-8").replace('cadence = "30m"', 'cadence = "30m"\ncadense = 1')
    bad.write_text(text.replace('offset = "1h"', 'offset = "an hour"'), "utf-8")
    result = run("procedure", "validate", str(bad))
    assert result.code == 1 and result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == f"commander: error: {bad} is not a valid procedure (2 problems):"
    assert "unknown key 'cadense'" in lines[1] and lines[1].strip().startswith("line ")
    assert "'an hour' is not a duration" in lines[2]
    assert "Traceback" not in result.err
    refused = run("procedure", "load", str(bad))
    assert refused.code == 1 and "2 problems" in refused.err
    assert run("procedure", "show", "--json").json()["builtin"]


def test_load_then_show_and_export(run: Run, declare: Callable[..., dict[str, Any]]) -> None:
    ref = declare("API down", "P1")["ref"]
    ok = run("procedure", "validate", str(EXAMPLE))
    assert ok.out.strip().endswith("is a valid procedure: Example Co. incident procedure 2026.2.")
    loaded = run("procedure", "load", str(EXAMPLE))
    assert loaded.code == 0, loaded.err
    assert "now runs Example Co. incident procedure 2026.2 (" in loaded.out
    data = run("procedure", "show", "--json").json()
    assert not data["builtin"] and data["version"] == "2026.2"
    assert data["fields"][0] == {
        "key": "customer_tier",
        "type": "choice",
        "required": "declaration",
    }
    shown = run("procedure", "show").out
    assert "GDPR Art. 33(1)" in shown and "+72h" in shown
    assert run("procedure", "export").out == EXAMPLE.read_text("utf-8")
    timeline = run("show", ref).out
    assert "Procedure changed" in timeline


def test_a_file_that_is_not_text_is_one_sentence(run: Run, tmp_path: Path, one_line_error) -> None:
    binary = tmp_path / "p.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    one_line_error(run("procedure", "validate", str(binary)), contains="not UTF-8")
    one_line_error(run("procedure", "validate", str(tmp_path / "missing.toml")))


def test_fields_are_set_and_resolving_without_a_required_one_is_refused(
    run: Run, declare: Callable[..., dict[str, Any]]
) -> None:
    assert run("procedure", "load", str(EXAMPLE)).code == 0
    refused = run("incident", "new", "--title", "Leaked token", "--severity", "P1")
    assert refused.code == 1 and "Traceback" not in refused.err
    assert refused.err.strip() == (
        "commander: error: The incident cannot be declared yet: the procedure requires "
        "Customer tier (customer_tier) to be filled in when declaring."
    )
    assert run("incident", "list", "--json").json() == []  # nothing half-declared
    bad = run("incident", "new", "--title", "x", "--severity", "P1", "--field", "customer_tier")
    assert bad.code == 1 and "--field takes KEY=VALUE" in bad.err
    wrong = run(
        "incident", "new", "--title", "x", "--severity", "P1", "--field", "customer_tier=gold"
    )
    assert wrong.code == 1 and "Customer tier takes one of" in wrong.err
    made = declare(
        "Leaked token", "P1", "--field", "customer_tier=business", "--field", "type=security"
    )
    ref = made["ref"]
    given = run("field", ref, "--json").json()
    assert given["customer_tier"] == "business" and given["type"] == "security"
    typed = run("field", ref, "type", "security")
    assert typed.code == 0, typed.err
    assert "security" in typed.out and "regulator_reference" in typed.out
    bad = run("field", ref, "customer_tier", "gold")
    assert bad.code == 1
    assert bad.err.strip() == (
        "commander: error: Customer tier takes one of enterprise, business, free."
    )
    for key, value in (("personal_data_breach", "no"), ("customer_tier", "free")):
        assert run("field", ref, key, value).code == 0
    deadlines = {d["key"]: d for d in run("deadlines", ref, "--json").json()}
    assert deadlines["security_triage"]["applies"]
    refused = run("incident", "set", ref, "status", "resolved")
    assert refused.code == 1 and "Traceback" not in refused.err
    assert "requires Regulator reference (regulator_reference)" in refused.err
    assert run("field", ref, "regulator_reference", "REF-1").code == 0
    done = run("incident", "set", ref, "status", "resolved")
    assert done.code == 0, done.err
    assert run("field", ref, "--json").json()["regulator_reference"] == "REF-1"


def test_show_names_the_procedure_at_declaration_and_the_change(
    run: Run, declare: Callable[..., dict[str, Any]]
) -> None:
    ref = declare("API down", "P1")["ref"]
    assert "Procedure: built-in procedure 1\n" in run("show", ref).out
    assert run("procedure", "load", str(EXAMPLE)).code == 0
    header = run("show", ref).out.split("\n\n")[0]
    assert (
        "Procedure: built-in procedure 1; then Example Co. incident procedure 2026.2 from "
        in header
    )


def test_severities_are_typed_and_shown_by_the_loaded_procedures_names(run: Run) -> None:
    assert run("procedure", "load", str(EXAMPLE)).code == 0
    made = run(
        "incident",
        "new",
        "--title",
        "Card data exposed",
        "--severity",
        "sev2",
        "--json",
        "--field",
        "customer_tier=enterprise",
    )
    assert made.code == 0, made.err
    record = made.json()
    assert (record["severity"], record["severity_key"], record["severity_name"]) == (
        "P1",
        "SEV2",
        "Major",
    )
    ref = record["ref"]
    assert run("show", ref).out.startswith(f"{ref}  SEV2 Major  Investigating")
    assert run("incident", "set", ref, "severity", "critical").code == 0
    events = [e["event"] for e in run("show", ref, "--json").json()["timeline"]]
    assert events[0] == "Incident declared: SEV2 Major — Card data exposed"
    assert events[-1] == "Severity changed SEV2 → SEV1 (Critical)"
    listed = run("incident", "list").out.splitlines()[1].split()
    assert listed[:2] == [ref, "SEV1"]
    unknown = run("incident", "set", ref, "severity", "sev9")
    assert unknown.code == 1 and "Traceback" not in unknown.err
    assert unknown.err.strip() == (
        "commander: error: Unknown severity 'sev9': use one of SEV1 (Critical), SEV2 (Major), "
        "SEV3 (Minor), SEV4 (Low)."
    )
    found = run("search", "card", "--severity", "SEV1", "--json").json()
    assert [g["ref"] for g in found["incidents"]] == [ref]
    assert found["filters"]["severities"] == ["P0"]


def test_a_new_file_with_other_names_leaves_what_was_written_as_it_was(run: Run) -> None:
    made = run("incident", "new", "--title", "API down", "--severity", "P1", "--json").json()
    assert made["severity_key"] == "P1" and made["severity_name"] == "High"
    assert run("procedure", "load", str(EXAMPLE)).code == 0
    shown = run("show", made["ref"], "--json").json()
    assert shown["timeline"][0]["event"] == "Incident declared: P1 High — API down"  # as written
    assert (shown["severity_key"], shown["severity_name"]) == ("SEV2", "Major")  # named anew
    assert run("show", made["ref"]).out.startswith(f"{made['ref']}  SEV2 Major")


def test_a_file_with_five_severities_is_refused_by_line(run: Run, tmp_path: Path) -> None:
    five = tmp_path / "five.toml"
    text = EXAMPLE.read_text("utf-8").replace(
        "[[type]]",
        '[[severity]]\nkey = "SEV5"\nname = "Trivial"\ndefinition = "Cosmetic"\n'
        'response_time = "1h"\nresponse_time_text = "1 hour"\n\n[[type]]',
        1,
    )
    five.write_text(text, "utf-8")
    refused = run("procedure", "load", str(five))
    assert refused.code == 1 and "(1 problem" in refused.err
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t == 'key = "SEV5"') - 1
    assert f"line {line}: " in refused.err and "at most 4 severity levels" in refused.err
    assert run("procedure", "show", "--json").json()["builtin"]  # nothing was loaded
