"""No CSV Commander writes starts a spreadsheet formula, and the record keeps the exact text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

TRIGGERS = "=+-@\t\r"


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_people_export_neutralises_formulas_and_imports_back_exactly(run, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        "name,handle,team,email,phone,roles\n"
        "\"=cmd|' /C calc'!A0\",mallory,@SUM(1+1),m@example.com,+1 555 0100,\n"
        "-Eve,eve,+cmd,,,\n",
        encoding="utf-8",
    )
    assert run("people", "import", str(source)).code == 0
    stored = {p["handle"]: p for p in run("people", "list", "--json").json()}
    assert stored["mallory"]["name"] == "=cmd|' /C calc'!A0"  # the record keeps the text
    assert stored["mallory"]["team"] == "@SUM(1+1)"
    assert stored["mallory"]["phone"] == "+1 555 0100"
    assert stored["eve"]["name"] == "-Eve"

    exported = run("people", "export").out
    cells = _cells(exported)
    assert not [c for c in cells if c[:1] and c[0] in TRIGGERS]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells and "'+cmd" in cells

    out = tmp_path / "again.csv"
    assert run("people", "export", str(out)).code == 0
    other = tmp_path / "other-ws"
    assert run("people", "import", str(out), data_dir=other).code == 0
    assert {p["handle"]: p for p in run("people", "list", "--json", data_dir=other).json()} == (
        stored
    )


def test_ics214_neutralises_titles_and_timeline_texts(run, declare, tmp_path: Path) -> None:
    record = declare('=HYPERLINK("http://evil")', "P2")
    for text in ("@SUM(1+1)", "+cmd", "-rm", "=1+1"):
        assert run("log", record["id"], "--", text).code == 0
    out = tmp_path / "log.csv"
    assert run("export", record["ref"], "--format", "ics214", "-o", str(out)).code == 0
    cells = _cells(out.read_text("utf-8"))
    assert not [c for c in cells if c[:1] and c[0] in TRIGGERS]
    assert f'\'=HYPERLINK("http://evil") ({record["ref"]})' in cells
    assert {"'@SUM(1+1) — Owner: tester", "'-rm — Owner: tester", "'=1+1 — Owner: tester"} <= set(
        cells
    )
    shown = run("show", record["id"], "--json").json()
    assert shown["title"] == '=HYPERLINK("http://evil")'
