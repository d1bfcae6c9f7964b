"""The channels a message can go out on, and each channel's documented limits.

Documented limits: Slack Block Kit — 50 blocks per message, 3,000 characters per section
text, 150 per header; Microsoft Teams — 28 KB per message (Adaptive Card in a ``message``
wrapper); PagerDuty Events API v2 — summary at most 1,024 characters.
"""

from __future__ import annotations

from enum import StrEnum

from commander.core.errors import ValidationError
from commander.core.policy import Status

SLACK_MAX_BLOCKS = 50
SLACK_SECTION_MAX = 3000
SLACK_HEADER_MAX = 150
TEAMS_MAX_BYTES = 28 * 1024
PAGERDUTY_SUMMARY_MAX = 1024
EMAIL_SUBJECT_MAX = 998  # RFC 5322 line length
STATUSPAGE_NAME_MAX = 255


class Channel(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    EMAIL = "email"
    STATUSPAGE = "statuspage"
    WEBHOOK = "webhook"
    PAGERDUTY = "pagerduty"
    PHONE = "phone"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]

    @property
    def deliverable(self) -> bool:
        """A phone script is read aloud, not sent."""
        return self is not Channel.PHONE


_CHANNEL_LABELS = {
    Channel.SLACK: "Slack",
    Channel.TEAMS: "Microsoft Teams",
    Channel.EMAIL: "Email",
    Channel.STATUSPAGE: "Status page",
    Channel.WEBHOOK: "Generic webhook",
    Channel.PAGERDUTY: "PagerDuty",
    Channel.PHONE: "Phone script",
}


def parse_channel(text: str) -> Channel:
    key = text.strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    aliases = {"msteams": "teams", "mail": "email", "status": "statuspage", "pd": "pagerduty"}
    try:
        return Channel(aliases.get(key, key))
    except ValueError:
        names = ", ".join(c.value for c in Channel)
        raise ValidationError(f"Unknown channel {text!r}: use one of {names}.") from None


# The incident's status as the status page names it.
STATUSPAGE_STATUS = {
    Status.INVESTIGATING: "investigating",
    Status.IDENTIFIED: "identified",
    Status.MONITORING: "monitoring",
    Status.RESOLVED: "resolved",
    Status.CLOSED: "resolved",
}
STATUSPAGE_IMPACTS = ("none", "minor", "major", "critical")
COMPONENT_STATUSES = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)
