"""Each subcommand through ``main()``: what it prints, what it stores, and --json shapes."""

from __future__ import annotations

import sys
import types
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from commander import __version__
from commander.core.clock import iso, parse_iso


def test_version(run) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"commander {__version__}"


def test_incident_new_prints_the_id_and_show_finds_it(run) -> None:
    result = run("incident", "new", "--title", "Customer API down", "--severity", "P0")
    assert result.code == 0, result.err
    incident_id = result.out.strip()
    shown = run("show", incident_id, "--json").json()
    assert shown["id"] == incident_id
    assert shown["title"] == "Customer API down"
    assert shown["severity"] == "P0"


def test_incident_new_json_has_the_record(declare) -> None:
    record = declare(
        "Partner webhook failing",
        "p2",
        "--service",
        "partner-gw",
        "--service",
        "webhooks",
        "--impact",
        "3 partners delayed",
    )
    assert record["ref"].startswith("INC-")
    assert record["severity"] == "P2"
    assert record["status"] == "investigating"
    assert record["phase"] == "detection"
    assert record["services"] == ["partner-gw", "webhooks"]
    assert record["impact"] == "3 partners delayed"
    assert record["declared_by"] == "tester"


def test_incident_list_table_and_json(run, declare) -> None:
    assert "No incidents" in run("incident", "list").out
    first = declare("Database slow", "P2")
    second = declare("Certificate expired", "P1")
    table = run("incident", "list")
    assert table.code == 0
    header, *rows = table.out.splitlines()
    assert header.split() == ["REF", "SEV", "STATUS", "PHASE", "TITLE"]
    assert len(rows) == 2
    assert any(r.startswith(first["ref"]) and "Database slow" in r and "P2" in r for r in rows)
    assert any(r.startswith(second["ref"]) and "Investigating" in r for r in rows)
    listed = run("incident", "list", "--json").json()
    assert {i["id"] for i in listed} == {first["id"], second["id"]}


@pytest.mark.parametrize(
    ("field", "value", "key", "expected"),
    [
        ("title", "Renamed", "title", "Renamed"),
        ("severity", "P0", "severity", "P0"),
        ("status", "identified", "status", "identified"),
        ("phase", "containment", "phase", "containment"),
        ("impact", "40% of logins fail", "impact", "40% of logins fail"),
        ("services", "api, auth,api", "services", ["api", "auth"]),
    ],
)
def test_incident_set_each_field_is_stored_and_logged(
    run, declare, field, value, key, expected
) -> None:
    record = declare()
    result = run("incident", "set", record["ref"], field, value)
    assert result.code == 0, result.err
    assert "changed" in result.out
    shown = run("show", record["id"], "--json").json()
    assert shown[key] == expected
    assert len(shown["timeline"]) == 2  # the declaration and the logged change


def test_incident_set_same_value_changes_nothing(run, declare) -> None:
    record = declare(severity="P1")
    result = run("incident", "set", record["id"], "severity", "P1")
    assert result.code == 0
    assert "already" in result.out
    assert len(run("show", record["id"], "--json").json()["timeline"]) == 1


def test_log_prints_entry_id_and_stores_action_owner_and_time(run, declare) -> None:
    record = declare()
    # real clock: the CLI stamps with the system clock; --at must be before it
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    result = run(
        "log",
        record["ref"],
        "rolled",
        "back",
        "api-gw",
        "--action",
        "watching",
        "--owner",
        "@alice",
        "--at",
        at.isoformat(),
    )
    assert result.code == 0, result.err
    entry_id = result.out.strip()
    timeline = run("show", record["id"], "--json").json()["timeline"]
    entry = next(e for e in timeline if e["id"] == entry_id)
    assert entry["event"] == "rolled back api-gw"
    assert entry["action"] == "watching"
    assert entry["owner"] == "alice"
    assert entry["author"] == "tester"
    assert parse_iso(entry["occurred_at"]) == at


def test_log_json_and_offset_time_stored_as_utc(run, declare) -> None:
    record = declare()
    plus_two = timezone(timedelta(hours=2))
    # real clock: the CLI stamps with the system clock; --at must be before it
    local = (datetime.now(UTC) - timedelta(hours=1)).astimezone(plus_two).replace(microsecond=0)
    entry = run("log", record["id"], "paged DBA", "--at", local.isoformat(), "--json").json()
    assert entry["incident_id"] == record["id"]
    assert entry["occurred_at"] == iso(local)
    assert entry["occurred_at"].endswith("Z")


def test_show_json_is_the_whole_record(run, declare) -> None:
    record = declare("Auth failing", "P1", "--service", "auth")
    run("log", record["id"], "first note", "--owner", "bob")
    shown = run("show", record["ref"], "--json").json()
    for key in (
        "id",
        "ref",
        "title",
        "severity",
        "status",
        "phase",
        "services",
        "declared_at",
        "timeline",
    ):
        assert key in shown
    assert shown["declared_at"].endswith("Z")
    assert [e["event"] for e in shown["timeline"]][-1] == "first note"
    for entry in shown["timeline"]:
        assert set(entry) >= {"id", "occurred_at", "event", "action", "owner", "author", "struck"}
        assert entry["occurred_at"].endswith("Z")
        assert entry["struck"] is False


