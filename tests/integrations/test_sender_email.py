"""Email through a real SMTP server on 127.0.0.1 (aiosmtpd): subject and body, refused
recipients, STARTTLS required when asked, an untrusted certificate and a CA file that trusts it."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from commander.core.channels import Channel
from commander.integrations.channel_settings import (
    ChannelSettings,
)
from commander.services.delivery import DeliveryEngine
from tests.integrations.tls_server import make_certificate


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, _Inbox]]:
    inbox = _Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    yield controller, inbox
    controller.stop()


def _settings(controller: Controller, **extra) -> ChannelSettings:  # type: ignore[no-untyped-def]
    values = {
        "smtp_host": "127.0.0.1",
        "smtp_port": controller.port,
        "smtp_starttls": False,
        "email_from": "commander@example.com",
        "email_to": ("oncall@example.com",),
        "timeout_seconds": 5.0,
    }
    values.update(extra)
    return ChannelSettings(**values)


def test_email_is_delivered_with_subject_and_body(outbox, secrets, smtp, incident, clock) -> None:
    controller, inbox = smtp
    settings = _settings(controller, email_to=("oncall@example.com", "exec@example.com"))
    clock.advance(timedelta(minutes=3))
    item = outbox.queue(incident.id, "initial", channel=Channel.EMAIL)
    DeliveryEngine(outbox, settings=lambda: settings, secrets=secrets).run_once()
    (envelope,) = inbox.envelopes
    assert envelope.rcpt_tos == ["oncall@example.com", "exec@example.com"]
    # Parsed back as a mail reader would, with the standard library's RFC 5322 policy.
    parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
    assert not parsed.defects
    assert parsed["Date"].datetime == clock.now()  # RFC 5322 §3.6.1: origination date
    assert str(parsed["Date"]) == "Sat, 28 Nov 2026 10:03:00 +0000"
    assert parsed["Message-ID"] == f"<{item.id}@example.com>"  # the same on every retry
    assert parsed["From"].addresses[0].addr_spec == "commander@example.com"
    assert [a.addr_spec for a in parsed["To"].addresses] == [
        "oncall@example.com",
        "exec@example.com",
    ]
    assert parsed["Subject"] == "INCIDENT ALERT - P1 - api-gateway"
    mail = message_from_bytes(envelope.content)
    text = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
    assert text.startswith("INCIDENT ALERT - P1\n\nService: api-gateway\n")
    done = outbox.outbox_item(item.id)
    assert done.state == "sent" and done.answer == "Sent by email to 2 recipient(s)"


def test_refused_recipients_are_reported(outbox, secrets, smtp, incident) -> None:
    controller, _ = smtp
    partly = _settings(controller, email_to=("oncall@example.com", "nobody@example.com"))
    item = outbox.queue(incident.id, "initial", channel=Channel.EMAIL)
    DeliveryEngine(outbox, settings=lambda: partly, secrets=secrets).run_once()
    answer = outbox.outbox_item(item.id).answer
    assert answer.startswith("Sent by email; refused: nobody@example.com (550")
    nobody = _settings(controller, email_to=("nobody@example.com",))
    item = outbox.queue(incident.id, "initial", channel=Channel.EMAIL)
    DeliveryEngine(outbox, settings=lambda: nobody, secrets=secrets).run_once()
    failed = outbox.outbox_item(item.id)
    assert failed.state == "failed" and "refused every recipient" in failed.error


def test_starttls_is_required_when_asked_for(outbox, secrets, smtp, incident) -> None:
    controller, inbox = smtp
    settings = _settings(controller, smtp_starttls=True)
    item = outbox.queue(incident.id, "initial", channel=Channel.EMAIL)
    DeliveryEngine(outbox, settings=lambda: settings, secrets=secrets).run_once()
    failed = outbox.outbox_item(item.id)
    assert failed.state == "failed" and "does not offer STARTTLS" in failed.error
    assert inbox.envelopes == []


@pytest.fixture
def smtp_tls(tmp_path: Path) -> Iterator[tuple[Controller, _Inbox, Path]]:
    """aiosmtpd on 127.0.0.1 that requires STARTTLS, with a self-signed certificate."""
    # real clock: OpenSSL checks the certificate against the system time, not the app's clock.
    now = datetime.now(UTC)
    cert, key, _ = make_certificate(tmp_path, now=now, valid_for=timedelta(days=30))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = _Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        ready_timeout=5,
        tls_context=context,
        require_starttls=True,
    )
    controller.start()
    yield controller, inbox, cert
    controller.stop()


@pytest.mark.real_clock  # OpenSSL judges the certificate by the system time
def test_an_untrusted_certificate_fails_once_clearly_and_a_ca_file_trusts_it(
    outbox, secrets, smtp_tls, incident
) -> None:
    controller, inbox, cert = smtp_tls
    untrusted = _settings(controller, smtp_starttls=True)
    engine = DeliveryEngine(outbox, settings=lambda: untrusted, secrets=secrets)
    item = outbox.queue(incident.id, "initial", channel=Channel.EMAIL)
    assert engine.run_once().failed == [item.id]
    failed = outbox.outbox_item(item.id)
    assert failed.state == "failed" and failed.attempts == 1
    assert f"127.0.0.1:{controller.port}: certificate not trusted: self-signed certificate" in (
        failed.error
    )
    assert "CA file" in failed.error and "Cannot reach" not in failed.error
    assert engine.run_once().attempted == 0  # final: not retried behind the user's back
    assert inbox.envelopes == []

    trusted = _settings(controller, smtp_starttls=True, smtp_ca_file=str(cert))
    engine = DeliveryEngine(outbox, settings=lambda: trusted, secrets=secrets)
    outbox.retry(item.id)
    assert engine.run_once().sent == [item.id]
    (envelope,) = inbox.envelopes
    assert BytesParser(policy=policy.default).parsebytes(envelope.content)["Message-ID"] == (
        f"<{item.id}@example.com>"
    )
