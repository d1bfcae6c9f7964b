"""A Slack Web API on 127.0.0.1 for the import tests: one workspace whose channels hold
messages shaped as Slack documents them (``conversations.history`` newest first, paged with
``response_metadata.next_cursor`` and ``has_more``; ``conversations.replies`` with the
parent first; ``reactions``, ``edited``, thread parents with ``reply_count`` and
``latest_reply``, a deleted parent left as a ``tombstone``), ``users.info``, ``auth.test``,
and scripted ``429`` answers with ``Retry-After``."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
TEAM_URL = "https://acme-ops.slack.com/"
USERS = {
    "U061F7AUR": {"real_name": "Alice Ng", "display_name": "alice"},
    "U0G9QF9C6": {"real_name": "Bob Okafor", "display_name": ""},
    "W012A3CDE": {"real_name": "Carol Diaz", "display_name": "carol.d"},
}


@dataclass
class Call:
    method: str
    params: dict[str, str]
    authorization: str


class FakeSlack:
    """The channels, users and scripted failures; ``page_size`` caps every page so a few
    messages already span several pages."""

    def __init__(self, *, page_size: int = 2) -> None:
        self.page_size = page_size
        self.channels: dict[str, list[dict[str, Any]]] = {}
        self.replies: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.calls: list[Call] = []
        self.rate_limits: list[int] = []  # Retry-After of the next answers, one 429 each
        self.offline = False  # True: every connection is dropped without an answer
        self.lock = threading.Lock()
        self._seq = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if owner.offline:
                    self.close_connection = True
                    return
                split = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(split.query).items()}
                method = split.path.rsplit("/", 1)[-1]
                status, body, headers = owner.answer(
                    method, params, self.headers.get("Authorization", "")
                )
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/api/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # -- what people do in the channel ------------------------------------------------------

    def post(
        self,
        channel: str,
        user: str,
        text: str,
        at: datetime,
        *,
        reactions: tuple[str, ...] = (),
        thread_ts: str = "",
    ) -> str:
        """A message (a reply when ``thread_ts``); returns its ts."""
        with self.lock:
            self._seq += 1
            ts = f"{int(at.timestamp())}.{self._seq:06d}"
            message: dict[str, Any] = {
                "type": "message",
                "user": user,
                "text": text,
                "ts": ts,
                "team": "T061EG9R6",
                "blocks": [],
            }
            if reactions:
                message["reactions"] = [
                    {"name": name, "users": ["U0G9QF9C6"], "count": 1} for name in reactions
                ]
            if thread_ts:
                message["thread_ts"] = thread_ts
                message["parent_user_id"] = self._find(channel, thread_ts)["user"]
                self.replies.setdefault((channel, thread_ts), []).append(message)
                parent = self._find(channel, thread_ts)
                thread = self.replies[(channel, thread_ts)]
                parent.update(
                    thread_ts=thread_ts,
                    reply_count=len(thread),
                    reply_users=sorted({m["user"] for m in thread}),
                    reply_users_count=len({m["user"] for m in thread}),
                    latest_reply=ts,
                    is_locked=False,
                    subscribed=False,
                )
            else:
                self.channels.setdefault(channel, []).append(message)
            return ts

    def react(self, channel: str, ts: str, name: str) -> None:
        with self.lock:
            message = self._find(channel, ts)
            message.setdefault("reactions", []).append(
                {"name": name, "users": ["U061F7AUR"], "count": 1}
            )

    def edit(self, channel: str, ts: str, text: str, at: datetime) -> None:
        with self.lock:
            message = self._find(channel, ts)
            message["text"] = text
            message["edited"] = {"user": message["user"], "ts": f"{int(at.timestamp())}.000000"}

    def delete(self, channel: str, ts: str) -> None:
        """As Slack does: gone from history, or a tombstone when replies remain."""
        with self.lock:
            message = self._find(channel, ts)
            if message.get("reply_count"):
                for key in ("user", "text", "reactions", "edited", "blocks", "team"):
                    message.pop(key, None)
                message.update(
                    subtype="tombstone",
                    text="This message was deleted.",
                    user="USLACKBOT",
                    hidden=True,
                )
                return
            for messages in (*self.channels.values(), *self.replies.values()):
                if message in messages:
                    messages.remove(message)

    def _find(self, channel: str, ts: str) -> dict[str, Any]:
        for message in self.channels.get(channel, []):
            if message["ts"] == ts:
                return message
        for (chan, _parent), messages in self.replies.items():
            for message in messages:
                if chan == channel and message["ts"] == ts:
                    return message
        raise KeyError(ts)

    # -- the Web API ------------------------------------------------------------------------

    def answer(
        self, method: str, params: dict[str, str], authorization: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self.lock:
            self.calls.append(Call(method, params, authorization))
            if self.rate_limits:
                wait = self.rate_limits.pop(0)
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
            if authorization != f"Bearer {TOKEN}":
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            if method == "auth.test":
                return (
                    200,
                    {
                        "ok": True,
                        "url": TEAM_URL,
                        "team": "Acme Ops",
                        "user": "commander",
                        "team_id": "T061EG9R6",
                        "user_id": "U0BOT",
                        "bot_id": "B0BOT",
                    },
                    {},
                )
            if method == "users.info":
                return 200, self._user(params.get("user", "")), {}
            channel = params.get("channel", "")
            if channel not in self.channels:
                return 200, {"ok": False, "error": "channel_not_found"}, {}
            if method == "conversations.history":
                oldest = float(params.get("oldest") or 0)
                found = [m for m in self.channels[channel] if float(m["ts"]) > oldest]
                found.sort(key=lambda m: -float(m["ts"]))
                return 200, self._page(found, params, {"pin_count": 0}), {}
            if method == "conversations.replies":
                parent = self._find(channel, params["ts"])
                thread = sorted(
                    self.replies.get((channel, params["ts"]), []), key=lambda m: float(m["ts"])
                )
                page = self._page(thread, params, {})
                page["messages"] = [parent, *page["messages"]]
                return 200, page, {}
            return 200, {"ok": False, "error": "unknown_method"}, {}

    def _page(
        self, found: list[dict[str, Any]], params: dict[str, str], extra: dict[str, Any]
    ) -> dict[str, Any]:
        start = (
            int(base64.b64decode(params["cursor"]).decode().split(":")[1])
            if params.get("cursor")
            else 0
        )
        size = min(int(params.get("limit") or 100), self.page_size)
        chunk = [json.loads(json.dumps(m)) for m in found[start : start + size]]
        more = start + size < len(found)
        cursor = base64.b64encode(f"next_ts:{start + size}".encode()).decode() if more else ""
        return {
            "ok": True,
            "messages": chunk,
            "has_more": more,
            **extra,
            "response_metadata": {"next_cursor": cursor},
        }

    def _user(self, user_id: str) -> dict[str, Any]:
        known = USERS.get(user_id)
        if known is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {
                "id": user_id,
                "team_id": "T061EG9R6",
                "name": known["real_name"].split()[0].lower(),
                "deleted": False,
                "real_name": known["real_name"],
                "tz": "Europe/London",
                "profile": {
                    "real_name": known["real_name"],
                    "display_name": known["display_name"],
                },
                "is_bot": False,
            },
        }


def slack_server() -> Iterator[FakeSlack]:
    server = FakeSlack()
    try:
        yield server
    finally:
        server.close()
