"""DNS-SD on loopback: ``peer serve --announce`` is found by ``peer discover``, then synced with.

mDNS runs on the 127.0.0.1 interface only (both commands default to it), so nothing leaves
this machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync.peer_helpers import PeerProcess, cli, fingerprint_of

pytestmark = pytest.mark.slow


def test_an_announced_peer_is_discovered_and_its_key_still_proven_by_sync(tmp_path: Path) -> None:
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    server = PeerProcess(alice, "alice", "--announce")
    try:
        found = cli(bob, "bob", "peer", "discover", "--seconds", "3", "--json")
        assert found.code == 0, found.err
        peers = [peer for peer in found.json() if peer["address"] == server.address]
        assert len(peers) == 1, found.out
        assert peers[0]["author"] == "alice"
        assert peers[0]["fingerprint"] == fingerprint_of(alice, "alice")
        first = cli(bob, "bob", "peer", "sync", peers[0]["address"])  # first contact
        assert first.code == 1 and "not admitted here" in first.err
        listed = cli(bob, "bob", "peer", "list", "--json").json()
        assert [p["fingerprint"] for p in listed] == [peers[0]["fingerprint"]]  # proven by TLS
    finally:
        server.stop()
    refused = cli(bob, "bob", "peer", "discover", "--interface", "0.0.0.0")
    assert refused.code == 1 and "0.0.0.0" in refused.err
