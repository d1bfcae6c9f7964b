"""Laptop to laptop: ``commander peer`` processes on 127.0.0.1 sync without the server.

Three workspaces, each served by its own ``peer serve`` process, sync pairwise in a seeded
random order (the laptop left out is partitioned off), with servers restarted and edits in
between; they converge to identical materialized tables and each ``verify`` passes. Syncing
again changes nothing. Then a PostgreSQL appears, every laptop runs ``commander sync``, each
op is stored once on the server and all still agree. Unknown and changed keys are refused,
and a proxy that flips one byte of the stream makes the exchange fail with nothing it altered
applied.
"""

from __future__ import annotations

import contextlib
import random
from datetime import UTC
from pathlib import Path

import psycopg
import pytest

from commander.core.errors import CommanderError
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import oplog
from commander.sync.schema import RESPONDER_ROLE
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from commander.sync.verify import verify_server
from tests.sync.attack import apply_roles, login_url, make_login
from tests.sync.conftest import now_clock
from tests.sync.convergence_actions import ACTIONS, DERIVED_TABLES
from tests.sync.peer_helpers import (
    FlippingProxy,
    PeerProcess,
    cli,
    fingerprint_of,
    introduce_and_admit,
)

pytestmark = pytest.mark.slow
NAMES = ("alice", "bob", "carol")


def _state(data_dir: Path) -> dict[str, list[tuple]]:
    ws = Workspace.open(data_dir, author="reader", clock=now_clock(), zone=UTC)
    try:
        with ws.read() as conn:
            raw = oplog.dbapi(conn)
            return {
                table: sorted(raw.execute(f"SELECT * FROM {table}").fetchall())
                for table in DERIVED_TABLES
            } | {"ops": sorted(r[0] for r in raw.execute("SELECT op_id FROM op"))}
    finally:
        ws.close()


def _edit(data_dir: Path, author: str, rng: random.Random, count: int, *, declare: bool) -> None:
    """``count`` edits through the services, on incidents this laptop holds."""
    ws = Workspace.open(data_dir, author=author, clock=now_clock(), zone=UTC)
    try:
        service = IncidentService(ws)
        if declare:
            service.declare(title=f"{author}'s outage", severity="P2")
        incidents = [incident.id for incident in service.list()]
        for index in range(count):
            ws.clock.advance(rng.choice([0.001, 0.5, 3]))
            action = rng.choice(sorted(ACTIONS))
            with contextlib.suppress(CommanderError):  # e.g. nothing to strike yet
                ACTIONS[action](ws, rng.choice(incidents), rng, index)
    finally:
        ws.close()


def _sync(dirs: list[Path], servers: list[PeerProcess], i: int, j: int) -> dict:
    done = cli(dirs[i], NAMES[i], "peer", "sync", servers[j].address, "--json")
    assert done.code == 0, done.err
    return done.json()


@pytest.mark.parametrize("seed", [7])  # each seed costs ~1.5 min of processes
def test_three_laptops_converge_peer_to_peer_then_through_the_server(
    tmp_path: Path, server_url: str, seed: int
) -> None:
    rng = random.Random(seed)
    dirs = [tmp_path / name for name in NAMES]
    for data_dir, name in zip(dirs, NAMES, strict=True):
        _edit(data_dir, name, rng, 6, declare=True)
    # Each laptop has its own login, and synced once before the outage: the server knows
    # each node and its key, so any laptop may relay another's later ops (signed by it).
    admin = ServerUrl.parse(server_url)
    apply_roles(admin)
    urls = [
        login_url(admin, make_login(admin, RESPONDER_ROLE)).url.render_as_string(
            hide_password=False
        )
        for _name in NAMES
    ]
    for data_dir, name, url in zip(dirs, NAMES, urls, strict=True):
        assert cli(data_dir, name, "sync", "--server", url).code == 0
    servers = [PeerProcess(data_dir, name) for data_dir, name in zip(dirs, NAMES, strict=True)]
    try:
        for i, j in ((0, 1), (1, 2), (2, 0)):
            introduce_and_admit(dirs[i], NAMES[i], dirs[j], NAMES[j], servers[j].address)
        for _round in range(8):
            roll = rng.random()
            who = rng.randrange(3)
            if roll < 0.2:  # a laptop's server restarts (on another port)
                servers[who].stop()
                servers[who] = PeerProcess(dirs[who], NAMES[who])
            elif roll < 0.45:
                _edit(dirs[who], NAMES[who], rng, rng.randint(1, 5), declare=False)
            else:  # one pair syncs; the third laptop is cut off for this round
                other = rng.choice([n for n in range(3) if n != who])
                _sync(dirs, servers, who, other)
        for i, j in ((0, 1), (1, 2), (2, 0)):
            _sync(dirs, servers, i, j)
        states = [_state(data_dir) for data_dir in dirs]
        assert states[0] == states[1] == states[2]
        assert len(states[0]["ops"]) > 20
        again = _sync(dirs, servers, 0, 1)  # syncing twice changes nothing
        assert (again["received"], again["sent"], again["peer_imported"]) == (0, 0, 0)
        assert _state(dirs[0]) == states[0] and _state(dirs[1]) == states[1]
        listed = cli(dirs[0], NAMES[0], "peer", "list", "--json").json()
        assert {peer["author"]: peer["behind"] for peer in listed} == {"bob": 0, "carol": 0}
    finally:
        for server in servers:
            server.stop()
    for data_dir, name in zip(dirs, NAMES, strict=True):
        checked = cli(data_dir, name, "verify")
        assert checked.code == 0, checked.out + checked.err

    everything = _state(dirs[0])["ops"]
    # The server returns, but carol's laptop stays dark: alice and bob carry her ops.
    for _round in range(2):
        for data_dir, name, url in zip(dirs[:2], NAMES[:2], urls[:2], strict=True):
            synced = cli(data_dir, name, "sync", "--server", url, "--json")
            assert synced.code == 0, synced.err
            assert synced.json()["pushed"]["relay"]["refused"] == []
    server = ServerUrl.parse(server_url)
    with psycopg.connect(**server.connect_kwargs()) as conn:
        held = sorted(row[0] for row in conn.execute("SELECT op_id FROM commander.op"))
    assert held == everything  # carol's too, though she has not synced since the outage
    for data_dir, name, url in zip(dirs, NAMES, urls, strict=True):  # carol returns
        synced = cli(data_dir, name, "sync", "--server", url)
        assert synced.code == 0, synced.err
    states = [_state(data_dir) for data_dir in dirs]
    assert states[0] == states[1] == states[2]
    with psycopg.connect(**server.connect_kwargs()) as conn:
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT op_id) FROM commander.op"
        ).fetchone()
        on_server = sorted(row[0] for row in conn.execute("SELECT op_id FROM commander.op"))
    assert total == distinct == len(on_server)
    assert on_server == states[0]["ops"]  # each op stored once, none missing, none extra
    with connect(server) as pg:
        assert verify_server(pg).ok


