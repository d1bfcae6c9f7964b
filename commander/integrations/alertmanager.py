"""Polling Alertmanager: ``GET /api/v2/alerts`` on every configured source, over httpx.

Each source answers on its own: one that is down, slow, answers 500 or sends malformed JSON
becomes a ``SourceResult`` with one sentence in ``error`` ("am.example:9093 answered 500"),
and the other sources still count. Nothing here raises for a bad answer: a poller that
crashes on the first broken proxy is worse than no poller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from commander.core import limits
from commander.core.alerts import Alert, AlertPayloadError, parse_v2_alerts
from commander.core.errors import ValidationError
from commander.core.limits import load_json, size_text

if TYPE_CHECKING:  # httpx loads with the first poll, not with the window
    import httpx

ALERTS_PATH = "/api/v2/alerts"
BODY_LIMIT = limits.ALERT_PAYLOAD_MAX


@dataclass(frozen=True)
class SourceResult:
    """What one source answered: its alerts, or why there are none this time."""

    source: str
    alerts: list[Alert] = field(default_factory=list)
    error: str = ""
    reachable: bool = True  # False: no answer at all (offline, refused, timed out)

    @property
    def ok(self) -> bool:
        return not self.error


def host_of(url: str) -> str:
    """``am.example:9093``: how a source is named in a sentence."""
    parts = urlsplit(url)
    return parts.netloc or url


def fetch_alerts(
    source: str,
    *,
    client: httpx.Client,
    token: str | None,
    now: datetime,
    timeout: float = 10.0,
) -> SourceResult:
    """One ``GET /api/v2/alerts`` on ``source`` (active, silenced and inhibited alerts)."""
    import httpx

    host = host_of(source)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = client.get(source + ALERTS_PATH, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        return SourceResult(
            source, error=f"{host} did not answer within {timeout:g} s", reachable=False
        )
    except httpx.HTTPError as exc:
        reason = _reason(exc)
        return SourceResult(source, error=f"{host} is unreachable ({reason})", reachable=False)
    if response.status_code in (401, 403):
        hint = "check its bearer token" if token else "it needs a bearer token"
        return SourceResult(
            source, error=f"{host} refused the request ({response.status_code}); {hint}"
        )
    if response.status_code != 200:
        return SourceResult(source, error=f"{host} answered {response.status_code}")
    if len(response.content) > BODY_LIMIT:
        return SourceResult(
            source, error=f"{host} sent more than {size_text(BODY_LIMIT)}; not read"
        )
    try:
        data = load_json(response.content, what="its answer")
    except ValidationError as exc:
        return SourceResult(source, error=f"{host} sent malformed JSON: {exc}")
    try:
        alerts = parse_v2_alerts(data, source=source, now=now)
    except AlertPayloadError as exc:
        return SourceResult(source, error=f"{host} sent alerts we cannot read: {exc}")
    return SourceResult(source, alerts)


def poll_sources(
    sources: Sequence[str],
    *,
    token_for: Callable[[str], str | None],
    now: datetime,
    timeout: float = 10.0,
    client: httpx.Client | None = None,
) -> list[SourceResult]:
    """Every source once, in order; a failing source never hides the others' alerts."""
    import httpx

    own = client is None
    http = client or httpx.Client(follow_redirects=True)
    try:
        return [
            fetch_alerts(
                source, client=http, token=_token(token_for, source), now=now, timeout=timeout
            )
            for source in sources
        ]
    finally:
        if own:
            http.close()


def _token(token_for: Callable[[str], str | None], source: str) -> str | None:
    try:
        return token_for(source)
    except Exception:  # a broken keyring must not stop the poll; the 401 will say so
        return None


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    for known in ("Connection refused", "Name or service not known", "No route to host"):
        if known.lower() in text.lower():
            return known.lower()
    return text.split("\n")[0][:120]
