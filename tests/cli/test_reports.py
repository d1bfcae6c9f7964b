"""``commander export`` in every format and ``commander import`` of the JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

FORMATS = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json", "ics214": ".csv"}


@pytest.fixture
def demo_ref(run) -> str:
    assert run("demo").code == 0
    listing = run("incident", "list", "--json").json()
    return listing[0]["ref"]


def test_export_every_format_then_import_the_json(run, demo_ref, tmp_path: Path):
    for fmt, suffix in FORMATS.items():
        out = tmp_path / f"report{suffix}"
        result = run("export", demo_ref, "--format", fmt, "-o", str(out), "--json")
        assert result.code == 0, result.err
        data = result.json()
        assert data["format"] == fmt and Path(data["path"]) == out and out.stat().st_size > 0
    assert (tmp_path / "report-impact.png").exists()  # Markdown's charts beside it
    assert "![Impact over time](report-impact.png)" in (tmp_path / "report.md").read_text("utf-8")
    assert len(PdfReader(tmp_path / "report.pdf").pages) >= 5
    rows = list(csv.reader((tmp_path / "report.csv").open(encoding="utf-8", newline="")))
    assert rows[0] == ["ICS 214 ACTIVITY LOG"]
    document = json.loads((tmp_path / "report.json").read_text("utf-8"))

    other = tmp_path / "other-ws"
    imported = run("import", str(tmp_path / "report.json"), "--json", data_dir=other)
    assert imported.code == 0, imported.err
    assert imported.json()["ref"] == demo_ref
    assert imported.json()["ops_imported"] == len(document["ops"])
    assert run("verify", data_dir=other).code == 0
    shown = run("show", demo_ref, "--json", data_dir=other).json()
    original = run("show", demo_ref, "--json").json()
    assert shown == original
    again = run("import", str(tmp_path / "report.json"), data_dir=other)
    assert again.code == 1
    assert again.err == (
        f"commander: error: Incident {demo_ref} is already in this workspace; "
        "nothing was imported.\n"
    )


def test_format_from_the_file_name_and_plain_output(run, demo_ref, tmp_path: Path, monkeypatch):
    result = run("export", demo_ref, "-o", str(tmp_path / "r.html"))
    assert result.code == 0, result.err
    assert result.out == f"{demo_ref}: html report written to {tmp_path / 'r.html'}\n"
    monkeypatch.chdir(tmp_path)
    default = run("export", demo_ref)  # the name the review invitation links
    assert default.code == 0, default.err
    assert (tmp_path / f"{demo_ref}-report.html").exists()
    assert run("export", demo_ref, "--format", "ics214").code == 0
    assert (tmp_path / f"{demo_ref}-report.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "r.txt"], "Cannot tell the format from 'r.txt'"),
        (["-o", "missing/r.md"], "does not exist"),
    ],
)
def test_export_errors_are_one_line(run, demo_ref, tmp_path: Path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("export", demo_ref, *args)
    assert result.code == 1
    assert result.err.startswith("commander: error: ") and message in result.err
    assert result.err.count("\n") == 1


def test_import_of_a_damaged_file_is_refused(run, tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "commander.incident", "format_version": 1}', "utf-8")
    result = run("import", str(path))
    assert result.code == 1
    assert "not a valid Commander incident export" in result.err
    assert run("incident", "list", "--json").json() == []
