"""Peer to peer beside the shared database: the same ops, the same machine, the same run.

Run: ``.venv/bin/python benchmarks/peer_sync.py [--ops N] [--rounds N]``. Alice's workspace
holds N signed ops (default 10,000). Each round a fresh workspace (Bob) gets all of them:

- peer: ``commander peer serve`` in its own process on 127.0.0.1, Bob runs one exchange
  (mutual TLS 1.3, heads, one bundle each way, every op verified and applied on arrival);
- server: the baseline, Alice pushes the same ops to a fresh database of a throwaway
  PostgreSQL (unix socket) and Bob pulls them (every op verified and applied), i.e. what
  carries the ops from one laptop to another when the server is up.

It prints the best round of each, in ops/s, and peer time as a ratio of server time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commander.core.clock import SystemClock
from commander.core.errors import ValidationError
from commander.core.signing import fingerprint
from commander.services.incidents import IncidentService
from commander.services.peer.admission import admit
from commander.services.peer.net import sync_with
from commander.services.workspace import Workspace
from commander.sync.engine import SyncEngine
from commander.sync.schema import init_schema
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from tests.sync.pg import start_server

_ADDRESS = re.compile(r"Serving peers at 127\.0\.0\.1:(\d+) ")


def _workspace(root: Path, name: str) -> Workspace:
    return Workspace.open(root / name, author=name, clock=SystemClock(), zone=UTC)


def _engine(ws: Workspace) -> SyncEngine:
    return SyncEngine(ws.engine, node_id=ws.node_id, clock=ws.clock, signer=ws.signer)


def _serve(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "commander",
            "--data-dir",
            str(data_dir),
            "--author",
            "alice",
            "peer",
            "serve",
            "--port",
            "0",
        ],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    found = _ADDRESS.match(proc.stdout.readline())
    assert found, "peer serve did not start"
    return proc, int(found.group(1))


def _peer_round(root: Path, alice: Workspace, port: int, name: str, count: int) -> float:
    bob = _workspace(root, name)
    with contextlib.suppress(ValidationError):  # first contact: both sides now pending
        sync_with(bob, "127.0.0.1", port)
    admit(bob, fingerprint(alice.signer().public_key))
    admit(alice, fingerprint(bob.signer().public_key))
    started = time.perf_counter()
    done = sync_with(bob, "127.0.0.1", port)
    elapsed = time.perf_counter() - started
    assert done.received == count, done
    bob.close()
    return elapsed


def _server_round(pg, root: Path, alice: Workspace, name: str, count: int) -> float:  # type: ignore[no-untyped-def]
    with psycopg.connect(pg.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    with psycopg.connect(pg.conninfo(name)) as conn:
        init_schema(conn)
    server = ServerUrl.parse(pg.url(name))
    bob = _workspace(root, f"{name}_bob")
    pusher, puller = _engine(alice), _engine(bob)
    with connect(server) as pg_alice, connect(server) as pg_bob:
        pusher.prepare(pg_alice)  # a new server: the push cursor starts over
        puller.prepare(pg_bob)
        started = time.perf_counter()
        pushed = pusher.push(pg_alice)
        pulled = puller.pull(pg_bob)
        elapsed = time.perf_counter() - started
    assert pushed.accepted == count and pulled.applied == count, (pushed, pulled)
    bob.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cmdpeer") as tmp:
        root = Path(tmp)
        alice = _workspace(root, "alice")
        service = IncidentService(alice)
        incident = service.declare(title="Bench", severity="P2").incident
        with alice.unit_of_work():
            for n in range(args.ops - 3):  # + the key op, the incident and its first entry
                service.log(incident.id, f"offline entry {n}")
        proc, port = _serve(root / "alice")
        pg = start_server(root)
        try:
            peer = [
                _peer_round(root, alice, port, f"peer{n}", args.ops) for n in range(args.rounds)
            ]
            server = [
                _server_round(pg, root, alice, f"db{n}", args.ops) for n in range(args.rounds)
            ]
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            pg.stop()
            alice.close()
    best_peer, best_server = min(peer), min(server)
    print(
        f"{'peer exchange ' + format(args.ops, ',') + ' ops':<34} "
        f"{args.ops / best_peer:>10,.0f} ops/s  ({best_peer:.2f} s, best of {args.rounds})"
    )
    print(
        f"{'server push + pull, same ops':<34} "
        f"{args.ops / best_server:>10,.0f} ops/s  ({best_server:.2f} s, best of {args.rounds})"
    )
    print(f"peer time / server time: {best_peer / best_server:.2f}")


if __name__ == "__main__":
    main()
