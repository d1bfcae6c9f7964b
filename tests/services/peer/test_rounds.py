"""What the window remembers of peer sync, and a round that goes on past a peer that fails."""

from __future__ import annotations

import socket
from datetime import UTC
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.services.peer.rounds import (
    SERVE_KEY,
    ServeSettings,
    add_address,
    dial_addresses,
    drop_fingerprint,
    exchange_round,
    load_serve,
    parse_address,
    save_serve,
)
from commander.services.workspace import Workspace
from commander.storage import oplog


def test_addresses_are_parsed_or_refused_in_one_sentence() -> None:
    assert parse_address(" 127.0.0.1:7455 ") == ("127.0.0.1", 7455)
    assert parse_address("[::1]:80") == ("::1", 80)
    for bad in ("127.0.0.1", "host:0", "host:70000", ":80", "host:port"):
        with pytest.raises(ValidationError, match="is not HOST:PORT"):
            parse_address(bad)


def test_serve_settings_round_trip_and_a_damaged_row_reads_as_unset(
    tmp_path: Path, clock: FakeClock
) -> None:
    ws = Workspace.open(tmp_path / "a", author="alice", clock=clock, zone=UTC)
    try:
        assert load_serve(ws) == ServeSettings(False, "127.0.0.1", 7455)
        save_serve(ws, ServeSettings(True, "10.0.0.5", 9000))
        assert load_serve(ws) == ServeSettings(True, "10.0.0.5", 9000)
        with ws.write() as conn:
            oplog.write_meta(conn, SERVE_KEY, "{not json")
        assert load_serve(ws) == ServeSettings()
    finally:
        ws.close()


def test_a_round_reports_each_unreachable_peer_and_goes_on(
    tmp_path: Path, clock: FakeClock
) -> None:
    ws = Workspace.open(tmp_path / "a", author="alice", clock=clock, zone=UTC)
    free = []
    for _ in range(2):  # two ports nothing listens on any more
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            free.append(sock.getsockname()[1])
    try:
        for port in free:
            add_address(ws, f"127.0.0.1:{port}")
        add_address(ws, f"127.0.0.1:{free[0]}")  # remembered once
        assert sorted(dial_addresses(ws)) == sorted(f"127.0.0.1:{port}" for port in free)
        result = exchange_round(ws)
        assert result.exchanged == [] and result.received == 0
        assert len(result.sentences) == 2
        assert all("Nothing listens at" in sentence for sentence in result.sentences)
        drop_fingerprint(ws, "ab12 cd34")  # no peer answered there: both stay
        assert len(dial_addresses(ws)) == 2
    finally:
        ws.close()