def test_unknown_and_changed_keys_are_refused(tmp_path: Path) -> None:
    alice, bob, mallory = tmp_path / "alice", tmp_path / "bob", tmp_path / "mallory"
    _edit(bob, "bob", random.Random(1), 3, declare=True)
    _edit(mallory, "mallory", random.Random(2), 3, declare=True)
    before = _state(alice)
    server = PeerProcess(alice, "alice")
    try:
        refused = cli(mallory, "mallory", "peer", "sync", server.address)
        assert refused.code == 1 and "not admitted here" in refused.err
        assert "pending on their side" in refused.err
        assert len(refused.err.strip().splitlines()) == 1
        assert _state(alice) == before  # nothing of the unknown peer was applied
        pending = cli(alice, "alice", "peer", "list", "--json").json()
        assert [(p["status"], p["author"]) for p in pending] == [("pending", "mallory")]
        assert pending[0]["fingerprint"] == fingerprint_of(mallory, "mallory")

        introduce_and_admit(bob, "bob", alice, "alice", server.address)
        assert cli(bob, "bob", "peer", "sync", server.address).code == 0
        assert _state(alice)["ops"] == _state(bob)["ops"]
    finally:
        server.stop()

    # alice's laptop is reinstalled with a new key under the same node id (it never wrote)
    old = fingerprint_of(alice, "alice")
    node_key_files = list(alice.glob("node-key-*"))
    assert len(node_key_files) == 1
    node_key_files[0].unlink()
    assert fingerprint_of(alice, "alice") != old
    server = PeerProcess(alice, "alice")
    try:
        changed = cli(bob, "bob", "peer", "sync", server.address)
        assert changed.code == 1
        assert "now presents the key" in changed.err and "alice" in changed.err
        assert len(changed.err.strip().splitlines()) == 1
    finally:
        server.stop()


@pytest.mark.parametrize("direction", ["down", "up"])
def test_a_flipped_byte_fails_the_exchange_and_nothing_altered_is_applied(
    tmp_path: Path, direction: str
) -> None:
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    _edit(alice, "alice", random.Random(3), 40, declare=True)
    _edit(bob, "bob", random.Random(4), 40, declare=True)
    server = PeerProcess(alice, "alice")
    proxy = None
    try:
        introduce_and_admit(bob, "bob", alice, "alice", server.address)
        alice_before, bob_before = _state(alice), _state(bob)
        proxy = FlippingProxy(server.port, offset=3000, direction=direction)
        broken = cli(bob, "bob", "peer", "sync", proxy.address)
        assert proxy.flipped >= 1
        assert broken.code == 1 and "altered" in broken.err, broken.err
        receiver = bob if direction == "down" else alice
        assert _state(receiver) == (bob_before if direction == "down" else alice_before)
        for data_dir, name in ((alice, "alice"), (bob, "bob")):
            assert cli(data_dir, name, "verify").code == 0
        fixed = cli(bob, "bob", "peer", "sync", server.address, "--json")  # no proxy: fine
        assert fixed.code == 0, fixed.err
        assert _state(alice) == _state(bob)
    finally:
        if proxy is not None:
            proxy.close()
        server.stop()
