"""Impact as numbers over time: what the charts plot and the review quantifies.

The procedure judges severity by impact ("> 25% customers affected" is P1) and asks for a
quantified impact assessment afterwards; these are the series a responder records by hand, one
sample (time, value) at a time or pasted as ``time,value`` rows from a monitoring export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from commander.core import limits
from commander.core.clock import parse_iso
from commander.core.errors import ValidationError

PASTE_MAX_ROWS = limits.PASTE_ROWS_MAX


class Metric(StrEnum):
    CUSTOMERS_PCT = "customers_pct"
    CUSTOMERS = "customers"
    ERROR_RATE = "error_rate"
    LATENCY_MS = "latency_ms"
    PARTNERS = "partners"
    REVENUE = "revenue"

    @property
    def label(self) -> str:
        return METRIC_LABELS[self][0]

    @property
    def unit(self) -> str:
        return METRIC_LABELS[self][1]


METRIC_LABELS: dict[Metric, tuple[str, str]] = {
    Metric.CUSTOMERS_PCT: ("Customers affected", "%"),
    Metric.CUSTOMERS: ("Customers affected", "customers"),
    Metric.ERROR_RATE: ("Error rate", "%"),
    Metric.LATENCY_MS: ("Latency (p95)", "ms"),
    Metric.PARTNERS: ("Partners affected", "integrations"),
    Metric.REVENUE: ("Revenue impact (est.)", "currency"),
}

P1_CUSTOMER_THRESHOLD_PCT = 25.0  # "Partial service outage (>25% customers affected)"


@dataclass(frozen=True)
class Sample:
    at: datetime
    value: float


def parse_metric(text: str) -> Metric:
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Metric(key)
    except ValueError:
        names = ", ".join(m.value for m in Metric)
        raise ValidationError(f"Unknown impact metric {text!r}: use one of {names}.") from None


def check_value(metric: Metric, value: float) -> float:
    """Refuse values the metric cannot take (negative counts, more than 100 %)."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(f"{metric.label}: {value} is not a number.")
    if value < 0:
        raise ValidationError(f"{metric.label} cannot be negative ({value:g}).")
    if metric.unit == "%" and value > 100:
        raise ValidationError(f"{metric.label} is a percentage: {value:g} is above 100.")
    return float(value)


def parse_value(text: str) -> float:
    cleaned = text.strip().replace(",", "").rstrip("%").strip()
    try:
        return float(cleaned)
    except ValueError:
        raise ValidationError(f"{text.strip()!r} is not a number.") from None


def parse_time(text: str, *, now: datetime, zone: tzinfo) -> datetime:
    """``HH:MM[:SS]`` today in the user's zone (yesterday if that is in the future), or ISO."""
    text = text.strip()
    parts = text.split(":")
    if 2 <= len(parts) <= 3 and all(p.isdigit() for p in parts):
        hour, minute = int(parts[0]), int(parts[1])
        second = int(parts[2]) if len(parts) == 3 else 0
        if hour > 23 or minute > 59 or second > 59:
            raise ValidationError(f"{text} is not a time of day.")
        local = now.astimezone(zone).replace(hour=hour, minute=minute, second=second, microsecond=0)
        if local - now.astimezone(zone) > timedelta(minutes=5):
            local -= timedelta(days=1)
        return datetime.fromtimestamp(local.timestamp(), now.tzinfo)
    try:
        return parse_iso(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a time (HH:MM or ISO-8601).") from None


@dataclass(frozen=True)
class PasteResult:
    samples: list[Sample]
    skipped: list[tuple[int, str]]  # (line number, reason)


def parse_rows(text: str, metric: Metric, *, now: datetime, zone: tzinfo) -> PasteResult:
    """Rows of ``time,value`` (comma, tab or semicolon); a header line is allowed.

    Every bad row is reported by number with its reason, so nothing is dropped silently.
    """
    lines = text.splitlines()
    if len(lines) > PASTE_MAX_ROWS:
        raise ValidationError(f"{len(lines):,} rows pasted; the limit is {PASTE_MAX_ROWS:,}.")
    samples: list[Sample] = []
    skipped: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        for sep in ("\t", ";", ","):
            if sep in line:
                when_text, _, value_text = line.partition(sep)
                break
        else:
            skipped.append((number, "expected time,value"))
            continue
        try:
            when = parse_time(when_text, now=now, zone=zone)
            value = check_value(metric, parse_value(value_text))
        except ValidationError as err:
            if number == 1 and not any(ch.isdigit() for ch in line):
                continue  # a header row such as "time,value"
            skipped.append((number, str(err)))
            continue
        if when - now > timedelta(minutes=5):
            skipped.append((number, "in the future"))
            continue
        samples.append(Sample(when, value))
    return PasteResult(samples, skipped)
