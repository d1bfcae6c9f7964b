"""Damaged workspaces for the recovery tests: a real file with noise written over one page."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC
from pathlib import Path

from commander.services.demo.create import create_demo
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage.database import DB_FILENAME

ENTRIES = 250  # enough for the op and entry tables to span pages beyond the damaged one


def build_workspace(data_dir: Path, clock, entries: int = ENTRIES) -> dict[int, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The demo plus ``entries`` entries (the op and entry tables span many pages); returns every op
    as seq -> (op_id, hash)."""
    workspace = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        create_demo(workspace)
        service = IncidentService(workspace)
        incident = service.declare(title="Checkout errors", severity="P1").incident
        for n in range(entries):
            service.log(incident.id, f"step {n}: pods restarted in payments, errors falling")
        with workspace.read() as conn:
            rows = conn.exec_driver_sql("SELECT seq, op_id, hash FROM op").fetchall()
    finally:
        workspace.close()
    checkpoint(data_dir / DB_FILENAME)
    return {seq: (op_id, digest) for seq, op_id, digest in rows}


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA walcheckpoint(TRUNCATE)")
    conn.close()


def damage_page(path: Path, name: str, pagetype: str = "leaf") -> None:
    """Overwrite a page in the middle of the b-tree ``name`` with noise (the header stays)."""
    conn = sqlite3.connect(path)
    pages = [
        row[0]
        for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno",
            (name, pagetype),
        )
    ]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(pages) >= 3, f"{name} has too few pages to damage one in the middle"
    page = pages[len(pages) // 2]
    noise = random.Random(18).randbytes(page_size)
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(noise)


def op_rows(data_dir: Path) -> dict[int, tuple[str, str]]:
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    rows = conn.execute("SELECT seq, op_id, hash FROM op").fetchall()
    conn.close()
    return {seq: (op_id, digest) for seq, op_id, digest in rows}
