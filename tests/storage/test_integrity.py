"""Checking and salvaging a workspace file (storage/integrity.py): ``quick_check`` names the
problems of a damaged file (or one that is no database at all), ``salvage_rows`` reads every
row it still can, in rowid order, and says where rows were lost."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from commander.storage import integrity

ROWS = 1500


def _file(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    conn.execute('CREATE TABLE "odd ""name"""(x TEXT)')
    conn.executemany(
        "INSERT INTO note(id, body) VALUES (?, ?)",
        [(n, f"row {n} " + "x" * 150) for n in range(1, ROWS + 1)],
    )
    conn.execute('INSERT INTO "odd ""name"""(x) VALUES (\'kept\')')
    conn.commit()
    conn.close()
    return path


def _damage_middle_leaf(path: Path) -> None:
    conn = sqlite3.connect(path)
    pages = [
        row[0]
        for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'note' AND pagetype = 'leaf' ORDER BY pageno"
        )
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((pages[len(pages) // 2] - 1) * size)
        handle.write(random.Random(7).randbytes(size))


def test_a_sound_file_has_no_problems_and_gives_every_row(tmp_path: Path) -> None:
    path = _file(tmp_path / "sound.sqlite3")
    assert integrity.quick_check(path) == []
    conn = integrity.open_damaged(path)
    try:
        assert sorted(integrity.table_names(conn)) == ["note", 'odd "name"']
        salvaged = integrity.salvage_rows(conn, "note")
        odd = integrity.salvage_rows(conn, 'odd "name"')
    finally:
        conn.close()
    assert salvaged.columns == ["id", "body"] and not salvaged.damaged
    assert [row[0] for row in salvaged.rows] == list(range(1, ROWS + 1))
    assert odd.rows == [("kept",)] and odd.columns == ["x"]


def test_a_damaged_page_is_found_and_stepped_over(tmp_path: Path) -> None:
    path = _file(tmp_path / "damaged.sqlite3")
    _damage_middle_leaf(path)
    problems = integrity.quick_check(path, max_problems=3)
    assert problems and len(problems) <= 3
    conn = integrity.open_damaged(path)
    try:
        salvaged = integrity.salvage_rows(conn, "note")
    finally:
        conn.close()
    ids = [row[0] for row in salvaged.rows]
    assert salvaged.damaged and salvaged.error is None
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert 1 in ids and ROWS in ids  # the rows before and after the damage
    assert ROWS / 2 < len(ids) < ROWS
    assert all(body == f"row {n} " + "x" * 150 for n, body in salvaged.rows)
    ((first, last),) = salvaged.skipped_ranges  # one damaged page: one range behind it
    lost = set(range(1, ROWS + 1)) - set(ids)
    assert lost and all(first <= n <= last for n in lost)
    assert salvaged.lost_rows == 0  # nothing the b-tree still leads to was unreadable


def test_a_file_that_is_no_database_is_one_problem(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database, just text " * 200)
    (problem,) = integrity.quick_check(junk)
    assert "not a database" in problem
    assert integrity.quick_check(tmp_path / "missing.sqlite3") != []
    conn = integrity.open_damaged(junk)
    try:
        assert integrity.table_names(conn) == []
        salvaged = integrity.salvage_rows(conn, "note")
    finally:
        conn.close()
    assert salvaged.error and salvaged.damaged and salvaged.rows == []


def test_a_table_that_is_not_there_says_so(tmp_path: Path) -> None:
    conn = integrity.open_damaged(_file(tmp_path / "sound.sqlite3"))
    try:
        salvaged = integrity.salvage_rows(conn, "no_such_table")
    finally:
        conn.close()
    assert salvaged.error == "no columns could be read" and salvaged.rows == []
