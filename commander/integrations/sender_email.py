"""Email over SMTP with smtplib: STARTTLS or implicit TLS, an optional CA file, and a
Message-ID that stays the same on every retry of one message."""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any

from commander.core.errors import ValidationError
from commander.integrations.channel_settings import SMTP_PASSWORD, ChannelSettings, check_ca_file
from commander.integrations.sender_base import Delivered, DeliveryFailed, Outgoing, SecretSource


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


def send_email(
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
