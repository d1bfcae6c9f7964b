"""The resolution notice's report link: the shared address when one is configured, else this
laptop's last export as a file:// link, else empty."""

from __future__ import annotations

import json

from commander.config import SETTINGS_FILENAME
from commander.services.report_link import remember_report, report_link


def _settings(workspace, **values) -> None:  # type: ignore[no-untyped-def]
    (workspace.data_dir / SETTINGS_FILENAME).write_text(json.dumps(values), encoding="utf-8")


def test_nothing_configured_or_exported_is_empty(workspace, incidents) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    assert report_link(workspace, incident.id, incident.ref) == ""


def test_the_last_local_export_is_a_file_link(workspace, incidents, tmp_path) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    other = incidents.declare(title="DB slow", severity="P2").incident
    first = tmp_path / "reports" / "first.html"
    link = remember_report(workspace, incident.id, first)
    assert link == first.resolve().as_uri() and link.startswith("file:///")
    remember_report(workspace, incident.id, tmp_path / "second.html")
    assert report_link(workspace, incident.id, incident.ref) == (
        (tmp_path / "second.html").resolve().as_uri()
    )
    assert report_link(workspace, other.id, other.ref) == ""  # per incident


def test_a_shared_location_wins_over_the_local_export(workspace, incidents, tmp_path) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    remember_report(workspace, incident.id, tmp_path / "mine.html")
    _settings(workspace, review_report_url="https://wiki.example/reports/")
    assert report_link(workspace, incident.id, incident.ref) == (
        f"https://wiki.example/reports/{incident.ref}-report.html"
    )


def test_a_malformed_shared_location_falls_back_to_the_export(
    workspace, incidents, tmp_path
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    _settings(workspace, review_report_url="wiki.example/reports")
    assert report_link(workspace, incident.id, incident.ref) == ""
    link = remember_report(workspace, incident.id, tmp_path / "mine.html")
    assert report_link(workspace, incident.id, incident.ref) == link
