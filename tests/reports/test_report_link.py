"""The resolution notification links the report this laptop last exported."""

from __future__ import annotations

from commander.core.channels import Channel
from commander.services.comms import CommsService

from .conftest import deadlines_for, reports_for


def test_resolved_notice_links_the_exported_report(told, workspace, tmp_path):
    comms = CommsService(workspace, deadlines_for(workspace))
    before = comms.compose(told.incident_id, "resolved", channel=Channel.EMAIL).rendered
    assert "report" in before.empty and "Incident Report: <report>" in before.body
    path = tmp_path / "INC report.html"
    reports_for(workspace).export(told.incident_id, "html", path)
    link = path.resolve().as_uri()
    assert comms.record_fields(told.incident_id)["report"] == link
    after = comms.compose(told.incident_id, "resolved", channel=Channel.EMAIL).rendered
    assert f"Incident Report: {link}" in after.body and "report" not in after.empty
    typed = comms.compose(
        told.incident_id,
        "resolved",
        channel=Channel.EMAIL,
        typed={"report": "https://wiki.example.com/INC"},
    ).rendered
    assert "Incident Report: https://wiki.example.com/INC" in typed.body
    assert comms.record_fields(told.other_id)["report"] == ""


def test_a_shared_report_location_wins_over_the_local_file(told, workspace, tmp_path):
    from commander.config import SETTINGS_FILENAME

    reports_for(workspace).export(told.incident_id, "md", tmp_path / "r.md")
    settings = workspace.data_dir / SETTINGS_FILENAME
    settings.write_text('{"review_report_url": "https://wiki.example.com/incidents/"}', "utf-8")
    comms = CommsService(workspace, deadlines_for(workspace))
    ref = comms.record_fields(told.incident_id)["ref"]
    expected = f"https://wiki.example.com/incidents/{ref}-report.html"
    assert comms.record_fields(told.incident_id)["report"] == expected
    settings.write_text('{"review_report_url": "wiki/incidents"}', "utf-8")  # not a URL
    assert comms.record_fields(told.incident_id)["report"] == (tmp_path / "r.md").as_uri()
