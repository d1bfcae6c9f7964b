"""Where this laptop last exported an incident's report: what the resolution notice links.

Kept in ``meta`` (local, never synced): a file path means something only on the machine that
wrote it, and a shared link is typed into the composer's ``report`` field instead.
"""

from __future__ import annotations

from pathlib import Path

from commander.services.workspace import Workspace
from commander.storage import oplog

_KEY = "report.link."


def remember_report(ws: Workspace, incident_id: str, path: Path) -> str:
    link = Path(path).resolve().as_uri()
    with ws.write() as conn:
        oplog.write_meta(conn, _KEY + incident_id, link)
    return link


def report_link(ws: Workspace, incident_id: str) -> str:
    """The last exported report of the incident as a ``file://`` link, or ""."""
    with ws.read() as conn:
        return oplog.read_meta(conn, _KEY + incident_id) or ""
