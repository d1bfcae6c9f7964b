"""The status bar's sync state: its default and the label each state shows."""

from __future__ import annotations

import pytest

from commander.sync.status import CONNECTING, OFFLINE, ONLINE, SYNCING, SyncStatus


def test_a_new_status_is_offline_with_nothing_waiting():
    status = SyncStatus()
    assert (status.state, status.pending, status.problems, status.label) == (
        OFFLINE,
        0,
        0,
        "Offline",
    )


@pytest.mark.parametrize(
    ("state", "label"),
    [(OFFLINE, "Offline"), (CONNECTING, "Connecting"), (ONLINE, "Online"), (SYNCING, "Syncing")],
)
def test_each_state_has_its_label(state, label):
    assert SyncStatus(state=state).label == label
