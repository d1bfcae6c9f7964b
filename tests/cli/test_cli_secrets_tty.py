"""At a terminal: the plain-file keyring question, then a no-echo prompt for the secret, in a
real process on a pseudo-terminal (the secret is typed, never in argv)."""

from __future__ import annotations

import base64
import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("commander")
URL = "https://hooks.slack.com/services/T/B/TTYsecret7"


def _converse(
    argv: list[str], env: dict[str, str], script: list[tuple[bytes, bytes]]
) -> tuple[int, bytes]:
    """Run ``argv`` on a pty; for each (prompt, answer) wait for the prompt, then type."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        os.execve(argv[0], argv, env)
    seen = b""
    # real clock: a bound on how long a real child process may take to answer
    deadline = time.monotonic() + 30
    try:
        for prompt, answer in script:
            while prompt not in seen:
                ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise AssertionError(f"no {prompt!r} in {seen!r}")
                seen += os.read(fd, 4096)
            os.write(fd, answer)
        while True:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), seen


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("COMMANDER_")},
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "COMMANDER_AUTHOR": "tester",
    }


def test_yes_at_the_terminal_stores_in_the_plaintext_keyring(tmp_path: Path, env) -> None:  # type: ignore[no-untyped-def]
    argv = [str(BIN), "--data-dir", str(tmp_path / "ws"), "channel", "set", "slack"]
    code, seen = _converse(
        argv,
        env,
        [(b"Store secrets there anyway? [y/N] ", b"y\n"), (b"webhook URL: ", URL.encode() + b"\n")],
    )
    assert code == 0, seen
    assert b"warning: the keyring backend PlaintextKeyring keeps secrets in a plain file" in seen
    assert URL.encode() not in seen  # not echoed
    assert b"Slack saved (1 secret(s) stored in the keyring backend PlaintextKeyring" in seen
    keyring_file = tmp_path / "xdg-data" / "python_keyring" / "keyring_pass.cfg"
    assert base64.b64encode(URL.encode()) in keyring_file.read_bytes()


def test_no_at_the_terminal_stores_nothing(tmp_path: Path, env) -> None:  # type: ignore[no-untyped-def]
    argv = [str(BIN), "--data-dir", str(tmp_path / "ws"), "channel", "set", "slack"]
    code, seen = _converse(argv, env, [(b"[y/N] ", b"n\n")])
    assert code == 1
    assert b"commander: error: The keyring backend PlaintextKeyring keeps secrets" in seen
    assert b"webhook URL:" not in seen  # refused before a secret was asked for
    assert not (tmp_path / "xdg-data" / "python_keyring" / "keyring_pass.cfg").exists()
    assert not (tmp_path / "ws" / "channels.json").exists()
