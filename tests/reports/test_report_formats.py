"""The report in Markdown, HTML, ICS-214 and JSON says what the record says."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt

from commander.core.errors import ValidationError
from commander.reports.html import render_html
from commander.reports.ics214 import render_ics214
from commander.reports.markdown import render_markdown
from commander.reports.schema import export_schema
from commander.services.incidents import IncidentService
from commander.services.report import format_for

from .conftest import reports_for

ROOT = Path(__file__).resolve().parents[2]


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


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.rows_in: dict[str, int] = {}
        self.images: list[str] = []
        self.external: list[str] = []
        self._table: str | None = None
        self._section = ""

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        values = dict(attrs)
        if tag == "section":
            self._section = values.get("id") or ""
            self.ids.append(self._section)
        if tag == "tbody":
            self._table = self._section
        if tag == "tr" and self._table:
            self.rows_in[self._table] = self.rows_in.get(self._table, 0) + 1
        if tag == "img":
            self.images.append(values.get("src") or "")
        if tag in ("link", "script") or (tag == "img" and "://" in (values.get("src") or "")):
            self.external.append(tag)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "tbody":
            self._table = None


def test_html_is_self_contained_and_printable(told, workspace):
    report = reports_for(workspace).build(told.incident_id)
    page = render_html(report)
    found = _Collector()
    found.feed(page)
    assert found.ids[:2] == ["summary", "timeline"]
    assert {"action-items", "team", "deadlines", "charts"} <= set(found.ids)
    assert found.rows_in["timeline"] == len(report.timeline)
    assert len(found.images) == 2
    assert all(src.startswith("data:image/png;base64,") for src in found.images)
    assert not found.external
    assert "@media print" in page and "page-break-before: always" in page
    assert "#3a5b5b" in page
    assert "&lt;checkout&gt;" in page  # user text is escaped
    assert "<s>DNS suspected</s>" in page
    qt_page = render_html(report, for_qt=True)
    assert 'src="chart-impact.png"' in qt_page and "data:image" not in qt_page
    for html in (page, qt_page):  # the style sheet as written: CSS does not decode &#34;
        style = html.split("<style>", 1)[1].split("</style>", 1)[0]
        assert '"DejaVu Sans"' in style and "&#34;" not in style and "&quot;" not in style


def test_ics214_has_the_form_blocks_and_one_activity_per_entry(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    rows = list(csv.reader(io.StringIO(render_ics214(report))))
    labels = [row[0] for row in rows]
    for block in (
        "1. Incident Name",
        "2. Operational Period",
        "3. Name",
        "4. ICS Position",
        "5. Home Agency (and Unit)",
        "6. Resources Assigned",
        "7. Activity Log",
        "8. Prepared by",
    ):
        assert block in labels
    assert rows[labels.index("1. Incident Name")][1].endswith(f"({report.incident.ref})")
    period = rows[labels.index("2. Operational Period")]
    assert period[2:9] == [
        "2026-11-28",
        "Date To",
        "2026-11-28",
        "Time From",
        "10:00",
        "Time To",
        "11:30",
    ]
    assert rows[labels.index("3. Name")][1] == "Bob Jones"
    assert rows[labels.index("5. Home Agency (and Unit)")][1] == "Payments"
    start = labels.index("6. Resources Assigned") + 2
    resources = rows[start : labels.index("7. Activity Log")]
    assert resources == [
        ["Alice Smith", "Incident Commander", "SRE"],
        ["Bob Jones", "Technical Lead, Incident Commander", "Payments"],
        ["Carol Diaz", "Scribe", "Support"],
    ]
    activities = rows[labels.index("7. Activity Log") + 2 : labels.index("8. Prepared by")]
    assert len(activities) == len(report.timeline)
    assert any(a[1].startswith("[STRUCK] DNS suspected") for a in activities)
    assert rows[labels.index("8. Prepared by") + 2][0] == "alice"


def test_json_export_validates_against_the_published_schema(told, workspace):
    document = reports_for(workspace).export_json(told.incident_id)
    Draft202012Validator.check_schema(export_schema())
    Draft202012Validator(export_schema()).validate(json.loads(json.dumps(document)))
    published = json.loads((ROOT / "docs" / "incident-export.schema.json").read_text("utf-8"))
    assert published == export_schema()
    record = document["record"]
    assert len(record["timeline"]) == len(IncidentService(workspace).timeline(told.incident_id))
    assert record["summary"]["duration_seconds"] == 90 * 60
    assert record["review"]["primary_cause"].startswith("Expired signing key")
    assert {op["incident_id"] for op in document["ops"]} == {told.incident_id, ""}
    workspace_ops = {
        (op["entity"], op["entity_id"]) for op in document["ops"] if not op["incident_id"]
    }
    assert ("person", "alice") in workspace_ops and ("template", "resolved") not in workspace_ops
    assert ("role_def", "scribe") in workspace_ops
    assert not any(op["incident_id"] == told.other_id for op in document["ops"])


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("r.md", None, "md"),
        ("r.HTML", None, "html"),
        ("r.csv", None, "ics214"),
        ("r.txt", "markdown", "md"),
        ("r", "PDF", "pdf"),
    ],
)
def test_format_from_name_or_option(name, fmt, expected):
    assert format_for(Path(name), fmt) == expected


def test_unknown_format_is_one_sentence():
    with pytest.raises(ValidationError, match="Cannot tell the format"):
        format_for(Path("report.txt"), None)
    with pytest.raises(ValidationError, match="Unknown report format"):
        format_for(Path("report.txt"), "docx")
