"""``commander export`` (the incident report in any format) and ``commander import`` (JSON).

PDF needs Qt: it is imported only for ``--format pdf``, which starts an offscreen Qt
application when none runs, so the command works on a headless server too.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from commander.cli.common import CommandFactory, add_incident_arg, add_json, with_workspace
from commander.cli.output import print_json, print_text
from commander.config import load_deadline_settings
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.report import FORMATS, SUFFIXES, PdfWriter, ReportService, format_for
from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    export = command("export", _export, "write an incident's report (md, html, pdf, json, ics214)")
    add_incident_arg(export)
    export.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        help="default: from the file name (.md .html .pdf .json .csv)",
    )
    export.add_argument(
        "-o", "--out", metavar="FILE", help="where to write it (default: REF-report.html here)"
    )
    add_json(export)
    imported = command(
        "import", _import, "add an incident from a JSON export (refused if it is already here)"
    )
    imported.add_argument("file", metavar="FILE.json")
    add_json(imported)


def _service(ws: Workspace) -> ReportService:
    settings = load_deadline_settings(ws.data_dir)
    deadlines = DeadlineService(
        ws, hours=settings.business_hours(), due_soon=timedelta(minutes=settings.due_soon_minutes)
    )
    return ReportService(ws, deadlines)


@with_workspace
def _export(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    if args.out:
        path = Path(args.out).expanduser()
        fmt = format_for(path, args.format)
    else:  # the name the review invitation links: <ref>-report.html
        fmt = format_for(Path("report.html"), args.format)
        path = Path(f"{incident.ref}-report{SUFFIXES[fmt]}")
    writer: PdfWriter | None = None
    if fmt == "pdf":
        from commander.ui.features.reports.report_pdf import write_pdf  # Qt: only for PDF

        writer = write_pdf
    result = _service(ws).export(incident.id, fmt, path, pdf_writer=writer)
    if args.json:
        print_json({"incident": incident.ref, **result.to_json()})
    else:
        extra = f" (+{len(result.files) - 1} images)" if len(result.files) > 1 else ""
        print_text(f"{incident.ref}: {fmt} report written to {result.path}{extra}")
    return 0


@with_workspace
def _import(args: argparse.Namespace, ws: Workspace) -> int:
    summary = _service(ws).import_file(Path(args.file).expanduser())
    if args.json:
        print_json(summary.to_json())
    else:
        print_text(
            f"{summary.ref} imported: {summary.imported} changes"
            + (f" ({summary.already_present} already here)" if summary.already_present else "")
        )
    return 0
