"""The report in HTML (which the PDF is printed from): self-contained and printable, with the
key events table and a kind column."""

from __future__ import annotations

from html.parser import HTMLParser

from commander.reports.html import render_html

from .conftest import mark_key_events, reports_for


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


def test_html_has_the_key_events_table_and_a_kind_column(told, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    mark_key_events(workspace, told, clock)
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


def test_without_key_events_the_html_says_so(told, workspace) -> None:  # type: ignore[no-untyped-def]
    report = reports_for(workspace).build(told.incident_id, charts=False)
    assert "No entry is marked as a key event." in render_html(report)
