"""Delivering one message to one channel: httpx for the web channels, smtplib for email.

A sender either returns ``Delivered`` (with the server's answer) or raises ``DeliveryFailed``
saying whether trying again could help (``final``) and when the server asked us to
(``retry_after``, from a 429's ``Retry-After``). The retry schedule itself lives in the
delivery engine (``commander.services.delivery``); this module only picks the sender:
``sender_web`` speaks the HTTP channels, ``sender_email`` SMTP, ``sender_base`` holds what
they share.

Secrets are read here, at the moment of sending, so the queued payload never holds one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # httpx loads with the first delivery, not with the window
    import httpx

from commander.core.channels import Channel
from commander.integrations.channel_settings import ChannelSettings
from commander.integrations.sender_base import (
    ANSWER_MAX,
    Delivered,
    DeliveryFailed,
    Outgoing,
    SecretSource,
)
from commander.integrations.sender_email import email_message, message_id, send_email
from commander.integrations.sender_web import (
    LEGACY_TEAMS_HOST,
    check_statuspage,
    retry_after,
    send_pagerduty,
    send_slack,
    send_statuspage,
    send_teams,
    send_webhook,
    sign_standard_webhook,
    teams_url_warning,
)


def deliver(
    message: Outgoing,
    *,
    settings: ChannelSettings,
    secrets: SecretSource,
    client: httpx.Client,
    now: datetime,
) -> Delivered:
    """Send ``message`` once.

    Raises:
        DeliveryFailed: with ``final`` False when a later attempt may succeed.
    """
    channel = message.channel
    if channel is Channel.SLACK:
        return send_slack(message, secrets=secrets, client=client)
    if channel is Channel.TEAMS:
        return send_teams(message, secrets=secrets, client=client)
    if channel is Channel.WEBHOOK:
        return send_webhook(message, secrets=secrets, client=client, now=now)
    if channel is Channel.STATUSPAGE:
        return send_statuspage(message, settings=settings, secrets=secrets, client=client)
    if channel is Channel.PAGERDUTY:
        return send_pagerduty(message, settings=settings, secrets=secrets, client=client)
    if channel is Channel.EMAIL:
        return send_email(message, settings=settings, secrets=secrets, now=now)
    raise DeliveryFailed(f"{channel.label} messages are not sent by Commander.", final=True)


__all__ = [
    "ANSWER_MAX",
    "LEGACY_TEAMS_HOST",
    "Delivered",
    "DeliveryFailed",
    "Outgoing",
    "SecretSource",
    "check_statuspage",
    "deliver",
    "email_message",
    "message_id",
    "retry_after",
    "sign_standard_webhook",
    "teams_url_warning",
]
