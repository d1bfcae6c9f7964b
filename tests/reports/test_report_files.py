"""Files attached to the timeline in the report: listed in every format, images shown,
written beside a Markdown export, never shown when their bytes do not match their SHA-256."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from commander.reports.html import render_html
from commander.services.attachments import AttachmentService
from commander.storage.database import dbapi

from .conftest import reports_for

PNG = (Path(__file__).parent.parent / "fixtures" / "attachments" / "red-2x2.png").read_bytes()
LOG = b"2026-11-28T10:21:07Z ERROR tls: certificate has expired\n"


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def _attach(workspace, incident_id: str) -> None:  # type: ignore[no-untyped-def]
    files = AttachmentService(workspace)
    files.attach(incident_id, PNG, "latency graph.png")
    files.attach(incident_id, LOG, "gateway.log")


def test_markdown_export_writes_the_files_beside_it_and_links_them(told, workspace, tmp_path):
    _attach(workspace, told.incident_id)
    path = tmp_path / "report.md"
    result = reports_for(workspace).export(told.incident_id, "md", path)
    folder = tmp_path / "report-files"
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 2 and any(n.endswith("-gateway.log") for n in written)
    assert {p for p in result.files if p.parent == folder} == set(folder.iterdir())
    tokens = MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))
    links = [
        child.attrs["href"]
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "link_open"
    ]
    images = [
        child.attrs["src"]
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "image"
    ]
    assert len(links) == 2 and all((tmp_path / _unquote(link)).is_file() for link in links)
    assert [Path(_unquote(src)).name for src in images if "files" in src] == [
        n for n in written if n.endswith("latency graph.png")
    ]
    assert (folder / next(n for n in written if n.endswith(".log"))).read_bytes() == LOG


def _unquote(link: str) -> str:
    from urllib.parse import unquote

    return unquote(link)


def test_html_embeds_images_and_lists_every_file(told, workspace):
    _attach(workspace, told.incident_id)
    report = reports_for(workspace).build(told.incident_id, charts=False)
    html = render_html(report)
    images = _Images()
    images.feed(html)
    assert [s for s in images.sources if s.startswith("data:image/png;base64,")] != []
    assert "gateway.log" in html and "latency graph.png" in html


def test_a_file_whose_bytes_changed_is_listed_but_never_shown(told, workspace):
    _attach(workspace, told.incident_id)
    with workspace.write() as conn:
        dbapi(conn).execute("UPDATE blob SET data = ? WHERE size = ?", (b"x" * len(PNG), len(PNG)))
    report = reports_for(workspace).build(told.incident_id, charts=False)
    image = next(item for item in report.files if item.ref.name == "latency graph.png")
    assert image.data is None and not image.shown
    html = render_html(report)
    assert "latency graph.png (bytes missing or changed)" in html
