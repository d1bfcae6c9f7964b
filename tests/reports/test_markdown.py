"""The report in Markdown: the template's sections, every timeline entry, charts linked only
when given; the timeline starts from the key events and marks every entry's kind."""

from __future__ import annotations

from markdown_it import MarkdownIt

from commander.reports.markdown import render_markdown
from commander.services.incidents import IncidentService

from .conftest import mark_key_events, reports_for


def _tables_after(tokens, heading: str) -> list[list[list[str]]]:
    """The tables between the h2 ``heading`` and the next h2, as rows of cell texts."""
    tables: list[list[list[str]]] = []
    inside = False
    row: list[str] | None = None
    for n, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            inside = tokens[n + 1].content == heading
        if not inside:
            continue
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close" and row is not None:
            tables[-1].append(row)
            row = None
    return tables


def test_markdown_renders_the_template_sections_and_every_timeline_entry(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    text = render_markdown(report)
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    tokens = parser.parse(text)
    headings = [
        tokens[n + 1].content
        for n, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    for section in ("Incident Summary", "Timeline", "Root Cause", "Resolution", "Action Items"):
        assert section in headings
    assert {"Root Cause Analysis", "Response Team", "Deadlines"} <= set(headings)
    (timeline,) = _tables_after(tokens, "Timeline")
    stored = IncidentService(workspace).timeline(told.incident_id)
    assert timeline[0] == ["Time", "Kind", "Event", "Action taken", "Owner", "Note"]
    assert len(timeline) - 1 == len(stored)
    # The pipe in the title and the angle brackets in an entry stay text.
    assert "Checkout errors | card payments" in parser.render(text)
    assert "<checkout>" not in parser.render(text)
    struck = [r for r in timeline if r[2].startswith("~~DNS suspected")]
    assert struck and "struck: Not DNS after all" in struck[0][5]
    amended = [r for r in timeline if r[2] == "Error spike on checkout (5xx)"]
    assert "amended; originally: Error spike on \\<checkout>" in amended[0][5]
    assert amended[0][1] == "◉ observation" and timeline[1][1] == "⚙ system"
    summary = dict(row for row in _tables_after(tokens, "Incident Summary")[0][1:])
    assert summary["Duration"] == "1 h 30 min"
    assert summary["Time to acknowledge"] == "10 min"
    assert summary["Time to mitigate"] == "40 min"
    assert summary["Time to resolve"] == "1 h 30 min"
    assert summary["Severity"] == "P1 — High"
    assert summary["Peak error rate"].startswith("30 %")
    items = _tables_after(tokens, "Action Items")
    assert [row[0] for table in items for row in table[1:]] == [
        "Automate key rotation",
        "Expiry dashboard",
    ]
    assert "Expired signing key" in text and "Alert on key expiry" in text
    team = _tables_after(tokens, "Response Team")
    holders = {row[0]: row[1] for row in team[0][1:]}
    assert holders["Incident Commander"] == "Bob Jones (@bob)"
    assert holders["Scribe"] == "Carol Diaz (@carol)"
    handoffs = team[1]
    assert ["Alice Smith (@alice)", "Bob Jones (@bob)"] in [row[2:4] for row in handoffs]


def test_markdown_links_charts_only_when_given(told, workspace):
    report = reports_for(workspace).build(told.incident_id)
    assert [chart.key for chart in report.charts] == ["impact", "response"]
    assert all(chart.png.startswith(b"\x89PNG") for chart in report.charts)
    assert "## Charts" not in render_markdown(report)
    linked = render_markdown(report, {"impact": "r-impact.png"})
    assert "![Impact over time](r-impact.png)" in linked


def test_markdown_lists_key_events_before_every_entry(told, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    mark_key_events(workspace, told, clock)
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
