"""How much a past incident resembles this one, and why, in words a commander can check.

A resemblance is made of features both share: the same alert (the strongest sign: the same
thing broke), the same services, the same alert labels (namespace, job ...), and similar words
in the title and the first hour of the timeline (the share of words both use, Jaccard). The
score orders the list; the reasons are what is shown, so nobody has to trust a bare number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ALERT_WEIGHT = 4.0
SERVICE_WEIGHT = 2.0
LABEL_WEIGHT = 0.5
TEXT_WEIGHT = 3.0
MIN_WORD = 4
# Labels every alert carries or that say nothing about what broke.
IGNORED_LABELS = frozenset({"alertname", "severity", "prometheus", "receiver", "instance"})
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
STOP_WORDS = frozenset(
    {"with", "from", "that", "this", "were", "have", "been", "into", "after", "than", "when"}
)


def words(text: str) -> frozenset[str]:
    """Lower-case words of four letters or more; ``CertificateExpired`` gives both halves."""
    found: set[str] = set()
    for token in _WORD.findall(text):
        parts = [token, *_CAMEL.split(token), *re.split(r"[_-]", token)]
        for part in parts:
            word = part.lower()
            if len(word) >= MIN_WORD and word not in STOP_WORDS:
                found.add(word)
    return frozenset(found)


@dataclass(frozen=True)
class Features:
    """What an incident is compared by."""

    services: frozenset[str] = frozenset()
    alerts: frozenset[str] = frozenset()
    labels: frozenset[tuple[str, str]] = frozenset()
    words: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        *,
        services: Iterable[str] = (),
        alerts: Iterable[str] = (),
        labels: Iterable[tuple[str, str]] = (),
        text: str = "",
    ) -> Features:
        return cls(
            frozenset(s.strip().lower() for s in services if s.strip()),
            frozenset(a.strip() for a in alerts if a.strip()),
            frozenset((k, v) for k, v in labels if k not in IGNORED_LABELS and v),
            words(text),
        )


@dataclass(frozen=True)
class Resemblance:
    """The score (orders the list) and the reasons (shown), strongest first."""

    score: float
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def _names(values: Iterable[str], limit: int = 4) -> str:
    ordered = sorted(values)
    more = f" (+{len(ordered) - limit})" if len(ordered) > limit else ""
    return ", ".join(ordered[:limit]) + more


def compare(probe: Features, past: Features) -> Resemblance:
    """How ``past`` resembles ``probe``: the score, and the shared features in words."""
    score = 0.0
    reasons: list[str] = []
    alerts = probe.alerts & past.alerts
    if alerts:
        score += ALERT_WEIGHT * len(alerts)
        reasons.append(f"same alert {_names(alerts)}")
    services = probe.services & past.services
    if services:
        score += SERVICE_WEIGHT * len(services)
        reasons.append(f"{'service' if len(services) == 1 else 'services'} {_names(services)}")
    labels = probe.labels & past.labels
    if labels:
        score += LABEL_WEIGHT * min(len(labels), 4)
        reasons.append(f"labels {_names(f'{k}={v}' for k, v in labels)}")
    shared_words = probe.words & past.words
    if shared_words:
        overlap = len(shared_words) / len(probe.words | past.words)
        score += TEXT_WEIGHT * overlap + 0.25 * min(len(shared_words), 4)
        reasons.append(f"similar words {_names(shared_words, 5)}")
    return Resemblance(round(score, 3), tuple(reasons))
