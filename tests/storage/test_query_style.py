"""One query style in storage: SQLAlchemy Core against the ``Table`` objects, and the raw
DB-API connection (``database.dbapi``) only in the modules named below, each for a reason a
benchmark or the schema gives. A new module that reaches for it fails here; so does a module
still listed after it stopped needing it, so the list only shrinks."""

from __future__ import annotations

import ast
from pathlib import Path

import commander.storage

STORAGE = Path(commander.storage.__file__).parent

_APPLY_PATH = "op-log append/apply path, per op (benchmarks/sync.py: append p99, pull ops/s)"
_FTS = "FTS5 tables, MATCH, highlight and triggers no Table describes (benchmarks/search.py)"

RAW_ALLOWED: dict[str, str] = {
    "database": "defines the helper; PRAGMA synchronous must run outside a transaction",
    "oplog": _APPLY_PATH,
    "apply_batch": _APPLY_PATH,
    "apply_alerts": _APPLY_PATH,
    "apply_checklists": _APPLY_PATH,
    "apply_keys": _APPLY_PATH,
    "apply_comms": _APPLY_PATH,
    "apply_deadlines": _APPLY_PATH,
    "apply_impact": _APPLY_PATH,
    "apply_review": _APPLY_PATH,
    "apply_team": _APPLY_PATH,
    "registers": _APPLY_PATH,
    "ordering": _APPLY_PATH,
    "conflicts": _APPLY_PATH,
    "queries": "the timeline load of 100k rows as tuples (benchmarks/timeline_load.py)",
    "search_index": _FTS,
    "search_queries": _FTS,
    "migrations/versions/0012_search": "hands the FTS5 installer its connection, once",
    "migrations/versions/0015_runbooksearch": "hands the FTS5 installer its connection, once",
    "migrations/versions/0017_procedure_runbooks": "hands the FTS5 installer its connection, once",
    "sync_queries": "sync's push and pull pages, per page and per pulled op (benchmarks/sync.py)",
    "quarantine": "verify-before-apply, per pulled op, and its savepoint (benchmarks/sync.py)",
    "salvage_writes": "copies tables and columns of a damaged file no Table describes",
}


def _raw_uses(path: Path) -> list[int]:
    """Lines where ``path`` calls ``dbapi(...)`` or reaches the driver connection itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in {"dbapi", "exec_driver_sql"}:
                found.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "driver_connection":
            found.append(node.lineno)
    return sorted(found)


def _modules() -> dict[str, Path]:
    return {
        path.relative_to(STORAGE).with_suffix("").as_posix(): path
        for path in sorted(STORAGE.rglob("*.py"))
    }


def test_only_the_named_storage_modules_use_the_raw_db_api() -> None:
    offenders = {
        name: lines
        for name, path in _modules().items()
        if (lines := _raw_uses(path)) and name not in RAW_ALLOWED
    }
    assert offenders == {}, (
        "These storage modules use the raw DB-API connection; write their statements in "
        f"SQLAlchemy Core against storage/tables*.py instead (module: lines): {offenders}"
    )


def test_every_allowed_module_still_needs_it() -> None:
    modules = _modules()
    stale = sorted(
        name for name in RAW_ALLOWED if name not in modules or not _raw_uses(modules[name])
    )
    assert stale == [], f"No longer raw (or gone): strike these off RAW_ALLOWED: {stale}"


def test_the_check_sees_every_way_to_the_driver(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from commander.storage import database\n"
        "def a(conn):\n"
        "    return database.dbapi(conn).execute('SELECT 1')\n"
        "def b(conn):\n"
        "    return conn.connection.driver_connection\n"
        "def c(conn):\n"
        "    conn.exec_driver_sql('SELECT 1')\n"
        "def d(conn):\n"
        "    return conn.execute(select(1))\n",
        encoding="utf-8",
    )
    assert _raw_uses(sample) == [3, 5, 7]
