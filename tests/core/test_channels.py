"""The channels a message goes out on: their names, labels and aliases; a phone script is
read aloud, not sent; an unknown channel is one sentence listing the channels."""

from __future__ import annotations

import pytest

from commander.core.channels import STATUSPAGE_STATUS, Channel, parse_channel
from commander.core.errors import ValidationError
from commander.core.policy import Status


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("slack", Channel.SLACK),
        (" Slack ", Channel.SLACK),
        ("MS Teams", Channel.TEAMS),
        ("ms-teams", Channel.TEAMS),
        ("mail", Channel.EMAIL),
        ("status_page", Channel.STATUSPAGE),
        ("status", Channel.STATUSPAGE),
        ("PD", Channel.PAGERDUTY),
        ("Pager-Duty", Channel.PAGERDUTY),
        ("phone", Channel.PHONE),
    ],
)
def test_a_channel_is_read_by_name_or_alias_in_any_case(text: str, channel: Channel) -> None:
    assert parse_channel(text) == channel


def test_an_unknown_channel_lists_the_channels() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_channel("fax")
    assert str(caught.value) == (
        "Unknown channel 'fax': use one of slack, teams, email, statuspage, webhook, "
        "pagerduty, phone."
    )


def test_every_channel_has_a_label_and_only_the_phone_is_not_delivered() -> None:
    assert Channel.TEAMS.label == "Microsoft Teams"
    assert Channel.WEBHOOK.label == "Generic webhook"
    assert [c for c in Channel if not c.deliverable] == [Channel.PHONE]
    assert all(c.label for c in Channel)


def test_a_closed_incident_is_resolved_on_the_status_page() -> None:
    assert set(STATUSPAGE_STATUS) == set(Status)
    assert STATUSPAGE_STATUS[Status.CLOSED] == "resolved"
    assert STATUSPAGE_STATUS[Status.IDENTIFIED] == "identified"
