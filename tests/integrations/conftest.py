"""Real servers on 127.0.0.1 for delivery tests: HTTP that records and answers as scripted,
an SMTP server (aiosmtpd), and channel secrets in the in-memory keyring (``memory_keyring``,
tests/conftest.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from commander.integrations.channel_settings import ChannelSecrets
from commander.integrations.secrets import MemoryKeyring


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)


class RecordingServer:
    """An HTTP server that records each request and answers from a script (then 200 "ok")."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.replies: list[Reply] = []
        self.received = threading.Event()
        self._release = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                owner.requests.append(
                    Request(
                        self.command,
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                owner.received.set()
                reply = owner.replies.pop(0) if owner.replies else Reply()
                if reply.delay:
                    owner._release.wait(reply.delay)
                data = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout test)

            do_POST = do_PATCH = do_GET = _handle

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def release(self) -> None:
        """Let every delayed reply go now (a "slow" receiver that answers when told)."""
        self._release.set()

    def close(self) -> None:
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    srv = RecordingServer()
    yield srv
    srv.close()


@pytest.fixture
def secrets(memory_keyring: MemoryKeyring, data_dir) -> ChannelSecrets:  # type: ignore[no-untyped-def]
    """The workspace's channel secrets (keyed by its id) in the in-memory keyring."""
    return ChannelSecrets(data_dir)


@pytest.fixture
def deadlines(workspace):  # type: ignore[no-untyped-def]
    from datetime import UTC

    from commander.core.business_hours import BusinessHours
    from commander.services.deadlines import DeadlineService

    return DeadlineService(workspace, hours=BusinessHours(zone=UTC))


@pytest.fixture
def comms(workspace, deadlines):  # type: ignore[no-untyped-def]
    from commander.services.comms import CommsService

    return CommsService(workspace, deadlines, component_ids=("cmp1",))


@pytest.fixture
def outbox(workspace, comms, deadlines):  # type: ignore[no-untyped-def]
    from commander.services.outbox import OutboxService

    return OutboxService(workspace, comms, deadlines)


@pytest.fixture
def incident(incidents):  # type: ignore[no-untyped-def]
    return incidents.declare(
        title="Customer API down", severity="P1", services=["api-gateway"], impact="20% errors"
    ).incident
