"""Delivering one message to one channel: httpx for the web channels, smtplib for email.

A sender either returns ``Delivered`` (with the server's answer) or raises ``DeliveryFailed``
saying whether trying again could help (``final``) and when the server asked us to
(``retry_after``, from a 429's ``Retry-After``). The retry schedule itself lives in the
delivery engine (``commander.services.delivery``); this module only speaks each protocol.

Secrets are read here, at the moment of sending, so the queued payload never holds one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # httpx loads with the first delivery, not with the window
    import httpx

from commander.core.channels import Channel
from commander.core.errors import ValidationError
from commander.integrations.channel_settings import (
    PAGERDUTY_KEY,
    SLACK_URL,
    SMTP_PASSWORD,
    STATUSPAGE_KEY,
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSettings,
    check_ca_file,
)

LEGACY_TEAMS_HOST = "webhook.office.com"


class SecretSource(Protocol):
    """Where senders read secrets: ``ChannelSecrets``, or a settings form not yet saved."""

    def get(self, name: str) -> str: ...


ANSWER_MAX = 300


@dataclass(frozen=True)
class Outgoing:
    """A queued message as a sender needs it."""

    id: str
    incident_id: str
    channel: Channel
    subject: str
    body: str
    payload: dict[str, Any]
    remote_id: str | None = None  # e.g. the status page incident an update belongs to


@dataclass(frozen=True)
class Delivered:
    """The server took the message.

    Attributes:
        answer: what the server said, for the outbox.
        accepted_only: the server only queued it (Teams says "accepted", not "delivered").
        remote_id: the server's id for what was created (status page incident).
    """

    answer: str
    accepted_only: bool = False
    remote_id: str | None = None


class DeliveryFailed(Exception):
    """A delivery attempt failed; ``str(err)`` is the reason a user reads."""

    def __init__(self, reason: str, *, final: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.final = final
        self.retry_after = retry_after


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


def deliver(
    message: Outgoing,
    *,
    settings: ChannelSettings,
    secrets: SecretSource,
    client: httpx.Client,
    now: datetime,
) -> Delivered:
    """Send ``message`` once.

    Raises:
        DeliveryFailed: with ``final`` False when a later attempt may succeed.
    """
    channel = message.channel
    if channel is Channel.SLACK:
        url = _need(secrets.get(SLACK_URL), "Slack", "incoming webhook URL")
        response = _post(client, "POST", url, json=message.payload)
        return Delivered(f"Slack: {_snippet(response)}")
    if channel is Channel.TEAMS:
        url = _need(secrets.get(TEAMS_URL), "Microsoft Teams", "Workflows webhook URL")
        response = _post(client, "POST", url, json=message.payload)
        return Delivered(f"accepted by Teams (HTTP {response.status_code})", accepted_only=True)
    if channel is Channel.WEBHOOK:
        return _webhook(message, secrets=secrets, client=client, now=now)
    if channel is Channel.STATUSPAGE:
        return _statuspage(message, settings=settings, secrets=secrets, client=client)
    if channel is Channel.PAGERDUTY:
        key = _need(secrets.get(PAGERDUTY_KEY), "PagerDuty", "Events API v2 routing key")
        body = {"routing_key": key, **message.payload}
        response = _post(client, "POST", settings.pagerduty_events_url, json=body)
        return Delivered(f"PagerDuty: {_json_answer(response, 'message', 'status')}")
    if channel is Channel.EMAIL:
        return _email(message, settings=settings, secrets=secrets, now=now)
    raise DeliveryFailed(f"{channel.label} messages are not sent by Commander.", final=True)


def _need(value: str, channel: str, what: str) -> str:
    if not value:
        raise DeliveryFailed(
            f"{channel} is not set up: add its {what} in Comms → Channels…", final=True
        )
    return value


def _webhook(
    message: Outgoing, *, secrets: SecretSource, client: httpx.Client, now: datetime
) -> Delivered:
    url = _need(secrets.get(WEBHOOK_URL), "The generic webhook", "URL")
    secret = _need(secrets.get(WEBHOOK_SECRET), "The generic webhook", "signing secret")
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


def _statuspage(
    message: Outgoing,
    *,
    settings: ChannelSettings,
    secrets: SecretSource,
    client: httpx.Client,
) -> Delivered:
    key = _need(secrets.get(STATUSPAGE_KEY), "The status page", "API key")
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
    key = _need(secrets.get(STATUSPAGE_KEY), "The status page", "API key")
    page = settings.statuspage_page_id.strip()
    if not page:
        raise DeliveryFailed("Enter the status page's page id.", final=True)
    url = f"{settings.statuspage_api_base.rstrip('/')}/v1/pages/{page}"
    response = _post(client, "GET", url, headers={"Authorization": f"OAuth {key}"})
    name = _json_answer(response, "name")
    return f"Status page “{name}” reachable with this key"


def message_id(outgoing_id: str, sender: str) -> str:
    """``<outbox id@sender's domain>``: the same on every retry of one message.

    A retry that reaches the recipient twice (a sender whose lease ran out) is then the same
    message to the mail system, not a second one; ``make_msgid`` would differ on each try
    and ask DNS for this host's name.
    """
    domain = parseaddr(sender)[1].rpartition("@")[2] or "commander.invalid"
    return f"<{outgoing_id}@{domain}>"


def email_message(message: Outgoing, *, settings: ChannelSettings, now: datetime) -> EmailMessage:
    """The mail as sent: From, To, Subject, Date (RFC 5322 §3.6) and a stable Message-ID."""
    mail = EmailMessage()
    mail["Subject"] = message.payload["subject"]
    mail["From"] = settings.email_from
    mail["To"] = ", ".join(settings.email_to)
    mail["Date"] = format_datetime(now.astimezone(UTC))
    mail["Message-ID"] = message_id(message.id, settings.email_from)
    mail.set_content(message.payload["body"])
    return mail


def _email(
    message: Outgoing, *, settings: ChannelSettings, secrets: SecretSource, now: datetime
) -> Delivered:
    if not settings.smtp_host or not settings.email_from or not settings.email_to:
        raise DeliveryFailed(
            "Email is not set up: add the SMTP host, sender and recipients in Comms → Channels…",
            final=True,
        )
    mail = email_message(message, settings=settings, now=now)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds
        ) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                if not smtp.has_extn("starttls"):
                    raise DeliveryFailed(
                        f"{settings.smtp_host} does not offer STARTTLS; Commander will not "
                        "send the password or the message in clear text.",
                        final=True,
                    )
                smtp.starttls(context=_tls_context(settings))
                smtp.ehlo()
            password = secrets.get(SMTP_PASSWORD)
            if settings.smtp_user:
                smtp.login(settings.smtp_user, password)
            refused = smtp.send_message(mail)
    except ssl.SSLCertVerificationError as exc:
        # Trying again cannot make a certificate trusted: a final answer saying what to do.
        raise DeliveryFailed(
            f"The mail server {settings.smtp_host}:{settings.smtp_port}: certificate not "
            f"trusted: {exc.verify_message or exc.reason}. If it is signed by a private CA, "
            "set that CA file in Comms → Channels… → Email.",
            final=True,
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryFailed(
            f"The mail server refused every recipient: {_refused_text(exc.recipients)}",
            final=True,
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryFailed(
            f"The mail server refused the login ({exc.smtp_code}).", final=True
        ) from None
    except smtplib.SMTPResponseException as exc:
        text = _smtp_text(exc.smtp_error)
        raise DeliveryFailed(
            f"The mail server answered {exc.smtp_code} {text}", final=exc.smtp_code >= 500
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(
            f"Cannot reach the mail server {settings.smtp_host}:{settings.smtp_port} ({exc}).",
            final=False,
        ) from None
    if refused:
        return Delivered(f"Sent by email; refused: {_refused_text(refused)}")
    return Delivered(f"Sent by email to {len(settings.email_to)} recipient(s)")


def _tls_context(settings: ChannelSettings) -> ssl.SSLContext:
    """The system's CAs, plus the channel's CA file when one is set."""
    try:
        check_ca_file(settings.smtp_ca_file)
    except ValidationError as err:
        raise DeliveryFailed(str(err), final=True) from None
    context = ssl.create_default_context()
    if settings.smtp_ca_file:
        context.load_verify_locations(cafile=str(Path(settings.smtp_ca_file).expanduser()))
    return context


def _smtp_text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _refused_text(refused: dict[str, Any]) -> str:
    parts = []
    for address, (code, text) in refused.items():
        parts.append(f"{address} ({code} {_smtp_text(text)})")
    return "; ".join(parts)


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
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    date = response.headers.get("date") if response is not None else None
    base = parsedate_to_datetime(date) if date else None
    if base is None:
        base = datetime.now(UTC)
    return max(0.0, (when - base).total_seconds())


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
