"""The peer transport: ``sync_with`` connects and exchanges; ``PeerServer`` listens.

Every connection begins with the preamble (``sync.peer_wire``), then TLS 1.3. An exchange
needs mutual TLS against the admitted peers' certificates; when the handshake is refused on
either side, the client asks for an introduction instead, which records each side as pending
on the other and explains the refusal in one sentence. Nothing but loopback is bound unless
the caller names another address.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from collections.abc import Callable

from commander.core.errors import CommanderError, ValidationError
from commander.core.signing import fingerprint
from commander.services.peer.admission import trusted_certificates
from commander.services.peer.exchange import Exchanged, client_exchange, server_exchange
from commander.services.peer.intro import ADMITTED, PENDING, client_introduce, server_introduce
from commander.services.workspace import Workspace
from commander.sync import peer_wire
from commander.sync.peer_tls import client_context, introduction_context, server_context

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7455
TIMEOUT_S = 60.0


def _connect(host: str, port: int, timeout: float) -> socket.socket:
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except ConnectionRefusedError:
        raise ValidationError(
            f"Nothing listens at {host}:{port} ('commander peer serve')."
        ) from None
    except TimeoutError:
        raise ValidationError(f"{host}:{port} did not answer within {timeout:g} s.") from None
    except OSError as exc:
        raise ValidationError(f"Cannot reach {host}:{port}: {exc.strerror or exc}.") from None


def sync_with(ws: Workspace, host: str, port: int, *, timeout: float = TIMEOUT_S) -> Exchanged:
    """One exchange both ways with the peer at ``host:port``.

    Raises:
        ValidationError: one sentence: the peer is not admitted (here or there; both are now
            pending), its key changed, or the connection failed or was altered (nothing
            altered is applied).
    """
    address = f"{host}:{port}"
    signer = ws.signer()
    trusted = trusted_certificates(ws)
    failure: Exception | None = None
    if trusted:
        sock = _connect(host, port, timeout)
        try:
            peer_wire.send_preamble(sock, peer_wire.EXCHANGE)
            with client_context(signer, trusted).wrap_socket(sock) as tls:
                return client_exchange(ws, tls, address)
        except (ssl.SSLError, peer_wire.PeerClosed, OSError) as exc:
            failure = exc  # refused by either side, or broken: the introduction tells which
        finally:
            sock.close()
    sentence = _introduce(ws, host, port, timeout)
    if sentence:
        raise ValidationError(sentence)
    if failure is None:
        raise ValidationError(
            f"Both sides admit each other now: run the sync with {address} again."
        )
    raise _broken(address, failure)


def _broken(address: str, exc: Exception) -> ValidationError:
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
    return ValidationError(
        f"The exchange with {address} failed: the connection was broken or altered on the way "
        f"({reason}); nothing altered was applied."
    )


def _introduce(ws: Workspace, host: str, port: int, timeout: float) -> str:
    sock = _connect(host, port, timeout)
    try:
        peer_wire.send_preamble(sock, peer_wire.INTRODUCE)
        with introduction_context(ws.signer(), server=False).wrap_socket(sock) as tls:
            return client_introduce(ws, tls, f"{host}:{port}")
    except (ssl.SSLError, OSError) as exc:
        raise _broken(f"{host}:{port}", exc) from None
    finally:
        sock.close()


class PeerServer:
    """Listens for peers on ``host:port`` (port 0: any free one) until ``stop`` is set.

    ``on_event`` gets one sentence per connection: an exchange, a first contact, a refusal;
    ``on_exchange`` gets each exchange that succeeded (the window refreshes when ops arrive).
    Both are called on the connection's thread.
    """

    def __init__(
        self,
        ws: Workspace,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        on_event: Callable[[str], None] = log.info,
        on_exchange: Callable[[Exchanged], None] | None = None,
        timeout: float = TIMEOUT_S,
    ) -> None:
        self._ws = ws
        self._on_event = on_event
        self._on_exchange = on_exchange
        self._timeout = timeout
        self._lock = threading.Lock()
        self._signer = ws.signer()
        try:
            self._listener = socket.create_server((host, port))
        except OSError as exc:
            raise ValidationError(
                f"Cannot listen on {host}:{port}: {exc.strerror or exc}."
            ) from None
        self.host, self.port = self._listener.getsockname()[:2]
        self.fingerprint = fingerprint(self._signer.public_key)

    def serve(self, stop: threading.Event) -> None:
        self._listener.settimeout(0.25)
        while not stop.is_set():
            try:
                conn, peer = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            address = f"{peer[0]}:{peer[1]}"
            threading.Thread(target=self._handle, args=(conn, address), daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _handle(self, conn: socket.socket, address: str) -> None:
        conn.settimeout(self._timeout)
        try:
            mode = peer_wire.read_preamble(conn)
            if mode == peer_wire.INTRODUCE:
                self._introduction(conn, address)
                return
            context = server_context(self._signer, trusted_certificates(self._ws))
            try:
                tls = context.wrap_socket(conn, server_side=True)
            except ssl.SSLError:
                self._on_event(f"refused {address}: it did not prove an admitted key")
                return
            with tls:
                done = server_exchange(self._ws, tls, address, self._lock)
            self._on_event(
                f"synced with {done.peer_author} ({done.peer_fingerprint}) at {address}: "
                f"received {done.received:,}, sent {done.sent:,}"
            )
            if self._on_exchange is not None:
                self._on_exchange(done)
        except (CommanderError, OSError) as exc:
            self._on_event(f"the exchange with {address} failed: {exc}")
        finally:
            conn.close()

    def _introduction(self, conn: socket.socket, address: str) -> None:
        context = introduction_context(self._signer, server=True)
        with context.wrap_socket(conn, server_side=True) as tls, self._lock:
            status = server_introduce(self._ws, tls, address)
        if status == PENDING:
            self._on_event(f"first contact from {address}: pending ('commander peer list')")
        elif status != ADMITTED:
            self._on_event(status)
