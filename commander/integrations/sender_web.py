"""The web channels over HTTPS with httpx: Slack and Teams incoming webhooks, PagerDuty's
Events API v2, the generic Standard Webhooks endpoint and Atlassian Statuspage.

Each ``send_*`` speaks one protocol and maps the server's answer to ``Delivered`` or to a
``DeliveryFailed`` that says whether a later attempt may succeed (429s carry ``Retry-After``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # httpx loads with the first delivery, not with the window
    import httpx

from commander.integrations.channel_settings import (
    PAGERDUTY_KEY,
    SLACK_URL,
    STATUSPAGE_KEY,
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSettings,
)
from commander.integrations.sender_base import (
    ANSWER_MAX,
    Delivered,
    DeliveryFailed,
    Outgoing,
    SecretSource,
    need,
)

LEGACY_TEAMS_HOST = "webhook.office.com"


def teams_url_warning(url: str) -> str:
    """A warning for a retired Office 365 connector URL, else ''."""
    if _host(url).endswith(LEGACY_TEAMS_HOST):
        return (
            "This is a legacy Office 365 connector URL (webhook.office.com); Microsoft has "
            "retired those. Create a Teams Workflows webhook and paste its URL."
        )
    return ""


def sign_standard_webhook(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256>`` over ``id.timestamp.body`` (Standard Webhooks).

    The secret is ``whsec_`` + base64 of the key, as the spec gives it; a secret without the
    prefix is used as raw bytes.
    """
    if secret.startswith("whsec_"):
        key = base64.b64decode(secret.removeprefix("whsec_"))
    else:
        key = secret.encode("utf-8")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def send_slack(message: Outgoing, *, secrets: SecretSource, client: httpx.Client) -> Delivered:
    url = need(secrets.get(SLACK_URL), "Slack", "incoming webhook URL")
    response = _post(client, "POST", url, json=message.payload)
    return Delivered(f"Slack: {_snippet(response)}")


def send_teams(message: Outgoing, *, secrets: SecretSource, client: httpx.Client) -> Delivered:
    url = need(secrets.get(TEAMS_URL), "Microsoft Teams", "Workflows webhook URL")
    response = _post(client, "POST", url, json=message.payload)
    return Delivered(f"accepted by Teams (HTTP {response.status_code})", accepted_only=True)


def send_pagerduty(
    message: Outgoing, *, settings: ChannelSettings, secrets: SecretSource, client: httpx.Client
) -> Delivered:
    key = need(secrets.get(PAGERDUTY_KEY), "PagerDuty", "Events API v2 routing key")
    body = {"routing_key": key, **message.payload}
    response = _post(client, "POST", settings.pagerduty_events_url, json=body)
    return Delivered(f"PagerDuty: {_json_answer(response, 'message', 'status')}")


