"""What the sync worker reports to the status bar: importable without psycopg (start-up)."""

from __future__ import annotations

from dataclasses import dataclass

OFFLINE, CONNECTING, ONLINE, SYNCING = "offline", "connecting", "online", "syncing"


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    state: str = OFFLINE
    pending: int = 0
    last_error: str | None = None
    stuck: str | None = None  # a loud warning when changes wait while the server answers
    retry_in_s: float | None = None
    warning: str | None = None
    problems: int = 0  # ops sync kept aside or marked untrusted (the Sync problems view)

    @property
    def label(self) -> str:
        return {OFFLINE: "Offline", CONNECTING: "Connecting", ONLINE: "Online"}.get(
            self.state, "Syncing"
        )
