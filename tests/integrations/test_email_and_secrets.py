"""Email through a real SMTP server on 127.0.0.1, and secrets that never touch a file."""

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
from commander.core.errors import ValidationError
from commander.integrations.channel_settings import (
    SECRET_NAMES,
    SLACK_URL,
    SMTP_PASSWORD,
    STATUSPAGE_KEY,
    WEBHOOK_SECRET,
    ChannelSecrets,
    ChannelSettings,
    KeyringUnavailable,
    check_ca_file,
    load_channel_settings,
    save_channel_settings,
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


def test_a_ca_file_that_cannot_be_used_is_refused_in_one_sentence(tmp_path: Path) -> None:
    check_ca_file("")  # none: the system's CAs only
    with pytest.raises(ValidationError, match="give the full path"):
        check_ca_file("ca.pem")
    with pytest.raises(ValidationError, match=r"ca\.pem does not exist\.$"):
        check_ca_file(str(tmp_path / "ca.pem"))
    (tmp_path / "junk.pem").write_text("not a certificate")
    with pytest.raises(ValidationError, match=r"cannot be used \(no PEM certificate in it\)"):
        check_ca_file(str(tmp_path / "junk.pem"))


def test_no_secret_reaches_the_workspace_or_the_settings_file(
    outbox, secrets, server, incident, workspace, memory_keyring
) -> None:
    values = {name: f"SECRET-{n}-{name}-x7q" for n, name in enumerate(SECRET_NAMES)}
    values[SLACK_URL] = server.url + "/services/SECRET-slack-path-x7q"
    values[WEBHOOK_SECRET] = "whsec_U0VDUkVULXdlYmhvb2sta2V5"
    for name, value in values.items():
        assert secrets.set(name, value) is not None
    settings = ChannelSettings(statuspage_page_id="pg1", smtp_host="mail", smtp_user="bob")
    save_channel_settings(workspace.data_dir, settings)
    outbox.queue(incident.id, "update", channel=Channel.SLACK)
    DeliveryEngine(outbox, settings=lambda: settings, secrets=secrets).run_once()
    assert server.requests  # the secret URL was used
    workspace.close()
    files = [p for p in Path(workspace.data_dir).iterdir() if p.is_file()]
    assert any(p.name == "channels.json" for p in files)
    assert any(p.name.startswith("workspace.sqlite3") for p in files)
    for path in files:
        data = path.read_bytes()
        for value in values.values():
            assert value.encode() not in data, f"{value} found in {path.name}"
        assert b"SECRET-" not in data and b"x7q" not in data
    service = secrets.store.service
    assert service.startswith("commander-channels/")  # keyed by this workspace
    assert memory_keyring.passwords[(service, STATUSPAGE_KEY)] == values[STATUSPAGE_KEY]
    assert load_channel_settings(workspace.data_dir) == settings


def test_without_a_keyring_secrets_are_refused_unless_session_only(data_dir: Path) -> None:
    # The suite's default backend is keyring's "fail" (tests/conftest.py): a headless box.
    secrets = ChannelSecrets(data_dir)
    assert not secrets.persistent
    with pytest.raises(KeyringUnavailable, match="No keyring can keep secrets"):
        secrets.set(SMTP_PASSWORD, "hunter2")
    assert secrets.get(SMTP_PASSWORD) == ""
    assert secrets.set(SMTP_PASSWORD, "hunter2", session_only=True) is None
    assert secrets.get(SMTP_PASSWORD) == "hunter2"
    # A new process (a new store) does not have it: it was never written anywhere.
    assert ChannelSecrets(data_dir).get(SMTP_PASSWORD) == ""
    assert not (data_dir / "secrets.json").exists()
