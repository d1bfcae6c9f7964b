"""Every CLI subcommand, driven with generated arguments and files: the promise of
``commander.cli.main`` holds for all of them.

For each input: exit 0, 1 or 2; no traceback and no "unexpected ..." (a bug surfacing);
every stderr line a ``commander: `` line of bounded length; done within a few seconds; and
when the input is refused, nothing written (the op count, the chain heads and ``commander
verify`` are as before). Subcommands are discovered from the parser, so a new one is fuzzed
without a change here. The count of inputs tried is printed in the terminal summary.

``derandomize`` keeps CI reproducible; COMMANDER_FUZZ_SEED=<n> (and COMMANDER_FUZZ_EXAMPLES)
explore other inputs locally.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from commander.cli.main import build_parser, main
from commander.core.ops import GENESIS_HASH, Op
from tests.cli.fuzz_inputs import (
    ALERT_FIXTURES,
    FUZZ_STATS,
    GLOBAL_DESTS,
    LISTENING_COMMANDS,
    SENDING_COMMANDS,
    STDIN,
    WINDOW_COMMANDS,
    FileInput,
    file_for,
    value_for,
)

SLOW_S = 6.0
LINE_MAX = 2000
EXAMPLES = int(os.environ.get("COMMANDER_FUZZ_EXAMPLES", "4"))
FILE_EXAMPLES = EXAMPLES * 6
SEED = os.environ.get("COMMANDER_FUZZ_SEED")


def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs and path:
        yield path, parser
    for sub in subs:
        for name, child in sub.choices.items():
            yield from _leaves(child, (*path, name))


LEFT_OUT = WINDOW_COMMANDS | SENDING_COMMANDS | LISTENING_COMMANDS
PARSERS = {path: p for path, p in _leaves(build_parser()) if path not in LEFT_OUT}
FILE_COMMANDS = [
    ("import",),
    ("alerts", "ingest"),
    ("people", "import"),
    ("impact", "paste"),
    ("paste",),
]


@dataclass
class Invocation:
    argv: list[str]
    stdin: bytes
    file: FileInput | None


@st.composite
def invocations(draw: st.DrawFn, command: tuple[str, ...]) -> Invocation:
    """argv for ``command``: required options mostly present, the rest by chance."""
    parser = PARSERS[command]
    options: list[str] = []
    positionals: list[str] = []
    file: FileInput | None = None
    for action in parser._actions:
        if action.dest in GLOBAL_DESTS:
            continue
        flag = action.option_strings[0] if action.option_strings else ""
        if not flag:
            if action.dest in ("file",) and command in FILE_COMMANDS:
                file = draw(file_for(command))
                positionals.append("{FILE}")
                continue
            count = {"?": draw(st.integers(0, 1)), "+": draw(st.integers(1, 3))}.get(
                str(action.nargs), 1
            )
            if command == ("people", "export") and count:
                positionals.append(draw(value_for(command, _Dest("out"))))
                continue
            positionals.extend(draw(value_for(command, action)) for _ in range(count))
            continue
        if not draw(st.booleans()) and not (action.required and draw(st.integers(0, 9))):
            continue
        if action.nargs == 0:
            if isinstance(action, argparse.BooleanOptionalAction):
                flag = draw(st.sampled_from(action.option_strings))
            options.append(flag)
            continue
        repeat = draw(st.integers(1, 2)) if isinstance(action, argparse._AppendAction) else 1
        for _ in range(repeat):
            options += [flag, draw(value_for(command, action))]
    if draw(st.integers(0, 9)) == 0:
        options += ["--author", draw(value_for(command, _Dest("value")))]
    separator = ["--"] if draw(st.booleans()) else []
    return Invocation([*command, *options, *separator, *positionals], draw(STDIN), file)


class _Dest(argparse.Action):
    """A stand-in action, to ask ``value_for`` for a kind of value by name."""

    def __init__(self, dest: str) -> None:
        super().__init__(option_strings=[], dest=dest)

    def __call__(self, *args: Any, **kwargs: Any) -> None:  # pragma: no cover
        raise NotImplementedError


# -- the workspace ------------------------------------------------------------------------


class Workspace:
    """A workspace with one of everything, and a way to run the CLI on it in-process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data_dir = root / "ws"
        self.cwd = root / "cwd"
        self.cwd.mkdir()
        (self.cwd / "adir").mkdir()
        self.names: dict[str, str] = {}
        self.export: dict[str, Any] = {}

    def run(self, argv: list[str], stdin: bytes = b"") -> tuple[int, str, str, float]:
        """main(argv) with the streams a terminal gives: UTF-8, strict on stdout."""
        out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
        out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict")
        err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace")
        saved = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="strict")
        started = time.perf_counter()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--data-dir", str(self.data_dir), *argv])
                out.flush()
                err.flush()
        finally:
            sys.stdin = saved
        seconds = time.perf_counter() - started
        return code, out_bytes.getvalue().decode(), err_bytes.getvalue().decode(), seconds

    def ok(self, *argv: str) -> Any:
        code, out, err, _ = self.run(list(argv))
        assert code == 0, (argv, err)
        return json.loads(out) if "--json" in argv else out

    def state(self) -> tuple[Any, ...]:
        conn = sqlite3.connect(self.data_dir / "workspace.sqlite3")
        try:
            count = conn.execute("SELECT count(*) FROM op").fetchone()[0]
            heads = conn.execute(
                "SELECT node_id, max(hash) FROM op GROUP BY node_id ORDER BY node_id"
            ).fetchall()
        finally:
            conn.close()
        return count, tuple(heads)

    def verify(self) -> str:
        code, out, err, _ = self.run(["verify", "--json"])
        assert code == 0, err
        return out

    def fill(self, text: str) -> str:
        if "{" not in text:
            return text
        for name, value in self.names.items():
            text = text.replace("{" + name + "}", value)
        return text


