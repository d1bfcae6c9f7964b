"""``commander paste``: a copied chat previewed (--dry-run) or logged, from a file or stdin."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from commander.config import resolve_display_zone
from commander.core.clock import parse_iso

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat"


def _communications(run, incident_id: str) -> list[dict]:
    shown = run("show", incident_id, "--json").json()
    return [e for e in shown["timeline"] if e["kind"] == "communication"]


def test_dry_run_prints_the_messages_and_logs_nothing(run, declare) -> None:
    incident = declare()
    result = run("paste", incident["id"], str(FIXTURES / "slack_markdown_dated.txt"), "--dry-run")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == (
        f"{incident['ref']}: 4 messages read as Slack (pasted with links); nothing logged"
    )
    assert lines[1].endswith("19:25  Priya Raman  Thanks for joining the bridge so quickly!")
    assert lines[2].strip() == ""  # the blank line inside the first message, indented
    assert "20:26  Priya Raman  Fail-over done; traffic is on eu-west-2." in result.out
    assert "21:18  Tom Okafor   Vendor says their fix is rolling out." in result.out
    assert _communications(run, incident["id"]) == []


def test_paste_logs_each_message_at_its_time_from_its_sender(run, declare, cli_dir: Path) -> None:
    incident = declare()
    result = run("paste", incident["id"], str(FIXTURES / "slack_desktop.txt"))
    assert result.code == 0, result.err
    assert result.out.strip() == f"{incident['ref']}: logged 5 messages from Slack (desktop app)"
    entries = _communications(run, incident["id"])
    zone = resolve_display_zone(cli_dir)  # the chat's clock times are read in it
    local = [parse_iso(e["occurred_at"]).astimezone(zone) for e in entries]
    assert [(e["attributed_to"], f"{t:%H:%M}") for e, t in zip(entries, local, strict=True)] == [
        ("Priya Raman", "09:01"),
        ("Tom Okafor", "09:03"),
        ("Tom Okafor", "09:04"),
        ("Tom Okafor", "09:04"),
        ("Priya Raman", "09:12"),
    ]
    assert entries[1]["event"] == "looking"


def test_paste_reads_stdin_and_says_what_it_left_out(
    run, declare, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = declare()
    data = (FIXTURES / "teams_new_dated.txt").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    result = run("paste", incident["id"], "-", "--dry-run", "--json")
    assert result.code == 0, result.err
    body = result.json()
    assert body["format"] == "teams"
    assert body["logged"] is False
    assert [m["from"] for m in body["messages"]] == ["Tom Okafor", "Priya Raman", "Tom Okafor"]
    assert {"line": 21, "text": "Last read", "reason": "interface text Teams adds"} in body[
        "skipped"
    ]


def test_day_places_an_undated_chat(run, declare) -> None:
    incident = declare()
    result = run(
        "paste",
        incident["id"],
        str(FIXTURES / "teams_classic_brackets.txt"),
        "--dry-run",
        "--day",
        "2026-01-05",
    )
    assert result.code == 0, result.err
    assert "2026-01-05 09:15  Tom Okafor   rollback of api-gw finished" in result.out


def test_refusals_are_one_sentence(run, declare, tmp_path: Path) -> None:
    incident = declare()
    notes = tmp_path / "notes.txt"
    notes.write_text("rolled back\nall fine\n", encoding="utf-8")
    result = run("paste", incident["id"], str(notes))
    assert result.code == 1
    assert result.err.strip() == (
        f"commander: error: {notes} holds no chat Commander can read; copy the messages from "
        "the Slack or Teams window (docs/user-guide.md lists the layouts it reads)."
    )
    bad_day = run("paste", incident["id"], str(notes), "--day", "Monday")
    assert bad_day.err.strip() == (
        "commander: error: --day 'Monday' is not a date (use YYYY-MM-DD)."
    )
    old = run("paste", incident["id"], str(FIXTURES / "slack_desktop.txt"), "--day", "2020-01-01")
    assert old.code == 1
    assert "Priya Raman’s message at 2020-01-01 09:01" in old.err
    assert "more than 7 days before the incident was declared" in old.err
    assert _communications(run, incident["id"]) == []
