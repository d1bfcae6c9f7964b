"""Which channels can deliver now: the composer says so before Send, not the outbox after it.

The checks are the ones ``senders.deliver`` makes before it opens a connection (a channel with
no webhook URL, key or SMTP host fails at once), with the same sentence, so "not set up" in the
composer and "failed" in the outbox never disagree. Reading secrets touches the keyring, so
the GUI calls ``channel_readiness`` on a worker.
"""

from __future__ import annotations

from commander.core.channels import Channel
from commander.integrations.channel_settings import (
    PAGERDUTY_KEY,
    SLACK_URL,
    STATUSPAGE_KEY,
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSettings,
)
from commander.integrations.senders import SecretSource

PHONE_NOTE = "A phone script is read aloud: copy it, Commander does not send it."


def _missing(channel: str, what: str) -> str:
    return f"{channel} is not set up: add its {what} in Comms → Channels…"


def setup_problem(
    channel: Channel, *, settings: ChannelSettings, secrets: SecretSource
) -> str | None:
    """Why ``channel`` cannot deliver as configured, in one sentence; None when it can try."""
    if channel is Channel.SLACK and not secrets.get(SLACK_URL):
        return _missing("Slack", "incoming webhook URL")
    if channel is Channel.TEAMS and not secrets.get(TEAMS_URL):
        return _missing("Microsoft Teams", "Workflows webhook URL")
    if channel is Channel.WEBHOOK:
        if not secrets.get(WEBHOOK_URL):
            return _missing("The generic webhook", "URL")
        if not secrets.get(WEBHOOK_SECRET):
            return _missing("The generic webhook", "signing secret")
    if channel is Channel.STATUSPAGE:
        if not secrets.get(STATUSPAGE_KEY):
            return _missing("The status page", "API key")
        if not settings.statuspage_page_id.strip():
            return "The status page is not set up: add its page id in Comms → Channels…"
    if channel is Channel.PAGERDUTY and not secrets.get(PAGERDUTY_KEY):
        return _missing("PagerDuty", "Events API v2 routing key")
    if channel is Channel.EMAIL and not (
        settings.smtp_host and settings.email_from and settings.email_to
    ):
        return "Email is not set up: add the SMTP host, sender and recipients in Comms → Channels…"
    if channel is Channel.PHONE:
        return PHONE_NOTE
    return None


def channel_readiness(
    *, settings: ChannelSettings, secrets: SecretSource
) -> dict[Channel, str | None]:
    """Every channel's ``setup_problem`` (None: ready to send)."""
    return {
        channel: setup_problem(channel, settings=settings, secrets=secrets) for channel in Channel
    }
