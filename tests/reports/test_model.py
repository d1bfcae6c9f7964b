"""reports.model: the report as data; ``to_json`` is the readable record the export carries."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from commander.core.attachments import AttachmentRef
from commander.reports.model import ImpactPeak, ReportFile, ReviewSection

from .conftest import reports_for

AT = datetime(2026, 11, 28, 10, 20, tzinfo=UTC)


def test_to_json_summary_carries_the_times_as_iso_and_the_spans_in_seconds(told, workspace):
    record = reports_for(workspace).build(told.incident_id, charts=False).to_json()
    assert sorted(record) == [
        "action_items",
        "deadlines",
        "fields",
        "handoffs",
        "incident",
        "procedures",
        "review",
        "roster",
        "scheduled_review",
        "summary",
        "timeline",
    ]
    assert record["summary"] == {
        "started_at": "2026-11-28T10:00:00.000Z",
        "acknowledged_at": "2026-11-28T10:10:00.000Z",
        "mitigated_at": "2026-11-28T10:40:00.000Z",
        "resolved_at": "2026-11-28T11:30:00.000Z",
        "time_to_acknowledge_seconds": 600.0,
        "time_to_mitigate_seconds": 2400.0,
        "time_to_resolve_seconds": 5400.0,
        "duration_seconds": 5400.0,
        "deadlines_met": ["Acknowledge"],
        "deadlines_missed": ["Management notification", "Customer communication"],
        "impact_peaks": [
            {
                "metric": "Customers affected",
                "unit": "%",
                "peak": 18.0,
                "at": "2026-11-28T10:20:00.000Z",
                "samples": 1,
            },
            {
                "metric": "Error rate",
                "unit": "%",
                "peak": 30.0,
                "at": "2026-11-28T10:20:00.000Z",
                "samples": 2,
            },
        ],
    }
    assert record["incident"]["id"] == told.incident_id
    assert record["scheduled_review"] is None
    assert json.loads(json.dumps(record)) == record  # plain JSON all the way down


def test_to_json_lists_deadlines_items_review_fields_and_timeline_with_hlc(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    record = report.to_json()
    assert record["deadlines"][0] == {
        "name": "Acknowledge",
        "due": "2026-11-28T10:42:00.000Z",
        "met_at": "2026-11-28T10:10:00.000Z",
        "outcome": "on time",
        "how": "Paged and acknowledged",
        "met_by": "alice",
    }
    internal = next(d for d in record["deadlines"] if d["name"] == "Internal update")
    assert internal == {
        "name": "Internal update",
        "due": None,
        "met_at": None,
        "outcome": "not applicable",
        "how": None,  # empty text is null, not ""
        "met_by": None,
    }
    assert record["action_items"] == [
        {
            "title": "Automate key rotation",
            "owner": "bob",
            "term": "Short-term (1-2 weeks)",
            "due": "2026-12-10",
            "status": "Open",
            "tracker_url": None,
        },
        {
            "title": "Expiry dashboard",
            "owner": "carol",
            "term": "Medium-term (1-3 months)",
            "due": "2027-02-01",
            "status": "Open",
            "tracker_url": None,
        },
    ]
    written = {key: text for key, text in record["review"].items() if text}
    assert written == {
        "primary_cause": "Expired signing key\nrotated by hand",
        "what_we_learned": "Alert on key expiry",
    }
    assert len(record["timeline"]) == len(report.timeline)
    assert [e["hlc"] for e in record["timeline"]] == [e.hlc for e in report.timeline]
    assert record["timeline"][0]["kind"] == "system"
    assert record["procedures"] == [p.to_json() for p in report.procedures]


def test_severity_key_and_name_come_from_the_procedures_names(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    assert (report.severity_key, report.severity_name) == ("P1", "High")


def test_impact_peak_text_puts_the_unit_after_the_value_except_currency() -> None:
    def text(peak: float, unit: str) -> str:
        return ImpactPeak("Metric", unit, peak, AT, 1).text

    assert text(18.0, "%") == "18 %"
    assert text(1250.0, "ms") == "1250 ms"
    assert text(0.5, "errors/s") == "0.5 errors/s"
    assert text(12000.0, "currency") == "12000"


def test_a_review_section_is_written_when_any_field_has_more_than_whitespace() -> None:
    empty = ReviewSection("Root Cause", (("primary_cause", "Primary cause", "  \n"),))
    assert not empty.written
    assert replace(empty, fields=(*empty.fields, ("detection", "Detection", "x"))).written


def test_a_file_is_shown_only_when_it_is_an_image_whose_bytes_are_here() -> None:
    png = AttachmentRef("ab" * 32, "graph.png", "image/png", 4)
    log = AttachmentRef("cd" * 32, "app.log", "text/plain", 4)
    assert ReportFile("e1", AT, "alice", png, b"\x89PNG").shown
    assert not ReportFile("e1", AT, "alice", png, None).shown  # not yet synced
    assert not ReportFile("e2", AT, "alice", log, b"boom").shown
