"""``commander exercise``: start, replay in the terminal, debrief, list, and a past incident
written as a scenario; bad input is one line."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from commander.core.scenario_file import load_scenario

T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def test_a_replay_in_the_terminal_then_its_debrief(
    run, cli_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        # Waiting moves the travelled clock instead of the test's wall time.
        monkeypatch.setattr(time, "sleep", lambda s: traveller.shift(timedelta(seconds=s)))
        result = run("exercise", "database-failover", "--speed", "60")
        assert result.code == 0, result.err
        lines = result.out.splitlines()
        assert lines[0].startswith("EXERCISE Primary database degraded")
        assert "[0m] alert DatabaseLatencyHigh fires" in lines
        assert "[20m] the communications lead holder is unreachable" in lines
        assert "[45m] alert DatabaseLatencyHigh resolves" in lines
        ended = run("exercise", "end")
        assert ended.code == 0 and "ended after 45m" in ended.out, ended.out
        traveller.shift(timedelta(hours=2))
        report = run("exercise", "debrief", "--json").json()
        again = run("exercise", "end")
        assert "had ended after 45m" in again.out
    assert report["ended"] is True
    assert report["injects"] == {"applied": 10, "total": 10}
    assert report["severity"] == "P1" and report["acknowledge"]["after_s"] is None
    assert report["elapsed_s"] == pytest.approx(45 * 60, abs=30)
    listed = run("exercise", "list", "--json").json()
    assert listed["scenarios"] == [
        "certificate-expiry",
        "database-failover",
        "partner-integration-failure",
    ]
    assert len(listed["exercises"]) == 1 and "/exercises/" in listed["exercises"][0]
    text = run("exercise", "debrief", "--data-dir", listed["exercises"][0])
    assert text.code == 0 and text.out.startswith("Exercise debrief: Primary database")


def test_no_wait_makes_the_workspace_and_says_where(run, cli_dir: Path) -> None:
    with time_machine.travel(T0, tick=False):
        made = run("exercise", "certificate-expiry", "--speed", "10", "--no-wait", "--json")
    assert made.code == 0, made.err
    folder = Path(made.json()["exercise_dir"])
    assert folder.parent == cli_dir / "exercises"
    shown = run("incident", "list", "--json", data_dir=folder).json()
    assert [i["title"] for i in shown] == [
        "Customer API rejects TLS handshakes: certificate expired"
    ]
    assert run("incident", "list", "--json").json() == []  # the real workspace has none
    nested = run("exercise", "certificate-expiry", "--no-wait", data_dir=folder)
    assert nested.code == 1 and "is an exercise itself" in nested.err


def test_a_past_incident_becomes_a_scenario_file(run, declare, tmp_path: Path) -> None:
    with time_machine.travel(T0, tick=False):
        incident = declare("Checkout errors", "P2")
    with time_machine.travel(T0 + timedelta(minutes=7), tick=False):
        assert run("impact", "add", incident["ref"], "error_rate", "12").code == 0
    target = tmp_path / "checkout.toml"
    written = run("exercise", "from", incident["ref"], "-o", str(target))
    assert written.code == 0, written.err
    scenario = load_scenario(target.read_text("utf-8"), "checkout.toml")
    assert scenario.incident.title == "Checkout errors" and scenario.incident.severity == "P2"
    assert [(i.at, i.metric, i.value) for i in scenario.injects] == [
        (timedelta(minutes=7), "error_rate", 12.0)
    ]
    again = run("exercise", "from", incident["ref"], "-o", str(target))
    assert again.code == 1 and "exists already" in again.err


@pytest.mark.parametrize(
    ("args", "contains"),
    [
        (("exercise", "no-such-scenario"), "No scenario 'no-such-scenario'"),
        (("exercise", "certificate-expiry", "--speed", "61", "--no-wait"), "from 1 to 60"),
        (("exercise", "from"), "commander exercise from INC -o FILE"),
        (("exercise", "debrief"), "holds no exercise"),
    ],
)
def test_bad_input_is_one_line(run, one_line_error, args: tuple[str, ...], contains: str) -> None:
    one_line_error(run(*args), contains=contains)


def test_a_bad_scenario_file_names_its_lines(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[incident]\ntitle = "t"\nseverity = "P7"\n', "utf-8")
    result = run("exercise", str(bad), "--no-wait")
    assert result.code == 1
    assert "line 4: Unknown severity 'P7'" in result.err and "Traceback" not in result.err