@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    import keyring

    from commander.integrations.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    ws = Workspace(tmp_path_factory.mktemp("fuzz"))
    incident = ws.ok("incident", "new", "--title", "Fuzzed", "--severity", "P1", "--json")
    ws.ok("log", incident["id"], "first note", "--owner", "alice")
    ws.ok("people", "add", "alice", "--name", "Alice Smith", "--roles", "Incident Commander")
    ws.ok("alerts", "ingest", str(ALERT_FIXTURES / "alertmanager_webhook_v4.json"))
    fingerprint = ws.ok("alerts", "list", "--json")[0]["fingerprint"]
    item = ws.ok("action", "add", incident["id"], "Add an alert", "--json")
    message = ws.ok("send", incident["id"], "initial", "--channel", "slack", "--json")
    ws.ok("export", incident["id"], "--format", "json", "-o", str(ws.root / "base.json"))
    ws.export = json.loads((ws.root / "base.json").read_text("utf-8"))
    declared = datetime.fromisoformat(incident["declared_at"])
    ws.names = {
        "INC": incident["ref"],
        "INC_ID": incident["id"],
        "INC_PREFIX": incident["ref"][:-2],
        "ALERT": fingerprint,
        "ALERT_PREFIX": fingerprint[:4],
        "ITEM": item.get("id", "none"),
        "MESSAGE": message.get("id", "none"),
        "STEP": "1.1",
        "CHECKLIST": "1",
        "RECENT": (declared - timedelta(hours=1)).isoformat(),
        "LONG_AGO": (declared - timedelta(days=30)).isoformat(),
        "FUTURE": (declared + timedelta(days=1)).isoformat(),
    }
    yield ws
    keyring.set_keyring(previous)


def _materialize(ws: Workspace, invocation: Invocation) -> tuple[list[str], bytes]:
    argv = [ws.fill(a) for a in invocation.argv]
    stdin = invocation.stdin
    file = invocation.file
    if file is not None:
        path = ws.cwd / "input.dat"
        name = str(path)
        if file.special == "zero":
            name = "/dev/zero"
        elif file.special == "missing":
            name = str(ws.cwd / "no-such-file")
        elif file.special == "directory":
            name = str(ws.cwd / "adir")
        elif file.special == "stdin":
            name, stdin = "-", file.data
        elif file.based_on_export is not None:
            key, value = file.based_on_export
            document = _forged(ws.export, value) if key == "forge" else {**ws.export, key: value}
            path.write_bytes(json.dumps(document).encode("utf-8", "surrogatepass"))
        else:
            path.write_bytes(file.data)
        argv = [name if a == "{FILE}" else a for a in argv]
    return argv, stdin


def _forged(export: dict[str, Any], title: Any) -> dict[str, Any]:
    """The export with another title in its create op and every hash recomputed to match:
    what anyone can write, so import must check the content, not only the chain."""
    document = json.loads(json.dumps(export))
    prev = GENESIS_HASH
    for body in document["ops"]:
        if body["entity"] == "incident" and body["field"] == "create":
            body["value"]["title"] = title
        fields = {k: body[k] for k in Op.__dataclass_fields__ if k not in ("hash", "prev_hash")}
        body["prev_hash"], body["hash"] = prev, Op(**fields, prev_hash=prev).compute_hash()
        prev = body["hash"]
    return document


def _check(ws: Workspace, command: tuple[str, ...], argv: list[str], stdin: bytes) -> None:
    before = ws.state()
    code, out, err, seconds = ws.run(argv, stdin)
    FUZZ_STATS.record(command, argv, code, seconds)
    shown = " ".join(a[:60] for a in argv)
    assert code in (0, 1, 2), (shown, code, err)
    assert "Traceback" not in err + out, (shown, err)
    assert "unexpected" not in err, (shown, err)
    for line in err.splitlines():
        assert line.startswith("commander: "), (shown, err[:500])
        assert len(line) <= LINE_MAX, (shown, line[:300])
    assert seconds < SLOW_S, (shown, seconds)
    if code != 0:
        assert ws.state() == before, (shown, "refused, but the op log changed", err)


def _settings(examples: int) -> Any:
    chosen = settings(
        max_examples=examples,
        deadline=None,
        derandomize=SEED is None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    return (lambda f: seed(int(SEED))(chosen(f))) if SEED else chosen


@pytest.mark.parametrize("command", sorted(PARSERS), ids=" ".join)
def test_generated_arguments(fuzz_ws: Workspace, command, monkeypatch) -> None:
    monkeypatch.chdir(fuzz_ws.cwd)

    @_settings(FILE_EXAMPLES if command in FILE_COMMANDS else EXAMPLES)
    @given(invocation=invocations(command))
    def run(invocation: Invocation) -> None:
        _check(fuzz_ws, command, *_materialize(fuzz_ws, invocation))

    run()
    # Whatever was accepted or refused, the chains still verify (verify() asserts exit 0).
    assert json.loads(fuzz_ws.verify())["ok"] is True
