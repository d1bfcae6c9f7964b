"""What the Slack import keeps per incident (``SlackLink``, this laptop's connection and cursor)
and what one pass reports (``PullReport``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commander.core.clock import parse_iso
from commander.core.records import ChangeSet
from commander.core.records_json import JsonRecord, json_field
from commander.integrations.slack_reader import API_URL

ALL = "all"  # the reaction setting that logs every message


@dataclass(frozen=True)
class SlackLink(JsonRecord):
    """An incident's channel and how far this laptop has read it."""

    incident_id: str
    channel: str
    reaction: str  # a reaction name, or ALL
    api_url: str = API_URL
    newest_ts: str = ""  # the newest message a complete pass read
    threads: dict[str, str] = field(default_factory=dict)  # thread ts -> latest_reply read
    last_pass_at: datetime | None = None
    last_error: str = ""
    retry_at: datetime | None = None
    logged: int = 0  # entries this laptop logged from the channel

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SlackLink:
        return cls(
            incident_id=str(raw["incident_id"]),
            channel=str(raw["channel"]),
            reaction=str(raw["reaction"]),
            api_url=str(raw.get("api_url") or API_URL),
            newest_ts=str(raw.get("newest_ts") or ""),
            threads={str(k): str(v) for k, v in (raw.get("threads") or {}).items()},
            last_pass_at=parse_iso(raw["last_pass_at"]) if raw.get("last_pass_at") else None,
            last_error=str(raw.get("last_error") or ""),
            retry_at=parse_iso(raw["retry_at"]) if raw.get("retry_at") else None,
            logged=int(raw.get("logged") or 0),
        )

    @property
    def describe(self) -> str:
        what = "every message" if self.reaction == ALL else f"messages marked :{self.reaction}:"
        return f"Slack channel {self.channel}: {what}"


@dataclass
class PullReport(JsonRecord):
    """What one pass did; ``error`` is one sentence (the pass is retried later)."""

    incident_id: str
    read: int = 0  # messages Slack returned
    logged: int = 0
    amended: int = 0
    struck: int = 0
    error: str = field(default="", metadata=json_field(empty_as_none=True))
    changes: ChangeSet = field(default_factory=ChangeSet, metadata=json_field(omit=True))

    @property
    def summary(self) -> str:
        parts = [f"{self.logged} logged"]
        if self.amended:
            parts.append(f"{self.amended} amended")
        if self.struck:
            parts.append(f"{self.struck} struck (deleted in Slack)")
        text = f"Slack: {', '.join(parts)} from {self.read} message(s) read"
        return f"{text}; {self.error}" if self.error else text
