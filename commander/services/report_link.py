"""What the resolution notice links as "the incident report".

With a shared report location configured (``review_report_url`` in ``settings.json``, the same
setting the review invitation uses) it is ``<base>/<reference>-report.html``, where everyone can
open it. Otherwise it is the report this laptop last exported (kept in ``meta``: local, never
synced, since a file path means something only on the machine that wrote it), or "" so the
composer lists the field as still empty and the user can paste a link.
"""

from __future__ import annotations

from pathlib import Path

from commander.core.errors import ValidationError
from commander.services.review_invite import configured_report_url
from commander.services.review_invite import report_link as shared_report_link
from commander.services.workspace import Workspace
from commander.storage import oplog

_KEY = "report.link."


def remember_report(ws: Workspace, incident_id: str, path: Path) -> str:
    link = Path(path).resolve().as_uri()
    with ws.write() as conn:
        oplog.write_meta(conn, _KEY + incident_id, link)
    return link


def report_link(ws: Workspace, incident_id: str, ref: str) -> str:
    """The shared report address, else the last local export as a ``file://`` link, else ""."""
    base = configured_report_url(ws.data_dir)
    if base:
        try:
            return shared_report_link(ref, base)
        except ValidationError:  # a malformed setting: fall back to what this laptop knows
            pass
    with ws.read() as conn:
        return oplog.read_meta(conn, _KEY + incident_id) or ""
