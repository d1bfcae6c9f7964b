"""Reading a Slack channel through the Web API: ``conversations.history`` for the channel,
``conversations.replies`` for its threads, ``users.info`` for names, ``auth.test`` for the
workspace address permalinks are built on.

Qt-free and network-only: it returns what Slack said as ``SlackMessage`` values and writes
nothing; the import service decides what becomes a timeline entry. Every failure a user can
cause or meet (a revoked token, a channel the bot is not in, no network) ends as one
``SlackError`` sentence; a ``429`` is waited out when Slack asks for a short pause
(``Retry-After``) and otherwise reported with the time to try again.

What a pass reads: the channel from ``oldest`` (paged newest first with
``response_metadata.next_cursor``), and the replies of every thread whose ``latest_reply``
changed since the last pass. A pass cut short (network, rate limit) returns what it had read
and says it was not complete, so its caller does not move its cursor past unread messages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from commander.core.errors import CommanderError, ValidationError

if TYPE_CHECKING:  # httpx loads with the first pass, not with the window
    import httpx

API_URL = "https://slack.com/api/"
PAGE_LIMIT = 200  # conversations.history and .replies accept up to 999; Slack suggests 200
MAX_WAIT = 30.0  # seconds: a longer Retry-After ends the pass, the next one tries again
MAX_RETRIES = 3  # 429s waited out in one call before giving up on the pass
# Message subtypes that are something someone said; joins, topic changes and the like are not.
SAID = frozenset({"", "bot_message", "thread_broadcast", "file_share", "me_message"})
DELETED = frozenset({"tombstone", "message_deleted"})
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
_ARCHIVES = re.compile(r"/archives/([CGD][A-Z0-9]{6,})(?:/|$|\?)")
_MENTION = re.compile(r"<([@#!])([^|>]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)


class SlackError(CommanderError):
    """Slack could not be read; the message is one sentence for the status bar.

    ``retry_at`` is set when Slack asked to wait (a rate limit) longer than a pass waits;
    ``code`` is Slack's error code when Slack answered ("" when it did not).
    """

    def __init__(self, message: str, *, retry_at: datetime | None = None, code: str = "") -> None:
        super().__init__(message)
        self.retry_at = retry_at
        self.code = code


@dataclass(frozen=True)
class SlackMessage:
    """One message as the import needs it; ``ts`` is Slack's id for it within the channel."""

    ts: str
    author: str  # the sender's display name (or id when users.info could not say)
    text: str  # plain text: mentions resolved, entities decoded
    permalink: str
    thread_ts: str = ""  # the parent's ts for a reply ("" for a top-level message)
    reactions: frozenset[str] = frozenset()  # reaction names, skin tones dropped
    edited: bool = False
    deleted: bool = False  # a tombstone or a message_deleted record: the message is gone

    @property
    def at(self) -> datetime:
        return ts_time(self.ts)


@dataclass
class ReadResult:
    """What one pass read. ``complete``: every page was read (the cursor may move on)."""

    messages: list[SlackMessage] = field(default_factory=list)
    threads: dict[str, str] = field(default_factory=dict)  # thread ts -> latest_reply read
    newest_ts: str = ""
    complete: bool = True
    error: SlackError | None = None
    requests: int = 0


def ts_time(ts: str) -> datetime:
    """A Slack ``ts`` ("1512085950.000216", seconds since the epoch) as a UTC time."""
    try:
        seconds, _dot, micros = ts.partition(".")
        whole = datetime.fromtimestamp(int(seconds), UTC)
        return whole + timedelta(microseconds=int((micros or "0")[:6].ljust(6, "0")))
    except (ValueError, OverflowError, OSError):
        raise ValidationError(f"Slack sent a message time {ts!r} that is not a time.") from None


def ts_of(when: datetime) -> str:
    """The Slack ``ts`` of a time (for ``oldest``)."""
    return f"{when.timestamp():.6f}"


def parse_channel(text: str) -> str:
    """A channel id (``C0123ABCD``) from the id itself or a channel link Slack copies."""
    text = text.strip().lstrip("#")
    if _CHANNEL_ID.match(text):
        return text
    found = _ARCHIVES.search(text)
    if found:
        return found.group(1)
    raise ValidationError(
        f"{text!r} is not a Slack channel id; copy the channel link (channel name → "
        "Copy link) or its id, which starts with C (or G for an old private channel)."
    )


