"""What the senders share (integrations/sender_base.py): a missing setting is a final failure
that says what to add, and a failure carries whether and when to try again."""

from __future__ import annotations

import pytest

from commander.integrations.sender_base import DeliveryFailed, need


def test_need_returns_a_value_and_refuses_an_empty_one() -> None:
    assert need("https://hooks.example", "Slack", "incoming webhook URL") == "https://hooks.example"
    with pytest.raises(DeliveryFailed) as caught:
        need("", "Slack", "incoming webhook URL")
    assert (
        str(caught.value)
        == "Slack is not set up: add its incoming webhook URL in Comms → Channels…"
    )
    assert (caught.value.final, caught.value.retry_after) == (True, None)


def test_a_failure_keeps_its_reason_and_retry_hint() -> None:
    failed = DeliveryFailed("busy", final=False, retry_after=30.0)
    assert (failed.reason, str(failed), failed.final, failed.retry_after) == (
        "busy",
        "busy",
        False,
        30.0,
    )
