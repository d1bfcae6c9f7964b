"""Two deliverer processes, one slow receiver: each message is sent once, logged once.

The processes are real ``commander outbox --deliver`` runs on one workspace. The receiver holds
the first request until the losing process has finished its whole pass, so the loser really ran
while the winner was mid-send (the case that used to re-queue and send the message twice).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.clock import FakeClock
from commander.integrations.channel_settings import WEBHOOK_SECRET, WEBHOOK_URL
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.outbox import OutboxItem, OutboxService
from commander.services.workspace import Workspace
from tests.integrations.conftest import RecordingServer, Reply

# The deliverers stamp with their own (real) clock, and the signature check compares with it.
pytestmark = [pytest.mark.slow, pytest.mark.real_clock]

DELIVERER = Path(__file__).with_name("deliverer.py")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ROOT = Path(__file__).parents[2]


def _start(data_dir: Path, server: RecordingServer) -> subprocess.Popen[str]:
    env = {**os.environ, "COMMANDER_AUTHOR": "deliverer", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(DELIVERER), "--data-dir", str(data_dir), "outbox", "--deliver"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps({WEBHOOK_URL: server.url + "/hook", WEBHOOK_SECRET: SECRET}))
    proc.stdin.close()
    return proc


def _wait_for_first_exit(procs: list[subprocess.Popen[str]], seconds: float) -> int:
    end = time.monotonic() + seconds  # real clock: waiting on real processes
    while time.monotonic() < end:  # real clock: waiting on real processes
        for n, proc in enumerate(procs):
            if proc.poll() is not None:
                return n
        time.sleep(0.02)
    raise AssertionError("no deliverer finished its pass while the receiver held the request")


def _queue_webhooks(data_dir: Path, count: int) -> tuple[str, list[str]]:
    """An incident and ``count`` webhook messages; returns the incident id and message ids."""
    # Queued "in the past" so they are due whatever the real clock of the processes says.
    ws = Workspace.open(
        data_dir, author="alice", clock=FakeClock(datetime(2020, 1, 1, tzinfo=UTC)), zone=UTC
    )
    try:
        incident = (
            IncidentService(ws)
            .declare(title="Checkout down", severity="P1", services=["checkout"], impact="All")
            .incident
        )
        deadlines = DeadlineService(ws, hours=BusinessHours(zone=UTC))
        outbox = OutboxService(ws, CommsService(ws, deadlines), deadlines)
        ids = [
            outbox.queue(incident.id, "update", channel=Channel.WEBHOOK).id for _ in range(count)
        ]
    finally:
        ws.close()
    return incident.id, ids


def _outcome(data_dir: Path, incident_id: str) -> tuple[list[OutboxItem], list[str]]:
    """The outbox and the timeline's delivery entries, as the workspace now holds them."""
    ws = Workspace.open(data_dir, author="alice", clock=FakeClock(), zone=UTC)
    try:
        deadlines = DeadlineService(ws, hours=BusinessHours(zone=UTC))
        items = OutboxService(ws, CommsService(ws, deadlines), deadlines).outbox(incident_id)
        events = [e.event for e in IncidentService(ws).timeline(incident_id)]
    finally:
        ws.close()
    return items, [e for e in events if e.startswith("Internal update sent via Generic webhook")]


def test_two_deliverer_processes_send_a_message_once(tmp_path: Path, server) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "ws"
    incident_id, (item_id,) = _queue_webhooks(data_dir, 1)
    server.replies.append(Reply(delay=30))  # slow: answers when released
    procs = [_start(data_dir, server), _start(data_dir, server)]
    try:
        assert server.received.wait(30), [p.stderr.read() for p in procs if p.poll() is not None]
        loser = _wait_for_first_exit(procs, 30)
        assert len(server.requests) == 1  # the loser saw the message taken and left it
        server.release()
        winner = procs[1 - loser]
        winner.wait(30)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(5)
    for proc in procs:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    (request,) = server.requests
    assert request.headers["webhook-id"] == item_id
    body = Webhook(SECRET).verify(request.body, request.headers)
    assert body["type"] == "incident.message" and body["data"]["incident_id"] == incident_id
    (done,), entries = _outcome(data_dir, incident_id)
    assert done.state == "sent" and done.attempts == 1 and done.lease_owner is None
    assert len(entries) == 1


def test_three_deliverers_share_a_queue_without_sending_anything_twice(
    tmp_path: Path,
    server,  # type: ignore[no-untyped-def]
) -> None:
    data_dir = tmp_path / "ws"
    incident_id, ids = _queue_webhooks(data_dir, 6)
    server.replies.extend(Reply(delay=0.15) for _ in ids)  # each send takes a moment
    procs = [_start(data_dir, server) for _ in range(3)]
    try:
        for proc in procs:
            proc.wait(60)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
    for proc in procs:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    sent_ids = [r.headers["webhook-id"] for r in server.requests]
    assert sorted(sent_ids) == sorted(ids)  # each once: none missing, none twice
    items, entries = _outcome(data_dir, incident_id)
    assert {(i.state, i.attempts) for i in items} == {("sent", 1)}
    assert len(entries) == len(ids)