def permalink(team_url: str, channel: str, ts: str, thread_ts: str = "") -> str:
    """The address Slack's "Copy link" gives, built instead of asked (one call less per
    message): ``<team>/archives/<channel>/p<ts without the dot>``, plus the thread."""
    link = f"{team_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return link


class SlackReader:
    """One bot token, one Slack workspace; ``users`` is the name cache kept between passes.

    Args:
        sleep: how a short ``Retry-After`` is waited out (tests pass a recorder).
        max_wait: the longest ``Retry-After`` waited out; a longer one ends the pass (0 in
            the window, whose workers must not sleep).
        now: the app's clock, for the time a long rate limit ends.
    """

    def __init__(
        self,
        token: str,
        *,
        api_url: str = API_URL,
        timeout: float = 10.0,
        sleep: Callable[[float], None],
        now: Callable[[], datetime],
        max_wait: float = MAX_WAIT,
        users: dict[str, str] | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        import httpx

        self._token = token
        self._api = api_url.rstrip("/") + "/"
        self._sleep = sleep
        self._max_wait = max_wait
        self._now = now
        self.users: dict[str, str] = users if users is not None else {}
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=False)
        self._own_client = client is None
        self.requests = 0

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> SlackReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one call ---------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        """One Web API method; a short 429 is waited out, anything else is one sentence."""
        import httpx

        wait = 0.0
        for _attempt in range(MAX_RETRIES + 1):
            self.requests += 1
            try:
                response = self._client.get(
                    self._api + method,
                    params=params,
                    headers={"Authorization": f"Bearer {self._token}"},
                )
            except httpx.TimeoutException:
                raise SlackError("Slack did not answer in time; it will be tried again.") from None
            except httpx.TransportError as exc:
                raise SlackError(
                    f"Slack is unreachable ({type(exc).__name__}); it will be tried again."
                ) from None
            if response.status_code == 429:
                wait = _retry_after(response.headers.get("Retry-After"))
                if wait > self._max_wait:
                    break
                self._sleep(wait)
                continue
            return self._answer(method, response)
        resume = self._now() + timedelta(seconds=wait)
        raise SlackError(
            f"Slack asked to wait {wait:.0f} s (rate limited); reading resumes then.",
            retry_at=resume,
        )

    def _answer(self, method: str, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 500:
            raise SlackError(
                f"Slack answered {method} with HTTP {response.status_code}; it will be tried again."
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise SlackError(
                f"Slack answered {method} with HTTP {response.status_code} and no JSON; "
                "check the API address."
            )
        if not data.get("ok"):
            raise SlackError(_error_sentence(method, data), code=str(data.get("error") or ""))
        return data

    # -- what a pass reads ------------------------------------------------------------------

    def team_url(self) -> str:
        """The workspace's address (``https://acme.slack.com/``), for permalinks."""
        return str(self.call("auth.test", {}).get("url") or "https://slack.com/")

    def user_name(self, user_id: str) -> str:
        """The name Slack shows for a user: display name, else real name, else handle."""
        if user_id in self.users:
            return self.users[user_id]
        try:
            user = self.call("users.info", {"user": user_id}).get("user") or {}
        except SlackError as exc:
            if exc.code not in ("user_not_found", "user_not_visible"):
                raise
            user = {}  # user_not_found, a deactivated guest: the id is still who said it
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or user_id
        )
        self.users[user_id] = str(name)
        return self.users[user_id]

    def pages(self, method: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Every page of a cursor-paginated method."""
        cursor = ""
        while True:
            page = self.call(method, {**params, "limit": str(PAGE_LIMIT), **_cursor(cursor)})
            yield page
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return

    def read(self, channel: str, *, oldest: str, threads: dict[str, str]) -> ReadResult:
        """The channel since ``oldest`` and the threads that moved; never raises
        ``SlackError`` (it is in ``result.error``, with what was read before it)."""
        result = ReadResult(threads=dict(threads))
        try:
            team = self.team_url()
            parents: list[dict[str, Any]] = []
            for page in self.pages("conversations.history", {"channel": channel, "oldest": oldest}):
                for raw in page.get("messages") or []:
                    message = self._message(raw, channel, team)
                    if message is not None:
                        result.messages.append(message)
                        if float(message.ts) > float(result.newest_ts or 0):
                            result.newest_ts = message.ts
                    if raw.get("reply_count") and raw.get("thread_ts") == raw.get("ts"):
                        parents.append(raw)
            for parent in parents:
                latest = str(parent.get("latest_reply") or "")
                if latest and threads.get(str(parent["ts"])) == latest:
                    continue
                result.messages += self._thread(channel, str(parent["ts"]), team)
                result.threads[str(parent["ts"])] = latest
        except SlackError as exc:
            result.complete = False
            result.error = exc
        result.requests = self.requests
        return result

    def _thread(self, channel: str, thread_ts: str, team: str) -> list[SlackMessage]:
        found = []
        for page in self.pages("conversations.replies", {"channel": channel, "ts": thread_ts}):
            for raw in page.get("messages") or []:
                if raw.get("ts") == thread_ts:
                    continue  # the parent leads every page; history already had it
                message = self._message(raw, channel, team)
                if message is not None:
                    found.append(message)
        return found

    def _message(self, raw: dict[str, Any], channel: str, team: str) -> SlackMessage | None:
        """A message dict from Slack, or None for what nobody said (joins, topic changes)."""
        subtype = str(raw.get("subtype") or "")
        if subtype == "message_changed" and isinstance(raw.get("message"), dict):
            return self._message({**raw["message"], "edited": True}, channel, team)
        if subtype in DELETED:
            ts = str(raw.get("deleted_ts") or raw.get("ts") or "")
            return (
                SlackMessage(ts=ts, author="", text="", permalink="", deleted=True) if ts else None
            )
        if subtype not in SAID or not raw.get("ts"):
            return None
        ts = str(raw["ts"])
        thread_ts = str(raw.get("thread_ts") or "")
        return SlackMessage(
            ts=ts,
            author=self._author(raw),
            text=self._plain(_said(raw)),
            permalink=permalink(team, channel, ts, thread_ts),
            thread_ts="" if thread_ts == ts else thread_ts,
            reactions=frozenset(
                str(r.get("name", "")).split("::")[0] for r in raw.get("reactions") or []
            ),
            edited=bool(raw.get("edited")),
        )

    def _author(self, raw: dict[str, Any]) -> str:
        if raw.get("user"):
            return self.user_name(str(raw["user"]))
        bot = raw.get("bot_profile") or {}
        return str(raw.get("username") or bot.get("name") or raw.get("bot_id") or "Slack")

    def _plain(self, text: str) -> str:
        """Slack's markup as people read it: ``<@U1>`` → ``@name``, links as their label."""

        def mention(found: re.Match[str]) -> str:
            sigil, target, label = found.group(1), found.group(2), found.group(3)
            if sigil == "@":
                return "@" + (label or self.user_name(target))
            if sigil == "#":
                return "#" + (label or target)
            if target.startswith("date^"):  # <!date^1392734382^{date_short}|Feb 18, 2014>
                return label or target
            return "@" + (label or target.split("^")[0]).lstrip("@")  # <!here>, <!subteam^S1>

        text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
        text = _MENTION.sub(mention, text)
        return html.unescape(text)


def _said(raw: dict[str, Any]) -> str:
    """The text of a message; for one without (a shared file, a bot's attachment) what it
    shows instead: the file's title, the attachment's fallback text."""
    text = str(raw.get("text") or "").strip()
    if text:
        return text
    files = [str(f.get("title") or f.get("name") or "") for f in raw.get("files") or []]
    if any(files):
        return "Shared file: " + ", ".join(f for f in files if f)
    for attachment in raw.get("attachments") or []:
        fallback = str(attachment.get("fallback") or attachment.get("text") or "").strip()
        if fallback:
            return fallback
    return ""


def _cursor(cursor: str) -> dict[str, str]:
    return {"cursor": cursor} if cursor else {}


def _retry_after(value: str | None) -> float:
    """Seconds from a ``Retry-After`` header; Slack sends whole seconds (1 when absent)."""
    try:
        return max(0.0, float(value or 1))
    except ValueError:
        return 1.0


def _error_sentence(method: str, data: dict[str, Any]) -> str:
    code = str(data.get("error") or "unknown_error")
    if code in _TOKEN_ERRORS:
        return (
            f"Slack refused the bot token ({code}); store a new one with 'commander slack token'."
        )
    if code == "not_in_channel":
        return "The bot is not in that channel; invite it there (/invite @your-bot) first."
    if code == "channel_not_found":
        return "Slack knows no such channel, or the bot cannot see it; check the channel id."
    if code == "missing_scope":
        needed = data.get("needed") or "channels:history"
        return f"The bot token lacks the {needed} scope; add it to the Slack app and reinstall it."
    if code == "ratelimited":
        return "Slack is rate limiting this app; reading resumes at the next pass."
    return f"Slack refused {method} ({code})."
