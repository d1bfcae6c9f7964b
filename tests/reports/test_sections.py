"""reports.sections: the report's tables as rows of text, the same for every format."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from commander.core.procedure_versions import ProcedureVersion
from commander.reports.model import ReportItem
from commander.reports.sections import (
    action_item_groups,
    deadline_rows,
    handoff_rows,
    key_event_rows,
    procedure_rows,
    review_sections,
    roster_rows,
    summary_rows,
    timeline_rows,
)

from .conftest import mark_key_events, reports_for


def test_summary_rows_follow_the_templates_incident_summary(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    rows = summary_rows(report)
    assert rows[0] == ["Incident ID", f"{report.incident.ref} ({told.incident_id})"]
    assert rows[1:] == [
        ["Title", "Checkout errors | card payments"],
        ["Severity", "P1 — High"],
        ["Status", "Resolved"],
        ["Phase", "Detection & initial response"],
        ["Procedure", "built-in procedure 1"],
        ["Declared", "2026-11-28 10:00 by alice"],
        ["Acknowledged", "2026-11-28 10:10"],
        ["Mitigated", "2026-11-28 10:40"],
        ["Resolved", "2026-11-28 11:30"],
        ["Duration", "1 h 30 min"],
        ["Time to acknowledge", "10 min"],
        ["Time to mitigate", "40 min"],
        ["Time to resolve", "1 h 30 min"],
        ["Services affected", "checkout, payments"],
        ["Customer impact", "Some card payments fail"],
        ["Peak customers affected", "18 % at 2026-11-28 10:20"],
        ["Peak error rate", "30 % at 2026-11-28 10:20"],
        ["Partners affected", "no"],
        ["Security related", "no"],
    ]


def test_timeline_rows_show_the_amendment_the_strike_and_the_date_once(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    rows = timeline_rows(report)
    assert len(rows) == len(report.timeline)
    assert rows[0].time == "28 Nov 10:00" and rows[1].time == "10:02"
    assert rows[0].kind == "⚙ system" and rows[0].system
    amended = next(r for r in rows if r.event == "Error spike on checkout (5xx)")
    assert (amended.kind, amended.action, amended.owner) == ("◉ observation", "Rollback", "bob")
    assert amended.note == "amended; originally: Error spike on <checkout>"
    assert not amended.system and not amended.struck
    struck = next(r for r in rows if r.event == "DNS suspected")
    assert struck.struck and struck.note == "struck: Not DNS after all"
    assert key_event_rows(rows) == []


def test_key_event_rows_keep_the_marked_rows_that_are_not_struck(told, workspace, clock):
    mark_key_events(workspace, told, clock)
    rows = timeline_rows(reports_for(workspace).build(told.incident_id, charts=False))
    key = key_event_rows(rows)
    assert [(r.time, r.kind, r.event) for r in key] == [
        ("10:15", "★ ◉ observation", "Error spike on checkout (5xx)"),
        ("10:25", "★ ◆ decision by bob", "roll back checkout"),
    ]
    assert key[1].note == "back-filled: recorded 11:41"  # logged at 11:41 for 10:25


def test_roster_handoff_and_deadline_rows(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    assert roster_rows(report) == [
        ["Incident Commander", "Bob Jones (@bob)", "2026-11-28 10:30"],
        ["Technical Lead", "Bob Jones (@bob)", "2026-11-28 10:02"],
        ["Scribe", "Carol Diaz (@carol)", "2026-11-28 10:05"],
    ]
    assert handoff_rows(report)[-1] == [
        "2026-11-28 10:30",
        "Incident Commander",
        "Alice Smith (@alice)",
        "Bob Jones (@bob)",
        "alice",
        "Alice off shift",
    ]
    assert handoff_rows(report)[0][2] == ""  # the first holder relieves nobody
    deadlines = deadline_rows(report)
    assert deadlines[0] == [
        "Acknowledge",
        "2026-11-28 10:42",
        "2026-11-28 10:10",
        "on time",
        "Paged and acknowledged — alice",
    ]
    assert ["Internal update", "—", "—", "not applicable", ""] in deadlines
    assert ["Management notification", "2026-11-28 11:12", "—", "missed", ""] in deadlines


def test_action_items_group_by_horizon_in_the_templates_order(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)

    def item(title: str, term: str, due: date) -> ReportItem:
        return ReportItem(title, "bob", term, due, "Open")

    mixed = replace(
        report,
        action_items=[
            item("Someday", "Whenever", date(2026, 12, 1)),
            item("Rewrite", "Long-term (3+ months)", date(2027, 6, 1)),
            item("Later fix", "Short-term (1-2 weeks)", date(2026, 12, 9)),
            *report.action_items,
            item("Earlier fix", "Short-term (1-2 weeks)", date(2026, 12, 9)),
        ],
    )
    groups = action_item_groups(mixed)
    assert [(label, [i.title for i in items]) for label, items in groups] == [
        ("Short-term (1-2 weeks)", ["Earlier fix", "Later fix", "Automate key rotation"]),
        ("Medium-term (1-3 months)", ["Expiry dashboard"]),
        ("Long-term (3+ months)", ["Rewrite"]),
        ("Whenever", ["Someday"]),  # a term the template does not name comes last
    ]


def test_procedure_rows_name_the_first_version_then_each_change_with_its_time(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    changed = replace(
        report,
        procedures=[
            *report.procedures,
            ProcedureVersion(
                "Acme runbook", "2.1", False, since=datetime(2026, 11, 28, 10, 45, tzinfo=UTC)
            ),
            ProcedureVersion("Acme runbook", "2.2", False),
        ],
    )
    assert procedure_rows(changed) == [
        ["Procedure", "built-in procedure 1"],
        ["Procedure changed", "Acme runbook 2.1 from 2026-11-28 10:45"],
        ["Procedure changed", "Acme runbook 2.2"],
    ]
    assert procedure_rows(replace(report, procedures=[])) == []


def test_review_sections_leave_out_the_summarys_own_fields(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    assert "Incident Summary" in [s.title for s in report.review]
    assert [s.title for s in review_sections(report)] == [
        "Root Cause",
        "Resolution",
        "Root Cause Analysis",
        "Review Agenda",
    ]
