"""Slack channel import speed: 1,000 messages (5 pages of 200) read and logged in one pass,
beside the same HTTP reading without logging and the same 1,000 entries logged one by one
through ``IncidentService.log`` (the quick-entry path), all in the same run.

Run: ``.venv/bin/python benchmarks/slack_import.py``. The Slack Web API is the test server on
127.0.0.1 (tests/integrations/slack_server.py), so the figures are Commander's own cost, not
Slack's latency.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the test server

from commander.core.clock import FakeClock
from commander.core.entry_kinds import Kind
from commander.integrations.slack_reader import SlackReader, ts_of
from commander.services.incidents import IncidentService
from commander.services.slack_import import ALL, SlackImportService
from commander.services.workspace import Workspace
from tests.integrations.slack_server import TOKEN, FakeSlack

MESSAGES = 1_000
CHANNEL = "C0INCID3NT"
USERS = ("U061F7AUR", "U0G9QF9C6", "W012A3CDE")
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _slack() -> FakeSlack:
    slack = FakeSlack(page_size=200)
    slack.channels[CHANNEL] = []
    for n in range(MESSAGES):
        at = T0 + timedelta(seconds=3 * n + 1)
        slack.post(CHANNEL, USERS[n % 3], f"message {n}: p99 {n % 50} ms on checkout", at)
    return slack


def _workspace(root: Path, name: str) -> tuple[Workspace, str]:
    ws = Workspace.open(root / name, author="bench", clock=FakeClock(T0), zone=UTC)
    incident = IncidentService(ws).declare(title="Checkout errors", severity="P1").incident
    assert isinstance(ws.clock, FakeClock)
    ws.clock.set(T0 + timedelta(hours=2))
    return ws, incident.id


def main() -> None:
    slack = _slack()
    passes, again, reads, one_by_one = [], [], [], []
    try:
        for run in range(3):
            with tempfile.TemporaryDirectory() as root:
                ws, incident_id = _workspace(Path(root), f"import-{run}")
                service = SlackImportService(ws, token=lambda: TOKEN, sleep=time.sleep)
                service.connect(incident_id, CHANNEL, reaction=ALL, api_url=slack.url)
                started = time.perf_counter()
                report = service.pull(incident_id)
                passes.append(time.perf_counter() - started)
                assert report.logged == MESSAGES, report.summary
                started = time.perf_counter()
                assert service.pull(incident_id).logged == 0
                again.append(time.perf_counter() - started)
                ws.close()

                started = time.perf_counter()
                with SlackReader(
                    TOKEN, api_url=slack.url, sleep=time.sleep, now=lambda: T0
                ) as reader:
                    read = reader.read(CHANNEL, oldest=ts_of(T0 - timedelta(days=1)), threads={})
                reads.append(time.perf_counter() - started)
                assert len(read.messages) == MESSAGES

                ws, incident_id = _workspace(Path(root), f"log-{run}")
                incidents = IncidentService(ws)
                started = time.perf_counter()
                for message in read.messages:
                    incidents.log(
                        incident_id,
                        message.text,
                        action=f"Slack: {message.permalink}",
                        occurred_at=message.at,
                        kind=Kind.COMMUNICATION,
                        attributed_to=message.author,
                    )
                one_by_one.append(time.perf_counter() - started)
                ws.close()
    finally:
        slack.close()
    best = min(passes)
    print(f"one pass, {MESSAGES:,} new messages read and logged: {best * 1000:.0f} ms")
    print(
        f"  baseline: the same HTTP reading alone {min(reads) * 1000:.0f} ms "
        f"(pass = {best / min(reads):.2f}x)"
    )
    print(
        f"  baseline: {MESSAGES:,} IncidentService.log calls {min(one_by_one) * 1000:.0f} ms "
        f"(pass = {best / min(one_by_one):.2f}x)"
    )
    print(
        f"a second pass, nothing new: {statistics.median(again) * 1000:.0f} ms "
        f"({statistics.median(again) / best:.2f}x the first)"
    )


if __name__ == "__main__":
    main()
