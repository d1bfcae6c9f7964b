"""Real ``commander peer`` processes on 127.0.0.1, and a proxy that flips one byte.

Every command runs as its own process (``python -m commander``) on its own workspace folder,
with keyring's ``fail`` backend so node keys go to owner-only files in that folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
_ADDRESS = re.compile(r"Serving peers at 127\.0\.0\.1:(\d+) ")


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "XDG_DATA_HOME": str(home),
        "COMMANDER_NO_WELCOME": "1",
    }


def _command(data_dir: Path, author: str) -> list[str]:
    return [sys.executable, "-m", "commander", "--data-dir", str(data_dir), "--author", author]


@dataclass
class Done:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def cli(data_dir: Path, author: str, *args: str, timeout: float = 120) -> Done:
    """One ``commander`` command in its own process."""
    proc = subprocess.run(
        [*_command(data_dir, author), *args],
        env=_env(data_dir.parent / "xdg"),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Done(proc.returncode, proc.stdout, proc.stderr)


class PeerProcess:
    """``commander peer serve --port 0`` in its own process, until ``stop``."""

    def __init__(self, data_dir: Path, author: str, *extra: str) -> None:
        self.data_dir, self.author = data_dir, author
        self.proc = subprocess.Popen(
            [*_command(data_dir, author), "peer", "serve", "--port", "0", *extra],
            env=_env(data_dir.parent / "xdg"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        found = _ADDRESS.match(first)
        if found is None:
            self.proc.kill()
            raise AssertionError(f"peer serve did not start: {first!r} {self.proc.stderr}")
        self.port = int(found.group(1))
        self.lines: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> None:
        self.proc.terminate()  # SIGTERM: 'peer serve' stops as on Ctrl+C
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        assert self.proc.returncode == 0, self.proc.stderr.read() if self.proc.stderr else ""


def fingerprint_of(data_dir: Path, author: str) -> str:
    shown = cli(data_dir, author, "node", "show", "--json")
    assert shown.code == 0, shown.err
    return str(shown.json()["fingerprint"])


def introduce_and_admit(a: Path, a_author: str, b: Path, b_author: str, b_address: str) -> None:
    """First contact from ``a`` to the server of ``b`` (refused), then both admit the other."""
    first = cli(a, a_author, "peer", "sync", b_address)
    assert first.code == 1 and "not admitted here" in first.err, first.err
    assert cli(a, a_author, "peer", "admit", fingerprint_of(b, b_author)).code == 0
    assert cli(b, b_author, "peer", "admit", fingerprint_of(a, a_author)).code == 0


class FlippingProxy:
    """A TCP relay on 127.0.0.1 that flips one byte at ``offset`` of one direction.

    ``direction``: ``"down"`` alters what the server sends, ``"up"`` what the client sends.
    """

    def __init__(self, target_port: int, offset: int, direction: str) -> None:
        self.target_port, self.offset, self.direction = target_port, offset, direction
        self.flipped = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink, name in ((client, upstream, "up"), (upstream, client, "down")):
                threading.Thread(
                    target=self._relay, args=(source, sink, name == self.direction), daemon=True
                ).start()

    def _relay(self, source: socket.socket, sink: socket.socket, alter: bool) -> None:
        seen = 0
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if alter and seen <= self.offset < seen + len(data):
                    at = self.offset - seen
                    data = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
                    self.flipped += 1
                seen += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
