"""Sending one message (integrations/senders.py): each channel to its own sender, the phone
script refused as not sent by Commander."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from commander.core.channels import Channel
from commander.integrations.channel_settings import SLACK_URL, TEAMS_URL, ChannelSettings
from commander.integrations.senders import DeliveryFailed, Outgoing, deliver

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _message(channel: Channel) -> Outgoing:
    return Outgoing("m1", "inc", channel, "S", "B", {"text": "hello"})


def test_each_channel_goes_to_its_own_sender(server, secrets) -> None:
    secrets.set(SLACK_URL, server.url + "/slack")
    secrets.set(TEAMS_URL, server.url + "/teams")
    with httpx.Client(timeout=2) as client:
        slack = deliver(
            _message(Channel.SLACK), settings=ChannelSettings(), secrets=secrets,
            client=client, now=NOW,
        )  # fmt: skip
        teams = deliver(
            _message(Channel.TEAMS), settings=ChannelSettings(), secrets=secrets,
            client=client, now=NOW,
        )  # fmt: skip
    assert (slack.answer, slack.accepted_only) == ("Slack: ok", False)
    assert teams.accepted_only
    assert [r.path for r in server.requests] == ["/slack", "/teams"]


def test_a_phone_script_is_not_sent(secrets) -> None:
    with httpx.Client() as client, pytest.raises(DeliveryFailed) as caught:
        deliver(
            _message(Channel.PHONE), settings=ChannelSettings(), secrets=secrets,
            client=client, now=NOW,
        )  # fmt: skip
    assert str(caught.value) == "Phone script messages are not sent by Commander."
    assert caught.value.final
