"""What this laptop watches: Alertmanager sources, health URLs, TLS endpoints, thresholds.

Stored in ``monitoring.json`` in the data dir (one laptop's, not synced, like
``channels.json``). Bearer tokens never reach the file: they live in keyring (or the owner-only
secrets file) under ``commander-alertmanager``, keyed by the source URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from commander.config import write_json_atomically
from commander.core.alert_mapping import SeverityMapping
from commander.core.errors import ValidationError
from commander.core.health import DEFAULT_WARNING_DAYS
from commander.core.limits import SHORT_MAX, URL_MAX
from commander.core.records_json import JsonRecord, json_field
from commander.core.text import clean_text
from commander.integrations.secrets import Keeper, SecretStore

MONITORING_FILENAME = "monitoring.json"
TOKEN_SERVICE = "commander-alertmanager"
MIN_POLL_S, MAX_POLL_S = 5, 3600
MIN_CHECK_MIN, MAX_CHECK_MIN = 1, 24 * 60


@dataclass(frozen=True)
class HealthTarget(JsonRecord):
    """A health URL (``kind`` http) or a TLS endpoint ``host:port`` (``kind`` tls)."""

    kind: str
    target: str
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.target


@dataclass(frozen=True)
class MonitoringSettings(JsonRecord):
    """Attributes:
    sources: Alertmanager base URLs (``http://am.example:9093``), polled at ``poll_seconds``.
    targets: health URLs and TLS endpoints, checked every ``check_minutes``.
    warning_days: a certificate closer to expiry than this is a P2 warning.
    """

    sources: tuple[str, ...] = field(default=(), metadata=json_field(name="alertmanager_sources"))
    poll_seconds: int = 60
    timeout_seconds: float = 10.0
    mapping: SeverityMapping = field(
        default_factory=SeverityMapping, metadata=json_field(name="severity_mapping")
    )
    targets: tuple[HealthTarget, ...] = field(
        default=(), metadata=json_field(name="health_targets")
    )
    check_minutes: int = 15
    warning_days: int = field(
        default=DEFAULT_WARNING_DAYS, metadata=json_field(name="certificate_warning_days")
    )

    @property
    def configured(self) -> bool:
        return bool(self.sources or self.targets)

    def validated(self) -> MonitoringSettings:
        for url in self.sources:
            normalize_source(url)
        for target in self.targets:
            normalize_target(target.kind, target.target)
        if not MIN_POLL_S <= self.poll_seconds <= MAX_POLL_S:
            raise ValidationError(f"Poll interval: {MIN_POLL_S} to {MAX_POLL_S} seconds.")
        if not MIN_CHECK_MIN <= self.check_minutes <= MAX_CHECK_MIN:
            raise ValidationError(f"Check interval: {MIN_CHECK_MIN} to {MAX_CHECK_MIN} minutes.")
        if not 0 < self.timeout_seconds <= 120:
            raise ValidationError("Timeout: more than 0 and at most 120 seconds.")
        if not 1 <= self.warning_days <= 365:
            raise ValidationError("Certificate warning: 1 to 365 days.")
        return self

    # -- edits the CLI and the settings dialog make --------------------------------------

    def with_source(self, url: str) -> MonitoringSettings:
        url = normalize_source(url)
        return self if url in self.sources else replace(self, sources=(*self.sources, url))

    def without_source(self, url: str) -> MonitoringSettings:
        url = normalize_source(url)
        if url not in self.sources:
            raise ValidationError(f"{url} is not an Alertmanager source here.")
        return replace(self, sources=tuple(s for s in self.sources if s != url))

    def with_target(self, kind: str, target: str, name: str = "") -> MonitoringSettings:
        target = normalize_target(kind, target)
        kept = tuple(t for t in self.targets if (t.kind, t.target) != (kind, target))
        name = clean_text(name, what="The check's name", limit=SHORT_MAX)
        return replace(self, targets=(*kept, HealthTarget(kind, target, name)))

    def without_target(self, key: str) -> MonitoringSettings:
        kept = tuple(t for t in self.targets if key.strip() not in (t.target, t.name))
        if len(kept) == len(self.targets):
            raise ValidationError(f"No health check named {key!r}.")
        return replace(self, targets=kept)


def _split(text: str) -> SplitResult | None:
    """The URL's parts, or None when it is none (a bad IPv6 bracket, a port out of range).

    Raises:
        ValidationError: the URL is longer than ``URL_MAX`` or holds control characters.
    """
    clean_text(text, what="The URL", limit=URL_MAX)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is none
    except ValueError:
        return None
    return parts


def normalize_source(url: str) -> str:
    """``http(s)://host[:port][/prefix]`` without a trailing slash or ``/api/v2/...``."""
    text = url.strip().rstrip("/")
    for suffix in ("/api/v2/alerts", "/api/v2"):
        text = text.removesuffix(suffix)
    parts = _split(text)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{url!r} is not an http(s) URL of an Alertmanager.")
    if parts.username or parts.password:
        raise ValidationError("Put no credentials in the URL; give a bearer token instead.")
    return text


def normalize_target(kind: str, target: str) -> str:
    text = target.strip()
    if kind == "http":
        parts = _split(text)
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(f"{target!r} is not an http(s) health URL.")
        return text
    if kind == "tls":
        host, port = split_host_port(text)
        return f"{host}:{port}"
    raise ValidationError(f"Unknown kind of check {kind!r}: use http or tls.")


def split_host_port(text: str, default_port: int = 443) -> tuple[str, int]:
    """``api.example.com``, ``api.example.com:8443`` or ``https://api.example.com``."""
    value = clean_text(text, what="The host", limit=URL_MAX)
    if "://" in value:
        parts = _split(value)
        if parts is None or not parts.hostname:
            raise ValidationError(f"{text!r} names no host.")
        return parts.hostname, parts.port or default_port
    host, sep, port = value.rpartition(":")
    if not sep or "]" in port:
        host, port = value, str(default_port)
    host = host.strip("[]")
    if not host or " " in host:
        raise ValidationError(f"{text!r} is not a host name.")
    try:
        number = int(port)
    except ValueError:
        raise ValidationError(f"{text!r}: the port must be a number.") from None
    if not 0 < number < 65536:
        raise ValidationError(f"{text!r}: the port must be 1 to 65535.")
    return host, number


def load_monitoring_settings(data_dir: Path) -> MonitoringSettings:
    """Settings from ``monitoring.json``; defaults when there is none.

    Raises:
        ValidationError: the file is damaged (the message names it).
    """
    path = Path(data_dir) / MONITORING_FILENAME
    if not path.exists():
        return MonitoringSettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        settings = MonitoringSettings(
            sources=tuple(str(s) for s in raw.get("alertmanager_sources", [])),
            poll_seconds=int(raw.get("poll_seconds", 60)),
            timeout_seconds=float(raw.get("timeout_seconds", 10.0)),
            mapping=SeverityMapping.from_json(raw.get("severity_mapping") or {}),
            targets=tuple(
                HealthTarget(str(t["kind"]), str(t["target"]), str(t.get("name", "")))
                for t in raw.get("health_targets", [])
            ),
            check_minutes=int(raw.get("check_minutes", 15)),
            warning_days=int(raw.get("certificate_warning_days", DEFAULT_WARNING_DAYS)),
        ).validated()
    except (OSError, ValueError, TypeError, KeyError, AttributeError, ValidationError) as exc:
        raise ValidationError(
            f"{path} is not valid monitoring settings ({exc}); fix or delete it."
        ) from exc
    return settings


def save_monitoring_settings(data_dir: Path, settings: MonitoringSettings) -> Path:
    return write_json_atomically(
        Path(data_dir) / MONITORING_FILENAME, settings.validated().to_json()
    )


class SourceTokens:
    """Bearer tokens of Alertmanager sources, keyed by the source URL (a token belongs to its
    server, so it is not keyed by workspace).

    Args:
        data_dir: the workspace folder, whose settings say whether secrets go to its
            owner-only file. None: the keyring only.
    """

    def __init__(self, store: SecretStore | None = None, *, data_dir: Path | None = None) -> None:
        self.store = store or SecretStore(TOKEN_SERVICE, data_dir=data_dir)

    def get(self, url: str) -> str | None:
        return self.store.get(normalize_source(url))

    def set(self, url: str, token: str) -> Keeper:
        """Store the token; returns where it went.

        Raises:
            ValidationError: the token is empty.
            SecretsUnavailable, InsecureKeyring: nothing that may keep it (nothing stored).
        """
        token = token.strip()
        if not token:
            raise ValidationError("The token is empty.")
        keeper = self.store.set(normalize_source(url), token)
        assert keeper is not None  # not session-only
        return keeper

    def delete(self, url: str) -> None:
        self.store.delete(normalize_source(url))
