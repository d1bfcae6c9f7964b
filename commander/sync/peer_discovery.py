"""Finding peers on the local network: DNS-SD (mDNS) service ``_commander._tcp``.

``peer serve --announce`` registers the address it listens on with the node's author,
node id and key fingerprint in the TXT record; ``peer discover`` browses for a few seconds
and lists what answered. What discovery says is only a hint: the address is then synced
with as typed, and the key is proven (and must be admitted) by the TLS exchange itself.

mDNS runs only on the interface named (127.0.0.1 unless told otherwise), so nothing leaves
the machine unless the user names the laptop's network address. ``zeroconf`` is imported
when discovery is used, not when the CLI starts.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from commander.core.errors import ValidationError
from commander.core.records_json import JsonRecord, json_computed, json_field

SERVICE_TYPE = "_commander._tcp.local."
_LABEL = re.compile(r"[^A-Za-z0-9-]+")


@dataclass(frozen=True)
class Discovered(JsonRecord):
    """A peer that answered: where it listens and who it says it is (proven only by TLS)."""

    host: str = field(metadata=json_field(omit=True))
    port: int = field(metadata=json_field(omit=True))
    author: str
    node_id: str
    fingerprint: str

    JSON_COMPUTED = (json_computed("address", before="author"),)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def _interface(address: str) -> str:
    try:
        parsed = ipaddress.IPv4Address(address)
    except ValueError:
        raise ValidationError(
            f"{address!r} is not an IPv4 address of this machine (discovery runs on one)."
        ) from None
    if parsed.is_unspecified:
        raise ValidationError("Name the interface's own address, not 0.0.0.0, for discovery.")
    return str(parsed)


def _zeroconf(interface: str) -> Any:
    from zeroconf import IPVersion, Zeroconf

    try:
        return Zeroconf(interfaces=[interface], ip_version=IPVersion.V4Only)
    except OSError as exc:
        raise ValidationError(
            f"Cannot run discovery on {interface}: {exc.strerror or exc}."
        ) from None


class Announcer:
    """Announces one ``peer serve`` on its interface until ``close``."""

    def __init__(self, host: str, port: int, *, node_id: str, author: str, fingerprint: str):
        from zeroconf import ServiceInfo

        interface = _interface(host)
        label = _LABEL.sub("-", author).strip("-")[:40] or "commander"
        self._zc = _zeroconf(interface)
        self._info = ServiceInfo(
            SERVICE_TYPE,
            f"{label}-{node_id[-8:]}.{SERVICE_TYPE}",
            addresses=[socket.inet_aton(interface)],
            port=port,
            properties={"author": author[:200], "node": node_id, "fp": fingerprint},
            server=f"{label}-{node_id[-8:]}.local.",
        )
        self._zc.register_service(self._info)

    def close(self) -> None:
        self._zc.unregister_service(self._info)
        self._zc.close()


def discover(interface: str, seconds: float) -> list[Discovered]:
    """Browse ``_commander._tcp`` on ``interface`` for ``seconds``; what answered, sorted."""
    from zeroconf import ServiceBrowser, ServiceStateChange

    zc = _zeroconf(_interface(interface))
    found: dict[str, Discovered] = {}
    lock = threading.Lock()

    def changed(zeroconf: Any, service_type: str, name: str, state_change: Any) -> None:
        if state_change is not ServiceStateChange.Added:
            return
        info = zeroconf.get_service_info(service_type, name, 2000)
        peer = _peer(info) if info is not None else None
        if peer is not None:
            with lock:
                found[name] = peer

    handlers: list[Callable[..., None]] = [changed]
    browser = ServiceBrowser(zc, SERVICE_TYPE, handlers=handlers)
    try:
        threading.Event().wait(seconds)
    finally:
        browser.cancel()
        zc.close()
    with lock:
        return sorted(found.values(), key=lambda peer: (peer.author, peer.address))


def _peer(info: Any) -> Discovered | None:
    addresses = info.parsed_addresses()
    props = {
        (key or b"").decode("utf-8", "replace"): (value or b"").decode("utf-8", "replace")
        for key, value in info.properties.items()
    }
    if not addresses or not info.port:
        return None
    return Discovered(
        host=addresses[0],
        port=int(info.port),
        author=props.get("author", ""),
        node_id=props.get("node", ""),
        fingerprint=props.get("fp", ""),
    )
