"""Alerts from Prometheus Alertmanager and Grafana, as one record, and what they suggest.

Three wire formats reach the console: the Alertmanager API v2 ``GET /api/v2/alerts`` list
(``gettableAlert``), the Alertmanager ``webhook_config`` payload (version 4) and Grafana's
alerting webhook payload. All three become ``Alert``; a payload that is not what it claims
raises ``AlertPayloadError`` naming the alert and the field, so a broken sender is a sentence
in the panel, never a crash of the poller.

Pure: no I/O. Times come in as ISO strings and leave as aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commander.core.clock import parse_iso
from commander.core.errors import ValidationError
from commander.core.limits import (
    ALERT_ANNOTATION_MAX,
    ALERT_LABEL_MAX,
    ALERT_LABELS_MAX,
    ALERTS_PER_PAYLOAD_MAX,
)
from commander.core.records_json import JsonRecord, json_computed

FIRING = "firing"
RESOLVED = "resolved"

SOURCE_WEBHOOK_ALERTMANAGER = "webhook:alertmanager"
SOURCE_WEBHOOK_GRAFANA = "webhook:grafana"

# Go's zero time: Alertmanager and Grafana send it as endsAt while an alert still fires.
_ZERO_YEAR = 1


class AlertPayloadError(ValidationError):
    """A payload that is not valid Alertmanager or Grafana alert JSON; the message says where."""


@dataclass(frozen=True)
class Alert(JsonRecord):
    """One alert, whichever way it arrived.

    Attributes:
        fingerprint: the sender's identity of the label set; duplicates share it.
        status: ``firing`` or ``resolved``.
        silenced_by / inhibited_by: ids of silences, fingerprints of inhibiting alerts
            (API v2 only; webhooks never carry muted alerts).
        source: the Alertmanager URL it was polled from, or ``webhook:<kind>``.
    """

    fingerprint: str
    status: str
    labels: Mapping[str, str] = field(hash=False)
    annotations: Mapping[str, str] = field(hash=False)
    starts_at: datetime
    ends_at: datetime | None = None
    generator_url: str = ""
    silenced_by: tuple[str, ...] = ()
    inhibited_by: tuple[str, ...] = ()
    source: str = ""

    JSON_COMPUTED = (
        json_computed("state", before="labels"),
        json_computed("name", before="labels"),
    )

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "") or self.fingerprint

    @property
    def severity_label(self) -> str:
        return self.labels.get("severity", "")

    @property
    def summary(self) -> str:
        return self.annotations.get("summary", "") or self.annotations.get("message", "")

    @property
    def description(self) -> str:
        return self.annotations.get("description", "")

    @property
    def firing(self) -> bool:
        return self.status == FIRING

    @property
    def silenced(self) -> bool:
        return bool(self.silenced_by)

    @property
    def inhibited(self) -> bool:
        return bool(self.inhibited_by)

    @property
    def state(self) -> str:
        """``firing``, ``silenced``, ``inhibited`` or ``resolved``."""
        return self.state_text.lower()

    @property
    def state_text(self) -> str:
        """What a person reads: Firing, Silenced, Inhibited or Resolved."""
        if not self.firing:
            return "Resolved"
        if self.silenced:
            return "Silenced"
        if self.inhibited:
            return "Inhibited"
        return "Firing"


# -- fingerprints --------------------------------------------------------------------------

_FNV_OFFSET = 14695981039346656037
_FNV_PRIME = 1099511628211
_SEPARATOR = 0xFF


def label_fingerprint(labels: Mapping[str, str]) -> str:
    """Alertmanager's own fingerprint of a label set (FNV-1a 64 over sorted name/value pairs,
    each followed by byte 255), so an alert without one dedupes with its polled twin."""
    value = _FNV_OFFSET
    for name in sorted(labels):
        for part in (name, labels[name]):
            for byte in (*part.encode("utf-8"), _SEPARATOR):
                value ^= byte
                value = (value * _FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


# -- parsing -------------------------------------------------------------------------------


def parse_v2_alerts(data: Any, *, source: str, now: datetime) -> list[Alert]:
    """``GET /api/v2/alerts`` (a list of ``gettableAlert``): active, silenced and inhibited.

    An alert whose ``endsAt`` has passed is resolved (Alertmanager keeps it until its
    resolve timeout, then drops it).
    """
    if not isinstance(data, list):
        raise AlertPayloadError(
            f"{_kind(data)} instead of a list of alerts (is this an Alertmanager /api/v2/alerts?)"
        )
    _check_count(data)
    alerts = []
    for n, raw in enumerate(data, 1):
        item = _object(raw, f"alert {n}")
        where = f"alert {n}"
        labels = _string_map(item.get("labels"), f"{where}: labels", required=True)
        status = _object(item.get("status", {}), f"{where}: status")
        ends_at = _time(item.get("endsAt"), f"{where}: endsAt", required=False)
        alerts.append(
            Alert(
                fingerprint=_fingerprint(item, labels, where),
                status=RESOLVED if ends_at is not None and ends_at <= now else FIRING,
                labels=labels,
                annotations=_string_map(
                    item.get("annotations"), f"{where}: annotations", limit=ALERT_ANNOTATION_MAX
                ),
                starts_at=_time(item.get("startsAt"), f"{where}: startsAt") or now,
                ends_at=ends_at,
                generator_url=_string(
                    item.get("generatorURL"), f"{where}: generatorURL", limit=ALERT_ANNOTATION_MAX
                ),
                silenced_by=_strings(status.get("silencedBy"), f"{where}: silencedBy"),
                inhibited_by=_strings(status.get("inhibitedBy"), f"{where}: inhibitedBy"),
                source=source,
            )
        )
    return alerts


def parse_alertmanager_webhook(
    data: Any, *, source: str = SOURCE_WEBHOOK_ALERTMANAGER
) -> list[Alert]:
    """An Alertmanager ``webhook_config`` notification (payload version 4)."""
    body = _object(data, "the payload")
    version = str(body.get("version", ""))
    if version != "4":
        raise AlertPayloadError(
            f"Alertmanager webhook payload version {version or '(missing)'} is not supported; "
            "version 4 is."
        )
    return _webhook_alerts(body, source)


def parse_grafana_webhook(data: Any, *, source: str = SOURCE_WEBHOOK_GRAFANA) -> list[Alert]:
    """A Grafana alerting webhook notification (contact point of type webhook)."""
    body = _object(data, "the payload")
    if "alerts" not in body:
        raise AlertPayloadError(
            "the payload has no 'alerts' list (is it a legacy Grafana alert notification?)"
        )
    return _webhook_alerts(body, source)


def parse_payload(data: Any, *, now: datetime, source: str | None = None) -> list[Alert]:
    """Any of the three formats, recognised by shape: a list is API v2, ``orgId`` or version
    "1" is Grafana, version "4" is Alertmanager."""
    if isinstance(data, list):
        return parse_v2_alerts(data, source=source or "file", now=now)
    body = _object(data, "the payload")
    if "orgId" in body or str(body.get("version", "")) == "1":
        return parse_grafana_webhook(body, source=source or SOURCE_WEBHOOK_GRAFANA)
    return parse_alertmanager_webhook(body, source=source or SOURCE_WEBHOOK_ALERTMANAGER)


def _webhook_alerts(body: Mapping[str, Any], source: str) -> list[Alert]:
    raw_alerts = body.get("alerts")
    if not isinstance(raw_alerts, list):
        raise AlertPayloadError(f"'alerts' is {_kind(raw_alerts)}, not a list")
    _check_count(raw_alerts)
    common = _string_map(body.get("commonLabels"), "commonLabels")
    alerts = []
    for n, raw in enumerate(raw_alerts, 1):
        where = f"alert {n}"
        item = _object(raw, where)
        labels = {**common, **_string_map(item.get("labels"), f"{where}: labels")}
        if not labels:
            raise AlertPayloadError(f"{where} has no labels")
        status = _string(item.get("status"), f"{where}: status") or FIRING
        if status not in (FIRING, RESOLVED):
            raise AlertPayloadError(f"{where}: status {status!r} is neither firing nor resolved")
        starts_at = _time(item.get("startsAt"), f"{where}: startsAt")
        if starts_at is None:  # Go's zero time
            raise AlertPayloadError(f"{where}: startsAt is missing")
        alerts.append(
            Alert(
                fingerprint=_fingerprint(item, labels, where),
                status=status,
                labels=labels,
                annotations=_string_map(
                    item.get("annotations"), f"{where}: annotations", limit=ALERT_ANNOTATION_MAX
                ),
                starts_at=starts_at,
                ends_at=_time(item.get("endsAt"), f"{where}: endsAt", required=False),
                generator_url=_string(
                    item.get("generatorURL"), f"{where}: generatorURL", limit=ALERT_ANNOTATION_MAX
                ),
                source=source,
            )
        )
    return alerts


def _fingerprint(item: Mapping[str, Any], labels: Mapping[str, str], where: str) -> str:
    given = _string(item.get("fingerprint"), f"{where}: fingerprint").strip()
    return given or label_fingerprint(labels)


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise AlertPayloadError(f"{what} is {_kind(value)}, not a JSON object")
    return value


def _check_count(items: list[Any]) -> None:
    if len(items) > ALERTS_PER_PAYLOAD_MAX:
        raise AlertPayloadError(
            f"the payload holds {len(items):,} alerts; the limit is {ALERTS_PER_PAYLOAD_MAX:,}"
        )


def _string(value: Any, what: str, *, limit: int = ALERT_LABEL_MAX, multiline: bool = False) -> str:
    """A string the console can keep: bounded, and without NUL or terminal control bytes."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AlertPayloadError(f"{what} is {_kind(value)}, not a string")
    if len(value) > limit:
        raise AlertPayloadError(f"{what} is {len(value):,} characters long; the limit is {limit:,}")
    for ch in value:
        if (ch < " " and not (multiline and ch in "\n\t\r")) or ch == "\x7f":
            raise AlertPayloadError(f"{what} contains a control character (U+{ord(ch):04X})")
        if "\ud800" <= ch <= "\udfff":
            raise AlertPayloadError(f"{what} is not valid text (a lone surrogate)")
    return value


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AlertPayloadError(f"{what} is not a list of strings")
    if len(value) > ALERT_LABELS_MAX:
        raise AlertPayloadError(f"{what} holds {len(value):,} ids; the limit is {ALERT_LABELS_MAX}")
    return tuple(_string(v, what) for v in value)