def test_show_text_has_header_and_timeline_table(run, declare) -> None:
    record = declare("Auth failing", "P1")
    run("log", record["id"], "restarted pods", "--action", "kubectl delete pod", "--owner", "priya")
    text = run("show", record["id"]).out
    assert record["ref"] in text and "P1 High" in text and "Auth failing" in text
    assert "TIME" in text and "EVENT" in text and "ACTION TAKEN" in text and "OWNER" in text
    row = next(line for line in text.splitlines() if "restarted pods" in line)
    assert "kubectl delete pod" in row and "priya" in row


def test_prefix_resolution_by_ref_and_id(run, declare) -> None:
    record = declare()
    for key in (record["ref"].lower(), record["ref"][:-2], record["id"][:13]):
        assert run("show", key, "--json").json()["id"] == record["id"]


def test_ambiguous_prefix_names_the_candidates(run, declare, one_line_error) -> None:
    first, second = declare("One"), declare("Two")
    result = run("show", "INC-")
    one_line_error(result, contains="2 incidents")
    assert first["ref"] in result.err and second["ref"] in result.err


def test_unknown_incident(run, one_line_error) -> None:
    one_line_error(run("log", "INC-nope", "text"), contains="No incident matches")


def test_commander_data_dir_environment_is_honoured(run, tmp_path: Path, monkeypatch) -> None:
    env_dir = tmp_path / "from-env"
    monkeypatch.setenv("COMMANDER_DATA_DIR", str(env_dir))
    result = run("incident", "new", "--title", "Env", "--severity", "P3", data_dir=None)
    assert result.code == 0
    assert (env_dir / "workspace.sqlite3").exists()
    listed = run("incident", "list", "--json", data_dir=None).json()
    assert [i["title"] for i in listed] == ["Env"]


def test_global_options_also_work_after_the_command(run, tmp_path: Path) -> None:
    where = tmp_path / "after"
    result = run(
        "incident",
        "new",
        "--title",
        "T",
        "--severity",
        "P2",
        "--data-dir",
        str(where),
        "--author",
        "carol",
        "--json",
        data_dir=None,
    )
    assert result.code == 0, result.err
    assert result.json()["declared_by"] == "carol"
    assert (where / "workspace.sqlite3").exists()


def test_demo_loads_once(run) -> None:
    first = run("demo", "--json")
    assert first.code == 0, first.err
    loaded = first.json()
    assert loaded["created"] is True
    assert loaded["entries"] >= 30
    second = run("demo")
    assert second.code == 0
    assert loaded["ref"] in second.out and "already present" in second.out
    assert len(run("incident", "list", "--json").json()) == 1


def test_verify_ok(run, declare) -> None:
    declare()
    result = run("verify")
    assert result.code == 0
    assert result.out.startswith("OK:")
    report = run("verify", "--json").json()
    assert report["ok"] is True and report["ops_checked"] == 1 + 2 and report["breaks"] == []


@pytest.mark.parametrize(
    ("argv", "smoke", "env"),
    [
        ([], False, None),
        (["gui"], False, None),
        (["gui", "--smoke-test"], True, None),
        ([], True, "1"),  # COMMANDER_SMOKE_TEST=1: the README's plain start command, smoke-tested
    ],
)
def test_gui_is_the_default_and_gets_dir_and_author(
    run, monkeypatch, cli_dir, argv, smoke, env
) -> None:
    calls = []
    fake = types.ModuleType("commander.app")

    def run_gui(data_dir, author, *, smoke_test):  # type: ignore[no-untyped-def]
        calls.append((data_dir, author, smoke_test))
        return 7

    fake.run_gui = run_gui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "commander.app", fake)
    if env is None:
        monkeypatch.delenv("COMMANDER_SMOKE_TEST", raising=False)
    else:
        monkeypatch.setenv("COMMANDER_SMOKE_TEST", env)
    assert run(*argv).code == 7
    assert calls == [(cli_dir, "tester", smoke)]


def test_show_text_marks_struck_and_amended_entries(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping, so phrases stay on one line
    ref = run("demo", "--json").json()["ref"]
    text = run("show", ref).out
    assert "[struck: Entered in error" in text
    assert "[amended; was: Auth failure rate back" in text
    assert "Phase changed" in text


def test_render_table_wraps_to_the_width_and_keeps_every_word() -> None:
    from commander.cli.output import render_table

    words = [f"word{n}" for n in range(40)]
    text = render_table(["TIME", "EVENT"], [["10:42", " ".join(words)]], width=40)
    assert all(len(line) <= 40 for line in text.splitlines())
    assert text.split()[2:] == ["10:42", *words]
