"""What the Slack import keeps per incident, read back from JSON, and the one line a pass
reports."""

from __future__ import annotations

from datetime import UTC, datetime

from commander.integrations.slack_reader import API_URL
from commander.services.slack_link import ALL, PullReport, SlackLink


def test_a_link_reads_back_from_its_json_with_defaults() -> None:
    link = SlackLink.from_json({"incident_id": "i1", "channel": "C1", "reaction": "pushpin"})
    assert link == SlackLink("i1", "C1", "pushpin")
    assert link.api_url == API_URL and link.threads == {} and link.last_pass_at is None
    full = SlackLink(
        "i1",
        "C1",
        ALL,
        api_url="http://127.0.0.1:9/api/",
        newest_ts="1700000000.000100",
        threads={"1700000000.000001": "1700000000.000050"},
        last_pass_at=datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
        last_error="Slack said ratelimited.",
        retry_at=datetime(2026, 11, 28, 10, 5, tzinfo=UTC),
        logged=3,
    )
    assert SlackLink.from_json(full.to_json()) == full


def test_a_link_describes_what_it_logs() -> None:
    assert SlackLink("i1", "C1", ALL).describe == "Slack channel C1: every message"
    assert SlackLink("i1", "C1", "pushpin").describe == (
        "Slack channel C1: messages marked :pushpin:"
    )


def test_a_pass_summary_names_only_what_happened() -> None:
    assert PullReport("i1", read=5, logged=2).summary == "Slack: 2 logged from 5 message(s) read"
    busy = PullReport("i1", read=9, logged=1, amended=2, struck=1)
    assert busy.summary == (
        "Slack: 1 logged, 2 amended, 1 struck (deleted in Slack) from 9 message(s) read"
    )
    failed = PullReport("i1", error="Slack did not answer.")
    assert failed.summary == "Slack: 0 logged from 0 message(s) read; Slack did not answer."
    assert failed.to_json()["error"] == "Slack did not answer."
    assert PullReport("i1").to_json()["error"] is None
    assert "changes" not in PullReport("i1").to_json()
