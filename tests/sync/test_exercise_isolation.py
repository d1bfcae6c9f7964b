"""Nothing leaves an exercise workspace: no op reaches the shared PostgreSQL (one sync, the
live loop, the CLI) and no message reaches a channel (a real HTTP server on 127.0.0.1). The
same server and database do receive from a real workspace, so the silence is the exercise's."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from datetime import UTC

import keyring
import pytest

from commander.cli.main import main
from commander.core.channels import Channel
from commander.core.scenario_file import builtin_text
from commander.core.templates import Audience
from commander.integrations.channel_settings import (
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSecrets,
)
from commander.integrations.secrets import MemoryKeyring
from commander.services.deadlines import deadline_service_for
from commander.services.delivery import comms_for, engine_for
from commander.services.exercise.outbox import practice_messages
from commander.services.exercise.replay import ExerciseReplay, start_exercise
from commander.services.incidents import IncidentService
from commander.services.outbox import OutboxService
from commander.services.workspace import Workspace
from commander.sync.errors import ExerciseRefused
from commander.sync.live import LiveSync
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from tests.integrations.conftest import RecordingServer
from tests.sync.conftest import now_clock
from tests.sync.helpers import engine_of, sync_once

pytestmark = pytest.mark.real_clock


@pytest.fixture
def http() -> Iterator[RecordingServer]:
    srv = RecordingServer()
    yield srv
    srv.close()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def exercise(tmp_path, make_workspace) -> Iterator[Workspace]:  # type: ignore[no-untyped-def]
    real = make_workspace("alice")
    ws = start_exercise(
        real.data_dir,
        builtin_text("partner-integration-failure"),
        "partner-integration-failure",
        speed=60,
        author="alice",
        clock=now_clock(),
        zone=UTC,
    )
    yield ws
    ws.close()


def _deliver_all(ws: Workspace, http: RecordingServer) -> list[str]:
    secrets = ChannelSecrets(ws.data_dir)
    secrets.set(WEBHOOK_URL, http.url + "/hook")
    secrets.set(WEBHOOK_SECRET, "whsec_" + base64.b64encode(b"k" * 32).decode())
    secrets.set(TEAMS_URL, http.url + "/teams")
    deadlines = deadline_service_for(ws)
    outbox = OutboxService(ws, comms_for(ws, deadlines), deadlines)
    incident = IncidentService(ws).list()[0]
    outbox.queue(incident.id, "partner", channel=Channel.WEBHOOK, audience=None)
    outbox.queue(incident.id, "update", channel=Channel.TEAMS, audience=Audience.INTERNAL)
    sent = engine_for(outbox, secrets).run_once().sent
    return sent


def _server_ops(server: ServerUrl, node_id: str) -> int:
    with connect(server) as pg:
        row = pg.execute("SELECT count(*) FROM commander.op WHERE node_id = %s", (node_id,))
        return int(row.fetchone()[0])  # type: ignore[index]


def test_an_exercise_sends_nothing_to_a_real_channel(
    exercise, make_workspace, http, memory_keyring, capsys
) -> None:
    real = make_workspace("bob")
    IncidentService(real).declare(title="Real one", severity="P0", services=["api"])
    assert len(_deliver_all(real, http)) == 2 and len(http.requests) == 2  # the server works

    sent = _deliver_all(exercise, http)

    assert len(sent) == 2  # recorded as delivered, so deadlines and the debrief count them
    assert len(http.requests) == 2  # and still only the real workspace's two
    practice = practice_messages(exercise.data_dir)
    assert [(m.channel, m.audience) for m in practice] == [
        ("webhook", "partner"),
        ("teams", "internal"),
    ]
    outbox = [e.event for e in IncidentService(exercise).timeline(practice[0].incident_id)]
    assert sum("Partner update sent via" in e for e in outbox) == 1

    code = main(["channel", "test", "teams", "--data-dir", str(exercise.data_dir)])
    assert code == 1  # a channel test from an exercise is refused too
    assert "This workspace is an exercise: nothing is sent" in capsys.readouterr().err
    assert len(http.requests) == 2


def test_an_exercise_never_reaches_the_shared_database(
    exercise, make_workspace, server, server_url, capsys
) -> None:
    ExerciseReplay(exercise).apply_due()
    real = make_workspace("bob")
    IncidentService(real).declare(title="Real one", severity="P1", services=["api"])
    assert sync_once(real, server).pushed.accepted > 0  # the database works

    with pytest.raises(ExerciseRefused, match="This workspace is an exercise"):
        sync_once(exercise, server)
    engine = engine_of(exercise)
    with connect(server) as pg:
        for attempt in (engine.push, engine.pull, engine.prepare):
            with pytest.raises(ExerciseRefused):
                attempt(pg)
    with pytest.raises(ExerciseRefused):
        engine.remember_url(server.redacted)

    loop = LiveSync(engine, server)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()  # it stopped at once instead of retrying
    assert loop.status.last_error is not None and "exercise" in loop.status.last_error

    code = main(["sync", "--server", server_url, "--data-dir", str(exercise.data_dir)])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err.count("\n") == 0 and "This workspace is an exercise" in err

    assert _server_ops(server, exercise.node_id) == 0
    assert _server_ops(server, real.node_id) > 0
