"""The report's timeline starts from the key events and marks every entry's kind, in the
Markdown and in the HTML (which the PDF is printed from)."""

from __future__ import annotations

from datetime import timedelta

from markdown_it import MarkdownIt

from commander.reports.html import render_html
from commander.reports.markdown import render_markdown
from commander.services.incidents import IncidentService

from .conftest import T0, reports_for
from .test_report_formats import _Collector, _tables_after


def _mark_key_events(workspace, told, clock) -> str:  # type: ignore[no-untyped-def]
    incidents = IncidentService(workspace)
    clock.set(T0 + timedelta(minutes=101))
    decision, _ = incidents.log_quick(told.incident_id, "10:25 d: @bob roll back checkout")
    incidents.mark_key(decision.id)
    incidents.mark_key(told.amended_entry)
    incidents.mark_key(told.struck_entry)  # struck: stays out of the key events
    return decision.id


def test_markdown_lists_key_events_before_every_entry(told, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    _mark_key_events(workspace, told, clock)
    text = render_markdown(reports_for(workspace).build(told.incident_id, charts=False))
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(text)
    key, every = _tables_after(tokens, "Timeline")
    assert key == [
        ["Time", "Kind", "Event", "Owner"],
        ["10:15", "★ ◉ observation", "Error spike on checkout (5xx)", "bob"],
        ["10:25", "★ ◆ decision by bob", "roll back checkout", "alice"],
    ]
    assert text.index("### Key events") < text.index("### All entries")
    kinds = {row[2]: row[1] for row in every[1:]}
    assert kinds["roll back checkout"] == "★ ◆ decision by bob"
    assert kinds["~~DNS suspected~~"] == "★ ◉ observation"  # marked, but struck: not above


def test_without_key_events_the_report_says_so(told, workspace) -> None:  # type: ignore[no-untyped-def]
    report = reports_for(workspace).build(told.incident_id, charts=False)
    assert "*No entry is marked as a key event.*" in render_markdown(report)
    assert "No entry is marked as a key event." in render_html(report)


def test_html_has_the_key_events_table_and_a_kind_column(told, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    _mark_key_events(workspace, told, clock)
    report = reports_for(workspace).build(told.incident_id, charts=False)
    page = render_html(report)
    found = _Collector()
    found.feed(page)
    assert found.rows_in["timeline"] == len(report.timeline) + 2  # two key events, then all
    assert page.index("<h3>Key events</h3>") < page.index("<h3>All entries</h3>")
    assert '<td class="kind">★ ◆ decision by bob</td>' in page
    assert '<td class="kind">⚙ system</td>' in page
    qt_page = render_html(report, for_qt=True)
    assert "<h3>Key events</h3>" in qt_page and "tr.key td" in qt_page