def _string_map(
    value: Any, what: str, *, required: bool = False, limit: int = ALERT_LABEL_MAX
) -> dict[str, str]:
    """Labels (one line each) or annotations (``limit`` given: multi-line, longer)."""
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise AlertPayloadError(f"{what} is {_kind(value)}, not an object of strings")
    if len(value) > ALERT_LABELS_MAX:
        raise AlertPayloadError(f"{what} holds {len(value):,}; the limit is {ALERT_LABELS_MAX}")
    result = {}
    for key, item in value.items():
        name = _string(str(key), f"{what}: a name")
        if not isinstance(item, str):
            raise AlertPayloadError(f"{what}: {name[:40]!r} is {_kind(item)}, not a string")
        result[name] = _string(
            item, f"{what}: {name[:40]!r}", limit=limit, multiline=limit != ALERT_LABEL_MAX
        )
    return result


def _time(value: Any, what: str, *, required: bool = True) -> datetime | None:
    text = _string(value, what).strip()
    if not text:
        if required:
            raise AlertPayloadError(f"{what} is missing")
        return None
    try:
        when = parse_iso(_trim_fraction(text))
    except ValueError:
        raise AlertPayloadError(f"{what} {text!r} is not an RFC 3339 time") from None
    return None if when.year <= _ZERO_YEAR else when


def _trim_fraction(text: str) -> str:
    """Go writes nanoseconds (``.739266876``); Python reads at most microseconds."""
    head, dot, rest = text.partition(".")
    if not dot:
        return text
    digits = len(rest) - len(rest.lstrip("0123456789"))
    return f"{head}.{rest[: min(digits, 6)]}{rest[digits:]}"


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return next((name for t, name in names.items() if isinstance(value, t)), "something else")
