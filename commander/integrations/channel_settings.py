"""Where each channel goes: public settings in ``channels.json``, secrets in keyring only.

Webhook URLs carry their own credentials (anyone holding a Slack or Teams webhook URL can post),
so they are secrets like the API keys: they go through ``SecretStore`` (the keyring, or the
owner-only secrets file the user chose) and never reach ``channels.json``. Secrets are keyed
by workspace (``workspace_key``). When nothing can keep a secret, saving it is refused with
the reason unless the user chose "keep for this session only".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from commander.config import write_json_atomically
from commander.core.channels import COMPONENT_STATUSES, STATUSPAGE_IMPACTS
from commander.core.errors import ValidationError
from commander.core.records_json import JsonRecord
from commander.integrations.secrets import Keeper, SecretStore, SecretsUnavailable
from commander.integrations.workspace_key import WorkspaceKey, mark_adopted, workspace_key

CHANNELS_FILENAME = "channels.json"
KEYRING_SERVICE = "commander-channels"

# Every secret a channel may need, by the name it has in keyring.
SLACK_URL = "slack.webhook_url"
TEAMS_URL = "teams.webhook_url"
WEBHOOK_URL = "webhook.url"
WEBHOOK_SECRET = "webhook.signing_secret"
STATUSPAGE_KEY = "statuspage.api_key"
PAGERDUTY_KEY = "pagerduty.routing_key"
SMTP_PASSWORD = "smtp.password"
SECRET_NAMES = (
    SLACK_URL,
    TEAMS_URL,
    WEBHOOK_URL,
    WEBHOOK_SECRET,
    STATUSPAGE_KEY,
    PAGERDUTY_KEY,
    SMTP_PASSWORD,
)


# Kept for callers that catch it by its old name: nothing can keep a secret here.
KeyringUnavailable = SecretsUnavailable


@dataclass(frozen=True)
class ChannelSettings(JsonRecord):
    """The non-secret half of every channel's configuration (one laptop's, not synced)."""

    statuspage_page_id: str = ""
    statuspage_component_ids: tuple[str, ...] = ()
    statuspage_impact: str = "major"
    statuspage_component_status: str = "major_outage"
    statuspage_api_base: str = "https://api.statuspage.io"
    pagerduty_events_url: str = "https://events.pagerduty.com/v2/enqueue"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_starttls: bool = True
    smtp_ca_file: str = ""  # a PEM CA to trust besides the system's (a private mail server)
    email_from: str = ""
    email_to: tuple[str, ...] = field(default=())
    timeout_seconds: float = 10.0

    def validated(self) -> ChannelSettings:
        if self.statuspage_impact not in STATUSPAGE_IMPACTS:
            raise ValidationError(
                f"Status page impact: use one of {', '.join(STATUSPAGE_IMPACTS)}."
            )
        if self.statuspage_component_status not in COMPONENT_STATUSES:
            raise ValidationError(f"Component status: use one of {', '.join(COMPONENT_STATUSES)}.")
        if not 0 < self.smtp_port < 65536:
            raise ValidationError("SMTP port: a number from 1 to 65535.")
        if not 0 < self.timeout_seconds <= 120:
            raise ValidationError("Timeout: between 0 and 120 seconds.")
        for address in self.email_to:
            if "@" not in address:
                raise ValidationError(f"Email recipients: {address!r} is not an address.")
        return self


def check_ca_file(path: str) -> None:
    """Refuse a CA file that cannot be trusted from: missing, relative, or not a PEM CA.

    Raises:
        ValidationError: one sentence naming the file and the reason.
    """
    import ssl

    if not path:
        return
    if not Path(path).expanduser().is_absolute():
        raise ValidationError(f"SMTP CA file: give the full path, not {path!r}.")
    try:
        ssl.create_default_context().load_verify_locations(cafile=str(Path(path).expanduser()))
    except FileNotFoundError:
        raise ValidationError(f"SMTP CA file {path} does not exist.") from None
    except OSError as exc:  # ssl.SSLError is an OSError too
        reason = "no PEM certificate in it" if isinstance(exc, ssl.SSLError) else exc.strerror
        raise ValidationError(f"SMTP CA file {path} cannot be used ({reason}).") from None


def split_list(text: str) -> tuple[str, ...]:
    """``a, b c`` → ``("a", "b", "c")``: ids and addresses typed in one line."""
    return tuple(part for part in text.replace(",", " ").replace(";", " ").split() if part)


def load_channel_settings(data_dir: Path) -> ChannelSettings:
    path = Path(data_dir) / CHANNELS_FILENAME
    if not path.exists():
        return ChannelSettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        known = {k: v for k, v in raw.items() if k in ChannelSettings.__dataclass_fields__}
        for key in ("statuspage_component_ids", "email_to"):
            if key in known:
                known[key] = tuple(str(v) for v in known[key])
        settings = ChannelSettings(**known)
        settings = replace(
            settings,
            smtp_port=int(settings.smtp_port),
            timeout_seconds=float(settings.timeout_seconds),
            smtp_starttls=bool(settings.smtp_starttls),
            smtp_ca_file=str(settings.smtp_ca_file),
        )
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(f"{path} is not valid ({exc}); fix or delete it.") from exc
    return settings.validated()


def save_channel_settings(data_dir: Path, settings: ChannelSettings) -> Path:
    """Validate and write atomically; only public values are in ``settings``."""
    settings.validated()
    return write_json_atomically(Path(data_dir) / CHANNELS_FILENAME, settings.to_json())


class ChannelSecrets:
    """This workspace's channel secrets, under ``commander-channels/<workspace id>``.

    Nothing is kept "for this run only" unless the caller asks for exactly that
    (``session_only``): a store that cannot keep a secret raises instead.

    Args:
        data_dir: the workspace folder (its id keys the secrets; its settings say whether the
            owner-only file is used).
        store: a store to use instead (tests); its service is used as is.
    """

    def __init__(self, data_dir: Path, store: SecretStore | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._given = store
        self._store: SecretStore | None = store
        self._key: WorkspaceKey | None = None

    @property
    def store(self) -> SecretStore:
        """The store, keyed by workspace (reads or creates the id file on first use)."""
        if self._store is None:
            self._key = workspace_key(self.data_dir)
            self._store = SecretStore(f"{KEYRING_SERVICE}/{self._key.id}", data_dir=self.data_dir)
        return self._store

    def keeper(self) -> Keeper:
        return self.store.keeper()

    @property
    def persistent(self) -> bool:
        return self.store.persistent

    def unavailable_reason(self) -> str:
        refusal = self.store.refusal()
        return str(refusal) if refusal else ""

    def get(self, name: str) -> str:
        store = self.store
        value = store.get(name)
        if value is None and self._key is not None and self._key.adopt_shared:
            self._adopt_shared()
            value = store.get(name) or self._legacy().get(name)
        return value or ""

    def has(self, name: str) -> bool:
        return bool(self.get(name))

    def present(self) -> dict[str, bool]:
        """Which secrets are set, by name (never their values)."""
        return {name: self.has(name) for name in SECRET_NAMES}

    def set(self, name: str, secret: str, *, session_only: bool = False) -> Keeper | None:
        """Store ``secret``; returns where it went (None: this session only, as asked).

        Raises:
            SecretsUnavailable: nothing can keep it (nothing was stored).
            InsecureKeyring: the backend is a plain file the user has not accepted.
        """
        if name not in SECRET_NAMES:
            raise ValidationError(f"Unknown secret {name!r}.")
        if not secret:
            self.delete(name)
            return None
        return self.store.set(name, secret, session_only=session_only)

    def delete(self, name: str) -> None:
        self.store.delete(name)

    def _legacy(self) -> SecretStore:
        return SecretStore(KEYRING_SERVICE, data_dir=None)

    def _adopt_shared(self) -> None:
        """Copy the shared pre-id entries into this workspace's service, once.

        Copied where this workspace keeps secrets now; when that cannot store (no keyring,
        an unaccepted plain-file backend) the shared entries are read as they are until it can.
        """
        store, key = self.store, self._key
        if key is None or self._given is not None or store.refusal() is not None:
            return
        legacy = self._legacy()
        for name in SECRET_NAMES:
            value = legacy.get(name)
            if value and store.get(name) is None:
                store.set(name, value)
        self._key = mark_adopted(self.data_dir, key)
