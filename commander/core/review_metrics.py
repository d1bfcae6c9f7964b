"""The review's numbers, all taken from the record: nothing is invented.

The service gathers the record's facts and ``compute_metrics`` turns them into the Incident
Summary's times and durations; a time the record does not hold stays None and is shown as
"not recorded".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from commander.core.deadlines import Deadline, DeadlineState
from commander.core.policy import Phase, Status
from commander.core.records_json import JsonRecord, json_field


@dataclass(frozen=True)
class ReviewMetrics(JsonRecord):
    """Times and durations for the Incident Summary, all taken from the record.

    ``started_at`` is the record's start: the declaration, or the first timeline entry when the
    scribe back-filled earlier events (the alert that fired before anyone declared).
    ``acknowledged_at`` is when the response deadline was met by someone (None if nobody
    recorded it). ``mitigated_at`` is the
    first time a fix was in place: the status first reached monitoring (or resolved), or the
    phase first reached "Resolution & recovery". ``resolved_at`` is the start of the current
    resolved stretch: a re-opened incident is resolved only when it is resolved again.
    ``duration`` is start to full resolution. ``deadlines_met``: deadlines met on time;
    ``deadlines_missed``: deadlines met late, overdue now, or logged as missed (internal updates
    can be missed more than once: "Internal update (2x)").
    """

    started_at: datetime
    acknowledged_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    time_to_acknowledge: timedelta | None = field(
        metadata=json_field(name="time_to_acknowledge_seconds")
    )
    time_to_mitigate: timedelta | None = field(metadata=json_field(name="time_to_mitigate_seconds"))
    time_to_resolve: timedelta | None = field(metadata=json_field(name="time_to_resolve_seconds"))
    duration: timedelta | None = field(metadata=json_field(name="duration_seconds"))
    deadlines_met: tuple[str, ...] = ()
    deadlines_missed: tuple[str, ...] = ()


_MITIGATED_STATUSES = (Status.MONITORING, Status.RESOLVED, Status.CLOSED)
_MITIGATED_PHASES = (Phase.RESOLUTION, Phase.POST_INCIDENT)


def compute_metrics(
    *,
    declared_at: datetime,
    status_changes: Sequence[tuple[datetime, Status]] = (),
    phase_changes: Sequence[tuple[datetime, Phase]] = (),
    acknowledged_at: datetime | None = None,
    deadlines: Sequence[Deadline] = (),
    missed: Sequence[str] = (),
    first_entry_at: datetime | None = None,
) -> ReviewMetrics:
    """The review's numbers from the record.

    Args:
        declared_at: when the incident was declared.
        status_changes: ``(at, status)`` after declaration (the status starts investigating).
        phase_changes: ``(at, phase)`` after declaration.
        acknowledged_at: when the response deadline was met, if it was.
        deadlines: the incident's deadlines as of now (``compute_deadlines``).
        missed: names of deadlines logged as missed on the timeline, one per miss.
        first_entry_at: the earliest timeline entry that is not struck, if any.
    """
    started_at = declared_at if first_entry_at is None else min(declared_at, first_entry_at)
    statuses = sorted(((max(at, declared_at), s) for at, s in status_changes), key=lambda c: c[0])
    phases = sorted(((max(at, declared_at), p) for at, p in phase_changes), key=lambda c: c[0])
    resolved_at: datetime | None = None
    for at, status in statuses:
        if status.is_active:
            resolved_at = None
        elif resolved_at is None:
            resolved_at = at
    fixed = [at for at, s in statuses if s in _MITIGATED_STATUSES]
    fixed += [at for at, p in phases if p in _MITIGATED_PHASES]
    mitigated_at = min(fixed) if fixed else None

    def since_start(at: datetime | None) -> timedelta | None:
        return None if at is None else max(at - started_at, timedelta(0))

    met_on_time: list[str] = []
    late: list[str] = list(missed)
    for deadline in deadlines:
        if deadline.state is DeadlineState.MET:
            if deadline.met_in_time():
                met_on_time.append(deadline.name)
            elif deadline.name not in late:
                late.append(deadline.name)
        elif deadline.state is DeadlineState.OVERDUE and deadline.name not in late:
            late.append(deadline.name)
    return ReviewMetrics(
        started_at=started_at,
        acknowledged_at=acknowledged_at,
        mitigated_at=mitigated_at,
        resolved_at=resolved_at,
        time_to_acknowledge=since_start(acknowledged_at),
        time_to_mitigate=since_start(mitigated_at),
        time_to_resolve=since_start(resolved_at),
        duration=since_start(resolved_at),
        deadlines_met=tuple(met_on_time),
        deadlines_missed=_counted(late),
    )


def _counted(names: Sequence[str]) -> tuple[str, ...]:
    """Names in first-seen order, a repeated one as "Name (2x)"."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return tuple(name if n == 1 else f"{name} ({n}x)" for name, n in counts.items())


def format_duration(value: timedelta | None) -> str:
    """``"2 h 05 min"``, ``"3 d 4 h"``, ``"45 min"``; "not recorded" for None."""
    if value is None:
        return "not recorded"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"
