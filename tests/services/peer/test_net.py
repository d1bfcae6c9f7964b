"""``sync_with`` and ``PeerServer``: real TLS on 127.0.0.1, admission both ways, refusals."""

from __future__ import annotations

import re
import socket
import ssl
import threading

import pytest

from commander.core.errors import NotFoundError, ValidationError
from commander.core.signing import fingerprint
from commander.services.incidents import IncidentService
from commander.services.peer.admission import admit, forget, list_peers
from commander.services.peer.exchange import Exchanged
from commander.services.peer.net import PeerServer, sync_with
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.sync import peer_wire


def _ops(ws: Workspace) -> list[str]:
    with ws.read() as conn:
        return sorted(op.op_id for op in queries.ops_in_chain_order(conn))


def _first(events: list[str]) -> list[str]:
    """The server's events once there is one: its connection thread reports after the client."""
    for _ in range(100):
        if events:
            break
        threading.Event().wait(0.05)
    return events


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_admit_sync_forget(make, serve) -> None:
    alice, bob = make("alice"), make("bob")
    IncidentService(alice).declare(title="API down", severity="P1")
    server, events = serve(alice)
    with pytest.raises(ValidationError, match="not admitted here"):
        sync_with(bob, "127.0.0.1", server.port)
    alice_fp, bob_fp = fingerprint(alice.signer().public_key), fingerprint(bob.signer().public_key)
    assert [(p.status, p.fingerprint) for p in list_peers(bob)] == [("pending", alice_fp)]
    assert [(p.status, p.author) for p in list_peers(alice)] == [("pending", "bob")]
    with pytest.raises(NotFoundError, match="No pending peer"):
        admit(bob, "0000 0000")
    admit(bob, alice_fp.replace(" ", "").upper())
    with pytest.raises(ValidationError, match="already admitted"):
        admit(bob, alice_fp)
    with pytest.raises(ValidationError, match="pending on their side"):
        sync_with(bob, "127.0.0.1", server.port)  # admitted here, not yet there
    admit(alice, bob_fp)
    done = sync_with(bob, "127.0.0.1", server.port)
    assert done.received == len(_ops(alice)) and done.sent == 0
    assert _ops(alice) == _ops(bob)
    assert [p.behind for p in list_peers(bob)] == [0]
    IncidentService(alice).declare(title="Queue stuck", severity="P2")
    assert sync_with(bob, "127.0.0.1", server.port).received > 0

    forget(alice, bob_fp)
    with pytest.raises(ValidationError, match="pending on their side"):
        sync_with(bob, "127.0.0.1", server.port)
    assert any("first contact" in event for event in events)
    with pytest.raises(NotFoundError):
        forget(alice, "abcd")


def test_a_client_without_an_admitted_certificate_gets_nothing(make, serve) -> None:
    alice = make("alice")
    IncidentService(alice).declare(title="API down", severity="P1")
    server, events = serve(alice)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        peer_wire.send_preamble(sock, peer_wire.EXCHANGE)
        with (
            pytest.raises((ssl.SSLError, OSError, ValidationError)),
            context.wrap_socket(sock) as tls,
        ):
            peer_wire.send_json(tls, {"node_id": "x", "author": "x", "heads": {}})
            peer_wire.read_json(tls)
    assert _first(events) and "did not prove an admitted key" in events[0]


def test_nothing_listening_is_one_sentence(make) -> None:
    port = _free_port()
    with pytest.raises(ValidationError, match=rf"^Nothing listens at 127\.0\.0\.1:{port} "):
        sync_with(make("bob"), "127.0.0.1", port)


def test_a_port_in_use_cannot_be_listened_on(make, serve) -> None:
    alice = make("alice")
    server, _events = serve(alice)
    with pytest.raises(ValidationError, match=rf"^Cannot listen on 127\.0\.0\.1:{server.port}: "):
        PeerServer(alice, "127.0.0.1", server.port)


def test_the_server_reports_each_exchange_and_hands_it_on(make) -> None:
    alice, bob = make("alice"), make("bob")
    IncidentService(bob).declare(title="Queue stuck", severity="P2")
    events: list[str] = []
    exchanged: list[Exchanged] = []
    server = PeerServer(
        alice, "127.0.0.1", 0, on_event=events.append, on_exchange=exchanged.append, timeout=10
    )
    alice_fp = fingerprint(alice.signer().public_key)
    assert (server.host, server.fingerprint) == ("127.0.0.1", alice_fp)
    stop = threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        with pytest.raises(ValidationError):
            sync_with(bob, "127.0.0.1", server.port)
        assert re.fullmatch(
            r"first contact from 127\.0\.0\.1:\d+: pending \('commander peer list'\)",
            _first(events)[0],
        )
        admit(alice, fingerprint(bob.signer().public_key))
        admit(bob, fingerprint(alice.signer().public_key))
        events.clear()
        done = sync_with(bob, "127.0.0.1", server.port)
        assert (done.sent, done.received) == (len(_ops(bob)), 0)
        _first(events)
        assert events[0].startswith(
            f"synced with bob ({fingerprint(bob.signer().public_key)}) at 127.0.0.1:"
        )
        assert events[0].endswith(f": received {done.sent:,}, sent 0")
        assert [(e.peer_author, e.received) for e in exchanged] == [("bob", done.sent)]
    finally:
        stop.set()
        thread.join(5)
        server.close()
    assert _ops(alice) == _ops(bob)
