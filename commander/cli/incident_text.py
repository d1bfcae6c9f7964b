"""``commander show``'s text: the incident's header lines and its timeline as one table."""

from __future__ import annotations

from datetime import tzinfo

from commander.cli.output import render_table, safe
from commander.core.clock import from_ms
from commander.core.entry_kinds import KEY_ICON, Kind
from commander.core.procedure_versions import ProcedureVersion, versions_text
from commander.core.records import Incident, TimelineEntry
from commander.core.severity_names import BUILTIN, SeverityNames
from commander.services.questions import short_id


def render_incident(
    incident: Incident,
    timeline: list[TimelineEntry],
    zone: tzinfo,
    versions: list[ProcedureVersion] | None = None,
    names: SeverityNames = BUILTIN,
) -> str:
    declared = incident.declared_at.astimezone(zone)
    lines = [
        f"{incident.ref}  {safe(names.label(incident.severity))}  "
        f"{incident.status.label}  {incident.phase.label}",
        safe(incident.title),
        f"Id:        {incident.id}",
        f"Declared:  {declared:%Y-%m-%d %H:%M %Z} by {safe(incident.declared_by)}",
        f"Services:  {safe(', '.join(incident.services)) or '—'}",
        f"Impact:    {safe(incident.impact) or '—'}",
        *([f"Procedure: {safe(versions_text(versions, zone))}"] if versions else []),
        "",
    ]
    rows = []
    minutes: dict[int, str] = {}  # a busy timeline has many entries a minute: format each once
    for entry in timeline:
        event, action = entry.event, entry.action
        if entry.amended_event is not None:
            event = f"{entry.amended_event} [amended; was: {entry.event}]"
            action = entry.amended_action if entry.amended_action is not None else action
        if entry.struck:
            event = f"[struck: {entry.strike_reason}] {event}"
        minute = entry.occurred_at_ms // 60_000
        when = minutes.get(minute)
        if when is None:
            when = minutes[minute] = f"{from_ms(minute * 60_000).astimezone(zone):%m-%d %H:%M}"
        kind = f"{KEY_ICON} {entry.kind}" if entry.key_event else entry.kind
        if entry.kind == Kind.DECISION and entry.attributed_to:
            kind += f" ({safe(entry.attributed_to)})"
        rows.append(
            [
                when,
                kind,
                safe(event),
                safe(action),
                safe(entry.owner),
                short_id(entry.id),
            ]
        )
    if rows:
        headers = ["TIME", "KIND", "EVENT", "ACTION TAKEN", "OWNER", "ID"]
        lines.append(render_table(headers, rows))
    else:
        lines.append("No timeline entries.")
    return "\n".join(lines)
