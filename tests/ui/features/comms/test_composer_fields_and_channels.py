"""The composer shows the fields a template uses and which channels can deliver; a failed
send is on the timeline and the deadlines panel (#18 items 7 and 8)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import Qt

from commander.core.channels import Channel
from commander.core.templates import Audience
from commander.integrations.channel_settings import SLACK_URL
from commander.integrations.secrets import MemoryKeyring
from commander.ui.features.comms.channel_settings_dialog import ChannelSettingsDialog
from commander.ui.features.comms.composer_dialog import ComposerDialog
from commander.ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def p1(window: MainWindow):  # type: ignore[no-untyped-def]
    incident = window._service.declare(
        title="Customer API down", severity="P1", services=["api"], impact="Errors"
    ).incident
    window.refresh()
    window.select_incident(incident.id)
    return incident


def _composer(qtbot, window: MainWindow) -> ComposerDialog:  # type: ignore[no-untyped-def]
    dialog = window.comms.compose()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.readiness is not None, timeout=3000)
    return dialog


def _labels(dialog: ComposerDialog, names: list[str]) -> list[str]:
    return [dialog.fields.labels[n].text() for n in names]


def test_the_initial_notification_asks_only_for_what_it_uses(qtbot, window, p1) -> None:  # type: ignore[no-untyped-def]
    dialog = _composer(qtbot, window)
    dialog.set_choice(template="initial", audience=Audience.INTERNAL, channel=Channel.EMAIL)
    assert dialog.fields.needed == []
    assert dialog.fields.shown == [  # as the message names them
        "impact",
        "status",
        "service_description",
        "next_update",
        "incident_commander",
    ]
    for hidden in ("technical_details", "timeline", "eta", "root_cause", "report"):
        assert dialog.field_edits[hidden].isHidden(), hidden
    assert dialog.empty_label.text() == "Every field the template uses is filled."

    dialog.set_choice(template="update", audience=Audience.INTERNAL, channel=Channel.EMAIL)
    assert dialog.fields.needed == ["eta", "next_steps", "progress"]  # first, under "Needed"
    assert _labels(dialog, dialog.fields.needed) == ["ETA", "Next steps", "Progress"]
    assert dialog.fields.shown[: len(dialog.fields.needed)] == dialog.fields.needed
    assert "Still empty (shown as <…> in the message): ETA, Next steps, Progress" in (
        dialog.empty_label.text()
    )
    dialog.field_edits["eta"].setText("11:30")
    assert "ETA: 11:30" in dialog.preview_browser.toPlainText()
    dialog.set_choice(template="initial", audience=Audience.INTERNAL, channel=Channel.EMAIL)
    assert dialog.typed()["eta"] == "11:30"  # kept across the switch, for the draft


def test_a_resolved_incident_is_not_asked_for_a_next_update(qtbot, window, p1) -> None:  # type: ignore[no-untyped-def]
    window._service.set_field(p1.id, "status", "resolved")
    window.refresh()
    dialog = _composer(qtbot, window)
    dialog.set_choice(template="update", audience=Audience.INTERNAL, channel=Channel.EMAIL)
    assert "next_update" not in dialog.fields.shown
    preview = dialog.preview_browser.toPlainText()
    assert "<next update>" not in preview
    assert "Next Update: none, the incident is resolved" in preview


def test_a_channel_not_set_up_blocks_send_and_offers_the_channels_dialog(qtbot, window, p1) -> None:  # type: ignore[no-untyped-def]
    dialog = _composer(qtbot, window)
    dialog.set_choice(template="initial", audience=Audience.INTERNAL, channel=Channel.SLACK)
    combo = dialog.channel_combo
    assert combo.itemText(combo.findData("slack")) == "Slack — not set up"
    assert combo.itemText(combo.findData("phone")) == "Phone script — read aloud"
    assert not dialog.send_button.isEnabled()
    assert dialog.problems_label.text().startswith(
        "Cannot send: Slack is not set up: add its incoming webhook URL"
    )
    assert "⚠ Slack is not set up" in dialog.channel_note.text()
    assert dialog.setup_button.isVisible()

    dialog.setup_button.click()
    channels = window.comms.dialog
    assert isinstance(channels, ChannelSettingsDialog) and channels.isVisible()
    assert dialog.isVisible()  # the composer waits behind it
    channels.secret_edits[SLACK_URL].setText("https://hooks.slack.test/services/T/B/X")
    channels.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=3000)
    assert combo.itemText(combo.findData("slack")) == "Slack — ready"
    assert dialog.channel_note.text() == "✓ Slack is set up."
    assert not dialog.setup_button.isVisible()


def test_a_failed_send_is_on_the_timeline_and_the_deadlines_panel(qtbot, window, p1) -> None:  # type: ignore[no-untyped-def]
    panel = window.comms.outbox_panel
    panel.worker_timer.stop()
    window.comms.outbox.queue(p1.id, "update", channel=Channel.SLACK, typed={"eta": "noon"})
    panel.deliver_now()
    qtbot.waitUntil(
        lambda: panel.model.rowCount() == 1 and panel.model.item_at(0).state == "failed"
    )
    timers = window.deadlines_panel
    qtbot.waitUntil(lambda: timers.state_text("internal_update") == "⚠ Send failed", timeout=3000)
    row = timers.model.row_of("internal_update")
    tooltip = timers.model.index(row or 0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "The last send failed at 10:00: Slack is not set up" in tooltip
    assert "Send failed, not met" in timers.summary_label.text()
    events = [
        window.timeline_model.entry_at(r).event for r in range(window.timeline_model.rowCount())
    ]
    assert "Internal update via Slack failed: INCIDENT UPDATE - P1 - Investigating" in events


def test_a_restored_draft_keeps_its_audience_and_shows_its_fields(qtbot, window, p1) -> None:  # type: ignore[no-untyped-def]
    dialog = _composer(qtbot, window)
    dialog.set_choice(template="resolved", audience=Audience.CUSTOMER, channel=Channel.EMAIL)
    dialog.field_edits["root_cause"].setText("Expired certificate")
    dialog.save_draft()
    dialog.reject()
    again = _composer(qtbot, window)
    assert again.audience_combo.currentData() == "customer"
    assert again.fields.needed == ["root_cause", "review_date", "report"]
    assert not again.field_edits["root_cause"].isHidden()
    assert again.field_edits["root_cause"].text() == "Expired certificate"


def test_the_procedures_fields_are_offered_to_type_over(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from commander.services.comms import CommsService
    from commander.services.deadlines import deadline_service_for
    from commander.services.procedures import ProcedureService

    example = Path(__file__).parents[4] / "docs" / "examples" / "sev-security.toml"
    ProcedureService(workspace).load(example.read_text("utf-8"), "sev-security.toml")
    CommsService(workspace, deadline_service_for(workspace)).save_template(
        name="Tiered notice",
        audience="customer",
        subject="{{ ref }} for {{ field_customer_tier }}",
        body="Type {{ field_type }}.",
        key="tiered",
    )
    incident = window._service.declare(
        title="Token leak", severity="P1", fields={"customer_tier": "business"}
    ).incident
    window.refresh()
    window.select_incident(incident.id)
    dialog = _composer(qtbot, window)
    dialog.set_choice(template="tiered", audience=Audience.CUSTOMER, channel=Channel.EMAIL)
    assert dialog.fields.needed == ["field_type"]  # the record has no type yet
    assert dialog.fields.shown == ["field_type", "field_customer_tier"]
    assert _labels(dialog, dialog.fields.shown) == ["Type", "Customer tier"]
    tier = dialog.field_edits["field_customer_tier"]
    assert tier.placeholderText() == "From the record: business"
    tier.setText("enterprise")
    dialog.field_edits["field_type"].setText("Security")
    assert f"{incident.ref} for enterprise" in dialog.preview_browser.toPlainText()
    assert "Type Security." in dialog.preview_browser.toPlainText()
    dialog.save_draft()
    dialog.close()
    again = _composer(qtbot, window)
    again.set_choice(template="tiered", audience=Audience.CUSTOMER, channel=Channel.EMAIL)
    assert again.field_edits["field_customer_tier"].text() == "enterprise"
