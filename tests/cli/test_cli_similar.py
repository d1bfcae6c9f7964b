"""``commander similar INC``: the earlier incidents like it, why, and what was done then."""

from __future__ import annotations

from pathlib import Path

from commander.core.clock import FakeClock
from commander.services.workspace import Workspace
from tests.services.similar_fixture import build_past


def _fixture(cli_dir: Path) -> dict[str, str]:
    clock = FakeClock()
    workspace = Workspace.open(cli_dir, author="tester", clock=clock)
    try:
        return build_past(workspace, clock)
    finally:
        workspace.close()


def test_similar_lists_the_known_matches_with_why_and_what_was_done(run, cli_dir) -> None:  # type: ignore[no-untyped-def]
    ids = _fixture(cli_dir)
    probe_ref = run("show", ids["probe"], "--json").json()["ref"]
    result = run("similar", probe_ref)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "Customer API certificate expired" in lines[0] and "1 h 30 min" in lines[0]
    assert lines[1].startswith("  why: same alert CertificateExpired; service customer-api")
    assert "  root cause: The renewal job had been failing for a month" in lines
    assert "  resolution: Issued a certificate by hand and restarted" in lines
    assert any(line.startswith("  runbook steps run: System Health") for line in lines)
    data = run("similar", ids["probe"], "--json").json()
    assert [s["incident_id"] for s in data["similar"]] == [
        ids["same_alert"],
        ids["same_service"],
        ids["similar_words"],
    ]
    assert data["similar"][1]["reasons"] == ["service customer-api"]


def test_similar_with_nothing_earlier_or_unknown(run, cli_dir) -> None:  # type: ignore[no-untyped-def]
    ids = _fixture(cli_dir)
    first = run("similar", ids["same_alert"])
    assert first.code == 0 and first.out.startswith("No earlier incident resembles")
    missing = run("similar", "INC-nothing")
    assert missing.code == 1 and "Traceback" not in missing.err
