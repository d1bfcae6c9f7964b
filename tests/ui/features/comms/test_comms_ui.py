"""Compose → preview → send → the outbox shows it sent, against a real local Slack stand-in."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import keyring
import pytest
from PySide6.QtGui import QGuiApplication

from commander.core.channels import Channel
from commander.core.templates import Audience
from commander.integrations.channel_settings import SLACK_URL, TEAMS_URL, load_channel_settings
from commander.integrations.secrets import MemoryKeyring
from commander.ui.features.comms.outbox_model import COL_ANSWER, COL_STATE
from commander.ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def slack() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            received.append(json.loads(body))
            self.send_response(200)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", received
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def p1(window: MainWindow):  # type: ignore[no-untyped-def]
    incident = window._service.declare(
        title="Customer API down", severity="P1", services=["api"], impact="Errors"
    ).incident
    window.refresh()
    window.select_incident(incident.id)
    return incident


def test_compose_preview_send_and_the_outbox_shows_sent(
    qtbot, window: MainWindow, p1, slack
) -> None:  # type: ignore[no-untyped-def]
    url, received = slack
    window.comms.secrets.set(SLACK_URL, url)
    window.comms.outbox_panel.worker_timer.stop()  # the test drives delivery
    window.comms.action_compose.trigger()
    dialog = window.comms.dialog
    dialog.set_choice(template="update", audience=Audience.INTERNAL, channel=Channel.SLACK)
    assert "eta" in dialog.empty_label.text().lower()
    dialog.field_edits["eta"].setText("11:30")
    assert "ETA: 11:30" in dialog.preview_browser.toPlainText()
    assert "Blocks: 6 / 50" in dialog.counters_label.text()
    assert json.loads(dialog.payload_view.toPlainText())["blocks"][0]["type"] == "header"
    assert dialog.send_button.isEnabled()
    dialog.send_button.click()
    assert not dialog.isVisible()
    model = window.comms.outbox_panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 1 and model.item_at(0).state == "sent")
    assert model.index(0, COL_STATE).data().startswith("Sent ")
    assert model.index(0, COL_ANSWER).data() == "Slack: ok"
    assert "ETA: 11:30" in received[0]["blocks"][2]["text"]["text"]
    qtbot.waitUntil(
        lambda: any(
            "Internal update sent via Slack" in window.timeline_model.entry_at(r).event
            for r in range(window.timeline_model.rowCount())
        )
    )


def test_a_failed_message_shows_its_reason_and_retries(qtbot, window: MainWindow, p1) -> None:  # type: ignore[no-untyped-def]
    panel = window.comms.outbox_panel
    panel.worker_timer.stop()
    item = window.comms.outbox.queue(p1.id, "initial", channel=Channel.TEAMS)
    panel.deliver_now()
    qtbot.waitUntil(
        lambda: panel.model.rowCount() == 1 and panel.model.item_at(0).state == "failed"
    )
    assert "Microsoft Teams is not set up" in panel.model.index(0, COL_ANSWER).data()
    panel.view.selectRow(0)
    assert panel.retry_button.isEnabled()
    window.comms.secrets.set(TEAMS_URL, "http://127.0.0.1:9/unreachable")
    panel.retry_button.click()
    qtbot.waitUntil(lambda: "Cannot reach" in panel.model.item_at(0).error)
    assert window.comms.outbox.outbox_item(item.id).state == "queued"


def test_blocked_channels_disable_send_and_copy_gives_text_and_markdown(
    window: MainWindow, p1
) -> None:  # type: ignore[no-untyped-def]
    dialog = window.comms.compose()
    dialog.set_choice(template="initial", audience=Audience.INTERNAL, channel=Channel.PHONE)
    assert not dialog.send_button.isEnabled()
    assert "Cannot send" in dialog.problems_label.text()
    text = dialog.copy(markdown=False)
    assert QGuiApplication.clipboard().text() == text
    assert text.startswith("INCIDENT ALERT - P1 - api\n\nINCIDENT ALERT - P1\n")
    assert dialog.copy(markdown=True).startswith("**INCIDENT ALERT - P1 - api**")


def test_drafts_are_restored_when_the_composer_opens_again(window: MainWindow, p1) -> None:  # type: ignore[no-untyped-def]
    dialog = window.comms.compose()
    dialog.set_choice(template="resolved", audience=Audience.CUSTOMER, channel=Channel.EMAIL)
    dialog.field_edits["root_cause"].setText("Expired certificate")
    dialog.save_draft()
    assert dialog.status_label.text() == "Draft saved"
    dialog.reject()
    again = window.comms.compose()
    assert again.template_combo.currentData() == "resolved"
    assert again.channel_combo.currentData() == "email"
    assert again.field_edits["root_cause"].text() == "Expired certificate"
    assert "Root Cause: Expired certificate" in again.preview_browser.toPlainText()


def test_a_template_with_internals_is_refused_inline(window: MainWindow, p1) -> None:  # type: ignore[no-untyped-def]
    dialog = window.comms.edit_templates()
    dialog.pick_combo.setCurrentIndex(dialog.pick_combo.findData(""))
    dialog.name_edit.setText("Sneaky")
    dialog.body_edit.setPlainText("{{ severity.__class__.__mro__ }}")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert dialog.error_label.text()
    dialog.body_edit.setPlainText("Status: {{ status }}")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert window.comms.comms.template(dialog.saved_key).name == "Sneaky"


def test_channel_settings_keep_secrets_out_of_the_file_and_warn_on_legacy_teams(
    window: MainWindow, workspace, qtbot
) -> None:  # type: ignore[no-untyped-def]
    dialog = window.comms.edit_channels()
    qtbot.waitUntil(lambda: dialog.keeper is not None)  # looked up in a worker
    assert "system keyring (MemoryKeyring)" in dialog.keyring_label.text()
    dialog.secret_edits[TEAMS_URL].setText("https://contoso.webhook.office.com/webhookb2/x")
    assert not dialog.teams_warning.isHidden()
    assert "retired" in dialog.teams_warning.text()
    dialog.page_id_edit.setText("pg1")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.isVisible())  # stored in a worker
    saved = (workspace.data_dir / "channels.json").read_text()
    assert "pg1" in saved and "office.com" not in saved
    assert window.comms.secrets.get(TEAMS_URL).startswith("https://contoso")


def test_channel_settings_take_an_smtp_ca_file_and_refuse_one_that_is_missing(
    window: MainWindow, workspace, tmp_path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from tests.integrations.tls_server import make_certificate

    cert, _key, _ = make_certificate(tmp_path, now=workspace.clock.now(), valid_for=timedelta(1))
    dialog = window.comms.edit_channels()
    dialog.smtp_host_edit.setText("mail.example.com")
    dialog.smtp_ca_edit.setText(str(tmp_path / "missing.pem"))
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "missing.pem does not exist" in dialog.error_label.text()
    assert not (workspace.data_dir / "channels.json").exists()
    dialog.smtp_ca_edit.setText(str(cert))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.isVisible())  # saved on a worker
    assert load_channel_settings(workspace.data_dir).smtp_ca_file == str(cert)
    assert window.comms.edit_channels().smtp_ca_edit.text() == str(cert)


def test_the_window_leaves_a_message_another_process_holds_until_its_lease_expires(
    qtbot, window: MainWindow, p1, slack, workspace
) -> None:  # type: ignore[no-untyped-def]
    from commander.services.outbox_lease import Lease

    url, received = slack
    window.comms.secrets.set(SLACK_URL, url)
    panel = window.comms.outbox_panel
    panel.worker_timer.stop()  # the test drives delivery
    item = window.comms.outbox.queue(p1.id, "update", channel=Channel.SLACK)
    other = Lease("laptop:4242:cafe0001", timedelta(minutes=5))
    assert window.comms.outbox.claim(workspace.clock.now(), other) is not None
    panel.deliver_now()
    qtbot.waitUntil(lambda: not panel._busy)
    panel.reload()
    assert panel.model.index(0, COL_STATE).data() == "Sending — held until 10:05:00"
    assert received == []
    workspace.clock.advance(timedelta(minutes=5))
    panel.deliver_due()
    qtbot.waitUntil(lambda: panel.model.item_at(0).state == "sent")
    assert len(received) == 1
    assert window.comms.outbox.outbox_item(item.id).attempts == 2
