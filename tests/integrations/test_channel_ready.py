"""Which channels can deliver now (integrations/channel_ready.py): what is set up, and the same
"not set up" sentence before Send as the sender gives after it, for every channel."""

from __future__ import annotations

import pytest

from commander.core.channels import Channel
from commander.integrations.channel_ready import PHONE_NOTE, channel_readiness, setup_problem
from commander.integrations.channel_settings import (
    PAGERDUTY_KEY,
    SLACK_URL,
    STATUSPAGE_KEY,
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSettings,
)
from commander.integrations.senders import DeliveryFailed, Outgoing, deliver

_EMPTY = ChannelSettings()


@pytest.mark.parametrize(
    "channel",
    [c for c in Channel if c.deliverable],
)
def test_the_composer_and_the_sender_agree_on_what_is_not_set_up(
    channel: Channel, secrets, clock
) -> None:
    """Every channel, with nothing configured: the same sentence before Send and after."""
    expected = setup_problem(channel, settings=_EMPTY, secrets=secrets)
    assert expected is not None and "not set up" in expected
    import httpx

    message = Outgoing(
        id="msg_1",
        incident_id="inc",
        channel=channel,
        subject="S",
        body="B",
        payload={"subject": "S", "body": "B", "event_action": "trigger"},
    )
    with httpx.Client() as client, pytest.raises(DeliveryFailed) as caught:
        deliver(message, settings=_EMPTY, secrets=secrets, client=client, now=clock.now())
    assert caught.value.reason == expected and caught.value.final


def test_readiness_lists_what_is_set_up(secrets) -> None:
    for name in (SLACK_URL, TEAMS_URL, WEBHOOK_URL, WEBHOOK_SECRET, PAGERDUTY_KEY):
        secrets.set(name, "whsec_c2VjcmV0" if name == WEBHOOK_SECRET else "https://x.example")
    secrets.set(STATUSPAGE_KEY, "key")
    settings = ChannelSettings(statuspage_page_id="page")
    ready = channel_readiness(settings=settings, secrets=secrets)
    assert {c for c, problem in ready.items() if problem is None} == {
        Channel.SLACK,
        Channel.TEAMS,
        Channel.WEBHOOK,
        Channel.STATUSPAGE,
        Channel.PAGERDUTY,
    }
    assert "SMTP host" in (ready[Channel.EMAIL] or "")
    assert "read aloud" in (ready[Channel.PHONE] or "")


def test_each_missing_piece_is_named_in_order(secrets) -> None:
    webhook = setup_problem(Channel.WEBHOOK, settings=_EMPTY, secrets=secrets)
    assert webhook == "The generic webhook is not set up: add its URL in Comms → Channels…"
    secrets.set(WEBHOOK_URL, "https://hooks.example/in")
    assert setup_problem(Channel.WEBHOOK, settings=_EMPTY, secrets=secrets) == (
        "The generic webhook is not set up: add its signing secret in Comms → Channels…"
    )
    secrets.set(STATUSPAGE_KEY, "key")
    assert setup_problem(Channel.STATUSPAGE, settings=_EMPTY, secrets=secrets) == (
        "The status page is not set up: add its page id in Comms → Channels…"
    )
    blank_page = ChannelSettings(statuspage_page_id="   ")
    assert setup_problem(Channel.STATUSPAGE, settings=blank_page, secrets=secrets) is not None
    no_recipients = ChannelSettings(smtp_host="mail", email_from="ic@example.com")
    assert setup_problem(Channel.EMAIL, settings=no_recipients, secrets=secrets) == (
        "Email is not set up: add the SMTP host, sender and recipients in Comms → Channels…"
    )
    email = ChannelSettings(
        smtp_host="mail", email_from="ic@example.com", email_to=("oncall@example.com",)
    )
    assert setup_problem(Channel.EMAIL, settings=email, secrets=secrets) is None
    assert setup_problem(Channel.PHONE, settings=email, secrets=secrets) == PHONE_NOTE