def send_webhook(
    message: Outgoing, *, secrets: SecretSource, client: httpx.Client, now: datetime
) -> Delivered:
    url = need(secrets.get(WEBHOOK_URL), "The generic webhook", "URL")
    secret = need(secrets.get(WEBHOOK_SECRET), "The generic webhook", "signing secret")
    timestamp = int(now.timestamp())
    body = json.dumps(
        {**message.payload, "timestamp": now.isoformat().replace("+00:00", "Z")},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    try:
        signature = sign_standard_webhook(secret, message.id, timestamp, body)
    except ValueError:
        raise DeliveryFailed(
            "The webhook signing secret is not valid base64 after 'whsec_'.", final=True
        ) from None
    headers = {
        "content-type": "application/json",
        "webhook-id": message.id,  # the same id on every retry, so receivers can deduplicate
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }
    response = _post(client, "POST", url, content=body, headers=headers)
    return Delivered(f"Webhook: {_snippet(response)}")


def send_statuspage(
    message: Outgoing,
    *,
    settings: ChannelSettings,
    secrets: SecretSource,
    client: httpx.Client,
) -> Delivered:
    key = need(secrets.get(STATUSPAGE_KEY), "The status page", "API key")
    page = settings.statuspage_page_id.strip()
    if not page:
        raise DeliveryFailed(
            "The status page is not set up: add its page id in Comms → Channels…", final=True
        )
    base = settings.statuspage_api_base.rstrip("/")
    headers = {"Authorization": f"OAuth {key}"}
    if message.remote_id:  # an update of the status page incident opened earlier
        url = f"{base}/v1/pages/{page}/incidents/{message.remote_id}"
        response = _post(client, "PATCH", url, json=message.payload, headers=headers)
    else:
        url = f"{base}/v1/pages/{page}/incidents"
        response = _post(client, "POST", url, json=message.payload, headers=headers)
    try:
        answer = response.json()
        remote_id = str(answer["id"])
        status = str(answer.get("status", ""))
    except (ValueError, KeyError, TypeError):
        raise DeliveryFailed(
            f"The status page answered HTTP {response.status_code} without an incident id.",
            final=True,
        ) from None
    shortlink = answer.get("shortlink") or ""
    text = f"Status page incident {remote_id} is {status}" + (
        f" ({shortlink})" if shortlink else ""
    )
    return Delivered(text, remote_id=remote_id)


def check_statuspage(
    *, settings: ChannelSettings, secrets: SecretSource, client: httpx.Client
) -> str:
    """Read the page with the key: proves page id and key without posting anything public."""
    key = need(secrets.get(STATUSPAGE_KEY), "The status page", "API key")
    page = settings.statuspage_page_id.strip()
    if not page:
        raise DeliveryFailed("Enter the status page's page id.", final=True)
    url = f"{settings.statuspage_api_base.rstrip('/')}/v1/pages/{page}"
    response = _post(client, "GET", url, headers={"Authorization": f"OAuth {key}"})
    name = _json_answer(response, "name")
    return f"Status page “{name}” reachable with this key"


def _post(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request; any answer but 2xx becomes ``DeliveryFailed``, classified."""
    import httpx

    host = _host(url)
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise DeliveryFailed(f"{host} did not answer in time.", final=False) from None
    except httpx.TransportError as exc:
        raise DeliveryFailed(
            f"Cannot reach {host} ({exc or type(exc).__name__}).", final=False
        ) from None
    status = response.status_code
    if 200 <= status < 300:
        return response
    if status == 429:
        after = retry_after(response.headers.get("retry-after"), response)
        raise DeliveryFailed(
            f"{host} asked us to slow down (HTTP 429).", final=False, retry_after=after
        )
    if status == 408 or status >= 500:
        raise DeliveryFailed(f"{host} failed: HTTP {status} {_snippet(response)}", final=False)
    raise DeliveryFailed(
        f"{host} refused the message: HTTP {status} {_snippet(response)}", final=True
    )


def retry_after(value: str | None, response: httpx.Response | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    date = response.headers.get("date") if response is not None else None
    # The server's own clock when it says it (a skewed laptop waits what the server meant);
    # else this computer's.
    base = _http_date(date) if date else None
    if base is None:
        base = datetime.now(UTC)
    return max(0.0, (when - base).total_seconds())


def _http_date(text: str) -> datetime | None:
    """An HTTP date as an aware time; None when it does not read as one. ``-0000`` (no zone
    said) is read as UTC, as RFC 9110 dates are."""
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _host(url: str) -> str:
    import httpx

    try:
        return httpx.URL(url).host or "the server"
    except (httpx.InvalidURL, TypeError):
        return "the server"


def _snippet(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:ANSWER_MAX] or f"HTTP {response.status_code}"


def _json_answer(response: httpx.Response, *keys: str) -> str:
    try:
        data = response.json()
    except ValueError:
        return _snippet(response)
    for key in keys:
        if isinstance(data, dict) and data.get(key):
            return str(data[key])
    return _snippet(response)
