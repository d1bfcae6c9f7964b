"""A TCP proxy on 127.0.0.1 in front of PostgreSQL's unix socket, that can misbehave.

Modes: ``forward`` (plain relay); ``cut_after_commit`` (relays the client's COMMIT to the
server, then drops the server's answer and closes both sides: the server committed, the
client never saw it); ``blackhole`` (accepts and never answers: a hung server).
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from pathlib import Path


class Proxy:
    def __init__(self, socket_path: Path, mode: str = "forward") -> None:
        self.socket_path = str(socket_path)
        self.mode = mode
        self.cuts = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._sockets.append(client)
            if self.mode == "blackhole":
                continue
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self.socket_path)
            self._sockets.append(upstream)
            relay = threading.Thread(target=self._relay, args=(client, upstream), daemon=True)
            relay.start()
            self._threads.append(relay)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        commit_sent = False
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([client, upstream], [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        if self.mode == "cut_after_commit" and b"COMMIT\x00" in data:
                            commit_sent = True
                        upstream.sendall(data)
                    elif commit_sent:
                        self.cuts += 1
                        self.mode = "forward"  # cut once; later connections work
                        return  # drop the server's answer to COMMIT, close both sides
                    else:
                        client.sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.close()
