"""What every sender shares: the message handed to it, its two outcomes, and where it reads
secrets. Kept apart from the senders so each channel family's module and the dispatch in
``senders`` depend on it and not on each other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from commander.core.channels import Channel


class SecretSource(Protocol):
    """Where senders read secrets: ``ChannelSecrets``, or a settings form not yet saved."""

    def get(self, name: str) -> str: ...


ANSWER_MAX = 300


@dataclass(frozen=True)
class Outgoing:
    """A queued message as a sender needs it."""

    id: str
    incident_id: str
    channel: Channel
    subject: str
    body: str
    payload: dict[str, Any]
    remote_id: str | None = None  # e.g. the status page incident an update belongs to


@dataclass(frozen=True)
class Delivered:
    """The server took the message.

    Attributes:
        answer: what the server said, for the outbox.
        accepted_only: the server only queued it (Teams says "accepted", not "delivered").
        remote_id: the server's id for what was created (status page incident).
    """

    answer: str
    accepted_only: bool = False
    remote_id: str | None = None


class DeliveryFailed(Exception):
    """A delivery attempt failed; ``str(err)`` is the reason a user reads."""

    def __init__(self, reason: str, *, final: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.final = final
        self.retry_after = retry_after


def need(value: str, channel: str, what: str) -> str:
    if not value:
        raise DeliveryFailed(
            f"{channel} is not set up: add its {what} in Comms → Channels…", final=True
        )
    return value
