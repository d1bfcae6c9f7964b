"""Incident → Connect Slack channel…: the dialog stores the token and connects on a worker,
passes run on the task runner and land in the timeline, the status bar says how it went."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from commander.core.entry_kinds import Kind
from commander.services.incidents import IncidentService
from tests.integrations.slack_server import TOKEN, FakeSlack

CHANNEL = "C0INCID3NT"


@pytest.fixture(autouse=True)
def _memory_keyring():  # type: ignore[no-untyped-def]
    import keyring

    from commander.integrations.secrets import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.channels[CHANNEL] = []
    yield server
    server.close()


def test_connect_dialog_then_a_pass_logs_pinned_messages(
    qtbot, window, workspace, slack, clock, _memory_keyring
) -> None:
    incident = IncidentService(workspace).declare(title="Checkout errors", severity="P1").incident
    window.refresh()
    window.select_incident(incident.id)
    feature = window.slack
    assert feature.action_connect.isEnabled()
    pinned = slack.post(
        CHANNEL,
        "U061F7AUR",
        "Rolled back to 1.42",
        clock.now() - timedelta(minutes=2),
        reactions=("pushpin",),
    )
    slack.post(CHANNEL, "U0G9QF9C6", "ok", clock.now() - timedelta(minutes=1))

    feature.action_connect.trigger()
    dialog = feature.dialog
    assert dialog is not None
    dialog.channel_edit.setText("#incident-42")
    dialog.buttons.accepted.emit()
    assert "not a Slack channel id" in dialog.error_label.text()  # inline, the form stays
    dialog.channel_edit.setText(f"https://acme-ops.slack.com/archives/{CHANNEL}")
    dialog.token_edit.setText(TOKEN)
    # The test server's address: what 'commander slack connect --api-url' sets.
    feature.service.connect(incident.id, CHANNEL, api_url=slack.url)
    dialog._current = feature.service.link(incident.id)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.buttons.accepted.emit()
    assert TOKEN in _memory_keyring.passwords.values()

    qtbot.waitUntil(lambda: not feature.running and feature.status_label.isVisible(), timeout=5000)
    assert feature.status_label.text().startswith("Slack: 1 logged")
    window.refresh()
    rows = [window.timeline_model.entry_at(r) for r in range(window.timeline_model.rowCount())]
    chat = [e for e in rows if e.kind == Kind.COMMUNICATION]
    assert [e.event for e in chat] == ["Rolled back to 1.42"]
    assert pinned.replace(".", "") in chat[0].action
    assert feature.timer.isActive()  # the next pass is scheduled

    slack.offline = True
    feature.pass_now()
    qtbot.waitUntil(lambda: not feature.running, timeout=5000)
    assert feature.status_label.text() == (
        "Slack: Slack is unreachable (RemoteProtocolError); it will be tried again."
    )

    feature.action_disconnect.trigger()
    assert feature.service.links() == []
