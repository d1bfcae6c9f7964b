"""The scenarios the procedure golden test computes deadlines for (fixed times, every severity).

``tests/core/data/procedure_golden.json`` holds what the compiled-in procedure computed for
them before the procedure became a file; the test recomputes them from the loaded seed file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from commander.core.business_hours import BusinessHours
from commander.core.deadline_facts import IncidentFacts, Met
from commander.core.deadline_policy import DEADLINE_POLICY
from commander.core.deadlines import compute_deadlines
from commander.core.policy import SEVERITY_LEVELS, Severity, Status
from commander.core.procedure_model import Procedure

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday
FRIDAY_EVENING = datetime(2026, 3, 6, 18, 30, tzinfo=UTC)
HOURS = BusinessHours()
NOWS = (0, 6, 45, 200, 60 * 30, 60 * 24 * 8)


def _at(start: datetime, minutes: float) -> datetime:
    return start + timedelta(minutes=minutes)


def scenarios() -> Iterator[tuple[str, IncidentFacts]]:
    """Every severity, alone and with upgrades, downgrades, partners, updates, resolution."""
    for start_name, start in (("wed", T0), ("fri-evening", FRIDAY_EVENING)):
        for sev in Severity:
            base = [(start, sev)]
            yield f"{start_name}-{sev}-fresh", IncidentFacts(start, base)
            yield (
                f"{start_name}-{sev}-acked",
                IncidentFacts(start, base, acknowledged_at=_at(start, 3)),
            )
            yield (
                f"{start_name}-{sev}-partners",
                IncidentFacts(start, base, partners_affected=True),
            )
            yield (
                f"{start_name}-{sev}-partners-later",
                IncidentFacts(start, base, partner_changes=[(_at(start, 10), True)]),
            )
            yield (
                f"{start_name}-{sev}-updates",
                IncidentFacts(start, base, internal_updates=[_at(start, 25), _at(start, 70)]),
            )
            met = {
                "escalation": Met(_at(start, 2), "ana", "Phoned"),
                "customer_comms": Met(_at(start, 50)),
                "timeline_impact": Met(_at(start, 130)),
            }
            yield (
                f"{start_name}-{sev}-resolved",
                IncidentFacts(
                    start,
                    base,
                    status_changes=[
                        (_at(start, 40), Status.MONITORING),
                        (_at(start, 120), Status.RESOLVED),
                    ],
                    met=met,
                ),
            )
            yield (
                f"{start_name}-{sev}-reopened",
                IncidentFacts(
                    start,
                    base,
                    status_changes=[
                        (_at(start, 60), Status.RESOLVED),
                        (_at(start, 150), Status.INVESTIGATING),
                        (_at(start, 400), Status.CLOSED),
                    ],
                    met=met,
                ),
            )
            for other in Severity:
                if other is not sev:
                    yield (
                        f"{start_name}-{sev}-to-{other}",
                        IncidentFacts(start, [*base, (_at(start, 40), other)], met=met),
                    )


def computed(procedure: Procedure | None = None) -> dict[str, Any]:
    """Every deadline of every scenario at every ``now``, as the CLI's JSON shows it, from
    ``procedure`` (the built-in seed when None)."""
    out: dict[str, Any] = {}
    for name, facts in scenarios():
        for minutes in NOWS:
            now = _at(facts.declared_at, minutes)
            found = compute_deadlines(facts, now, hours=HOURS, procedure=procedure)
            out[f"{name}@{minutes}"] = [d.to_json() for d in found]
    return out


def tables() -> dict[str, Any]:
    """The severity and deadline tables as plain values."""

    def td(value: timedelta | None) -> float | None:
        return None if value is None else value.total_seconds()

    return {
        "severities": {
            sev.value: {
                "name": level.name,
                "headline": level.headline,
                "definition": level.definition,
                "examples": list(level.examples),
                "response_time_text": level.response_time_text,
                "response_time": td(level.response_time),
                "escalation": level.escalation,
            }
            for sev, level in SEVERITY_LEVELS.items()
        },
        "deadlines": {
            sev.value: {
                kind.value: {
                    "name": rule.name,
                    "source": rule.source,
                    "offset": td(rule.offset),
                    "next_business_day": rule.next_business_day,
                    "window": td(rule.window),
                    "not_applicable": rule.not_applicable,
                    "grace": td(rule.grace),
                }
                for kind, rule in row.items()
            }
            for sev, row in DEADLINE_POLICY.items()
        },
    }
