"""What the window remembers about peer sync, and one round of exchanges with every peer.

Kept in the workspace's local ``meta`` table (never synced): whether this laptop lets peers
reach it and on which address and port, and the addresses it dials (typed in the *Laptop to
laptop* dialog). A peer's recorded address is where its last connection came from, which for
a peer that dialled in is a passing port; so the addresses to dial are kept apart, each with
the fingerprint of the peer that answered there last.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from commander.core.errors import CommanderError, ValidationError
from commander.services.peer.exchange import Exchanged
from commander.services.peer.net import DEFAULT_HOST, DEFAULT_PORT, sync_with
from commander.services.workspace import Workspace
from commander.storage import oplog

SERVE_KEY = "peer.serve"
DIAL_KEY = "peer.dial"
ROUND_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class ServeSettings:
    """Whether this laptop listens for peers, and where (loopback unless changed)."""

    serving: bool = False
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (IPv6 in brackets) as a host and a port, or one sentence why not."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValidationError(f"{text!r} is not HOST:PORT (for example 127.0.0.1:{DEFAULT_PORT}).")
    return host.strip("[]"), int(port)


def _read(ws: Workspace, key: str) -> Any:
    with ws.read() as conn:
        raw = oplog.read_meta(conn, key)
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None  # a damaged row reads as unset; the next save rewrites it


def _write(ws: Workspace, key: str, value: Any) -> None:
    with ws.write() as conn:
        oplog.write_meta(conn, key, json.dumps(value, sort_keys=True))


def load_serve(ws: Workspace) -> ServeSettings:
    value = _read(ws, SERVE_KEY)
    if not isinstance(value, dict):
        return ServeSettings()
    port = value.get("port")
    return ServeSettings(
        serving=value.get("serving") is True,
        host=str(value.get("host") or DEFAULT_HOST),
        port=port if isinstance(port, int) and 0 <= port < 65536 else DEFAULT_PORT,
    )


def save_serve(ws: Workspace, settings: ServeSettings) -> None:
    _write(
        ws,
        SERVE_KEY,
        {"serving": settings.serving, "host": settings.host, "port": settings.port},
    )


def dial_addresses(ws: Workspace) -> dict[str, str]:
    """The addresses to dial, each with the fingerprint last proven there ("" if none yet)."""
    value = _read(ws, DIAL_KEY)
    if not isinstance(value, dict):
        return {}
    return {str(address): str(found or "") for address, found in value.items()}


def add_address(ws: Workspace, text: str) -> str:
    """Remember ``HOST:PORT`` to dial; the normalised address."""
    host, port = parse_address(text)
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    known = dial_addresses(ws)
    known.setdefault(address, "")
    _write(ws, DIAL_KEY, known)
    return address


def drop_fingerprint(ws: Workspace, fingerprint: str) -> None:
    """Stop dialling the addresses where the peer with ``fingerprint`` answered."""
    known = {a: f for a, f in dial_addresses(ws).items() if f != fingerprint}
    _write(ws, DIAL_KEY, known)


@dataclass(frozen=True)
class Round:
    """One exchange with each address: what arrived, and one sentence per address."""

    exchanged: list[Exchanged]
    sentences: list[str]

    @property
    def received(self) -> int:
        return sum(done.received for done in self.exchanged)


def exchange_round(ws: Workspace, only: str | None = None) -> Round:
    """Exchange with every address to dial (or ``only`` that one); never raises for a peer.

    A peer that is pending, away or refused gives its one sentence and the round goes on.
    """
    known = dial_addresses(ws)
    addresses = [only] if only is not None else sorted(known)
    exchanged: list[Exchanged] = []
    sentences: list[str] = []
    for address in addresses:
        host, port = parse_address(address)
        try:
            done = sync_with(ws, host, port, timeout=ROUND_TIMEOUT_S)
        except CommanderError as exc:
            sentences.append(str(exc))
            continue
        exchanged.append(done)
        known[address] = done.peer_fingerprint
        sentences.append(
            f"Synced with {done.peer_author} at {address}: received {done.received:,}, "
            f"sent {done.sent:,}."
        )
    if exchanged:
        latest = dial_addresses(ws)  # the dialog may have added one meanwhile
        latest.update({a: f for a, f in known.items() if a in latest})
        _write(ws, DIAL_KEY, latest)
    return Round(exchanged, sentences)
