"""Impact samples and charts from the command line: ``impact`` records, ``chart`` exports."""

from __future__ import annotations

import argparse
from datetime import timedelta

from commander.cli.common import (
    CommandFactory,
    add_incident_arg,
    add_json,
    input_name,
    read_input,
    with_workspace,
)
from commander.cli.output import print_json, print_text, render_table
from commander.config import load_deadline_settings
from commander.core.clock import iso
from commander.core.errors import ValidationError
from commander.core.impact import parse_metric, parse_time, parse_value
from commander.core.limits import PASTE_FILE_MAX, decode_utf8
from commander.services.charts import ChartDataService
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace

CHART_KINDS = ("impact", "response", "flowchart", "reports")


def register(command: CommandFactory) -> None:
    impact = command("impact", _impact_help, "record and list impact samples")
    actions = impact.add_subparsers(title="impact actions", metavar="ACTION")
    add = command("add", _add, "record one sample (logged on the timeline)", actions)
    add_incident_arg(add)
    add.add_argument("metric", metavar="METRIC", help="customers_pct, error_rate, latency_ms ...")
    add.add_argument("value", metavar="VALUE")
    add.add_argument("--at", metavar="TIME", help="HH:MM (your zone) or ISO-8601; default now")
    add_json(add)
    paste = command("paste", _paste, "record time,value rows from a file or - (stdin)", actions)
    add_incident_arg(paste)
    paste.add_argument("metric", metavar="METRIC")
    paste.add_argument("file", metavar="FILE|-")
    add_json(paste)
    listing = command("list", _list, "list an incident's impact samples", actions)
    add_incident_arg(listing)
    add_json(listing)

    chart = command("chart", _chart, "export a chart as PNG or SVG")
    chart.add_argument("kind", choices=CHART_KINDS, help="which chart")
    chart.add_argument("incident", nargs="?", metavar="INCIDENT", help="not for 'reports'")
    chart.add_argument("--out", required=True, metavar="FILE.png|FILE.svg")
    chart.add_argument("--theme", choices=("light", "dark", "war-room"), default="light")


def _impact_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'impact add', 'impact paste' or 'impact list'.")


@with_workspace
def _add(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    metric = parse_metric(args.metric)
    at = parse_time(args.at, now=ws.clock.now(), zone=ws.zone) if args.at else None
    ImpactService(ws).add(incident.id, metric, parse_value(args.value), at)
    if args.json:
        print_json({"incident_id": incident.id, "metric": metric.value, "recorded": 1})
    else:
        print_text(f"{incident.ref}: {metric.label} recorded")
    return 0


@with_workspace
def _paste(args: argparse.Namespace, ws: Workspace) -> int:
    raw = read_input(args.file, limit=PASTE_FILE_MAX)
    text = decode_utf8(raw, what=input_name(args.file))
    incident = IncidentService(ws).resolve(args.incident)
    result, _ = ImpactService(ws).add_rows(incident.id, args.metric, text)
    skipped = [{"line": n, "reason": why} for n, why in result.skipped]
    if args.json:
        print_json({"recorded": len(result.samples), "skipped": skipped})
    else:
        print_text(f"{incident.ref}: {len(result.samples)} samples recorded")
        for row in skipped:
            print_text(f"  skipped line {row['line']}: {row['reason']}")
    return 0


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    samples = ImpactService(ws).samples(incident.id)
    zone = ws.zone
    if args.json:
        print_json(
            [
                {
                    "id": s.id,
                    "metric": s.metric.value,
                    "at": iso(s.at),
                    "value": s.value,
                    "author": s.author,
                }
                for s in samples
            ]
        )
        return 0
    rows = [
        [
            s.metric.label,
            f"{s.at.astimezone(zone):%m-%d %H:%M}",
            f"{s.value:g} {s.metric.unit}",
            s.author,
        ]
        for s in samples
    ]
    print_text(render_table(["METRIC", "TIME", "VALUE", "BY"], rows) if rows else "No samples.")
    return 0


@with_workspace
def _chart(args: argparse.Namespace, ws: Workspace) -> int:
    from commander.charts.export import save_figure  # matplotlib: only for this command
    from commander.charts.theme import THEMES

    theme = THEMES[args.theme]
    data = ChartDataService(ws, _deadlines(ws))
    if args.kind == "reports":
        from commander.charts.reports import reports_figure

        figure = reports_figure(data.metrics(), theme)
    else:
        if not args.incident:
            raise ValidationError(f"'chart {args.kind}' needs an INCIDENT.")
        incident_id = IncidentService(ws).resolve(args.incident).id
        figure = _incident_figure(args.kind, data, incident_id, theme)
    path = save_figure(figure, args.out)
    print_text(str(path))
    return 0


def _incident_figure(kind: str, data: ChartDataService, incident_id: str, theme):  # type: ignore[no-untyped-def]
    if kind == "impact":
        from commander.charts.impact import ImpactChart

        return ImpactChart(data.impact(incident_id), theme).figure
    if kind == "response":
        from commander.charts.response import response_figure

        return response_figure(data.response(incident_id), theme)
    from commander.charts.flowchart import flowchart_figure

    return flowchart_figure(data.flowchart(incident_id), theme)


def _deadlines(ws: Workspace) -> DeadlineService:
    settings = load_deadline_settings(ws.data_dir)
    return DeadlineService(
        ws, hours=settings.business_hours(), due_soon=timedelta(minutes=settings.due_soon_minutes)
    )
