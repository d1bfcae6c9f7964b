"""Where the Slack bot token lives: the keyring (or the owner-only secrets file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from commander.core.errors import ValidationError

if TYPE_CHECKING:  # keyring loads with the first secret, not with the window
    from commander.integrations.secrets import Keeper, SecretStore


TOKEN_SERVICE = "commander-slack"
TOKEN_KEY = "bot-token"


class SlackToken:
    """The bot token (``xoxb-…``) of the Slack workspace this data directory reads: in the
    keyring (or the owner-only secrets file), never in the workspace, settings or argv.

    Keyring calls may block: the window calls this from workers only.
    """

    def __init__(self, store: SecretStore | None = None, *, data_dir: Path | None = None) -> None:
        from commander.integrations.secrets import SecretStore

        self.store = store or SecretStore(TOKEN_SERVICE, data_dir=data_dir)

    def get(self) -> str | None:
        return self.store.get(TOKEN_KEY)

    def set(self, token: str) -> Keeper:
        """Store the token; returns where it went.

        Raises:
            ValidationError: empty, or not a Slack token (they start with ``xox``).
            SecretsUnavailable, InsecureKeyring: nothing that may keep it (nothing stored).
        """
        token = token.strip()
        if not token:
            raise ValidationError("The token is empty; nothing was stored.")
        if not token.startswith("xox") or any(ch.isspace() for ch in token):
            raise ValidationError(
                "That is not a Slack token (a bot token starts with xoxb-); nothing was stored."
            )
        keeper = self.store.set(TOKEN_KEY, token)
        assert keeper is not None  # not session-only
        return keeper

    def delete(self) -> None:
        self.store.delete(TOKEN_KEY)
