"""``commander db check`` / ``db recover``: find damage, then rebuild from what can be read.

Recovery never works on the only copy: the damaged file (and its WAL) is set aside byte for
byte first. Then every op that can still be read *and* matches its own hash goes into a fresh
workspace, in its original order, and the materialized tables are rebuilt from those ops
through the one apply path (so a damaged ``entry`` page loses nothing the op log still has).
Tables that are not derived from ops (settings in ``meta`` such as the node id, the outbox,
ingested alerts) are copied row by row, as far as they can be read. ``verify`` then checks
the result and names any gap the damage left in a hash chain.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from commander.core.clock import Clock
from commander.core.errors import WorkspaceError
from commander.core.ops import OP_FIELDS, Op
from commander.core.records_json import JsonRecord, json_computed
from commander.services.backups import remove_database, set_aside
from commander.services.verify import VerifyReport, verify_workspace
from commander.services.workspace import Workspace
from commander.storage import oplog
from commander.storage.integrity import (
    SalvagedTable,
    open_damaged,
    quick_check,
    salvage_rows,
    table_names,
)
from commander.storage.salvage_writes import copy_salvaged_rows, insert_salvaged_ops
from commander.storage.search_index import SEARCH_TABLES
from commander.storage.workspace_file import DB_FILENAME, leave_wal_mode, open_engine

# Written by ``oplog.apply`` alone: rebuilt from the recovered ops, never copied.
DERIVED_TABLES = frozenset(
    {
        "incident",
        "entry",
        "register",
        "deadline_event",
        "role_assignment",
        "person",
        "role_def",
        "comms_template",
        "comms_draft",
        "impact_sample",
        "review_field",
        "review_schedule",
        "action_item",
        "checklist_def",
        "procedure_def",
        "checklist_tick",
        "runbook_value",
        "alert_link",
        "attachment",
        "op_stamp",
    }
)
_NOT_COPIED = DERIVED_TABLES | SEARCH_TABLES | {"op", "alembic_version"}
# What a sound op needs; ``signature`` is absent from files written before signing.
_OP_COLUMNS = tuple(name for name in OP_FIELDS if name != "signature")


@dataclass(frozen=True)
class CheckResult(JsonRecord):
    """The outcome of ``PRAGMA quick_check`` on the workspace file."""

    path: Path
    problems: list[str]
    seconds: float

    JSON_COMPUTED = (json_computed("ok", before="path"),)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class RecoveryReport(JsonRecord):
    """What a recovery kept, what it lost, and what ``verify`` says about the result."""

    damaged_copy: Path
    ops_kept: int = 0
    ops_rejected: int = 0  # read, but their content no longer matches their hash
    ops_not_applied: int = 0
    damaged_tables: dict[str, str] = field(default_factory=dict)
    rows_copied: int = 0
    verify: VerifyReport | None = None

    def summary(self) -> str:
        """One paragraph for the dialog and the command line."""
        parts = [f"Recovered {self.ops_kept} ops"]
        if self.ops_rejected:
            parts.append(f"left out {self.ops_rejected} whose content no longer matches its hash")
        if self.damaged_tables:
            parts.append("lost rows in " + ", ".join(sorted(self.damaged_tables)))
        text = "; ".join(parts) + f". The damaged file is kept as {self.damaged_copy}."
        if self.verify is not None and not self.verify.ok:
            breaks = len(self.verify.breaks)
            text += (
                f" 'commander verify' finds {breaks} gap(s) in the hash chains where ops were "
                "lost"
                + (" and a shortened log" if self.verify.head_problem else "")
                + "; sync fills them from the shared database if they were pushed."
            )
        return text


def start_check(data_dir: Path) -> Future[list[str]]:
    """``quick_check`` on a thread (the window starts it once it has painted).

    SQLite releases the GIL while it reads, so the window stays responsive meanwhile. A
    workspace not yet created is sound.
    """
    path = Path(data_dir) / DB_FILENAME
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quick-check")
    try:
        return executor.submit(lambda: quick_check(path) if path.exists() else [])
    finally:
        executor.shutdown(wait=False)


def check_workspace(data_dir: Path) -> CheckResult:
    """Run ``PRAGMA quick_check`` on the workspace in ``data_dir`` (read-only)."""
    path = Path(data_dir) / DB_FILENAME
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at {path}.")
    started = time.perf_counter()  # real clock: a duration for the user, not a stored time
    problems = quick_check(path)
    return CheckResult(path, problems, round(time.perf_counter() - started, 3))


def recover_workspace(data_dir: Path, *, author: str, clock: Clock) -> RecoveryReport:
    """Replace the damaged workspace in ``data_dir`` with everything that can be read of it.

    The workspace must not be open in this or another process.
    """
    data_dir = Path(data_dir)
    path = data_dir / DB_FILENAME
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at {path} to recover.")
    aside = set_aside(path, "damaged", now=clock.now())
    report = RecoveryReport(aside)
    scratch = data_dir / f".recovering-{os.getpid()}"
    remove_database(scratch / DB_FILENAME)
    try:
        _rebuild(aside, scratch, report)
        fresh = scratch / DB_FILENAME
        remove_database(path)
        os.replace(fresh, path)
        os.chmod(path, 0o600)
    finally:
        remove_database(scratch / DB_FILENAME)
        if scratch.exists():
            scratch.rmdir()
    workspace = Workspace.open(data_dir, author=author, clock=clock)
    try:
        report.verify = verify_workspace(workspace)
    finally:
        workspace.close()
    return report


def _rebuild(damaged: Path, scratch: Path, report: RecoveryReport) -> None:
    source = open_damaged(damaged)
    try:
        names = table_names(source)
        ops_table = salvage_rows(source, "op")
        copied = [salvage_rows(source, name) for name in names if name not in _NOT_COPIED]
    finally:
        source.close()
    for table in [ops_table, *copied]:
        if table.damaged:
            report.damaged_tables[table.name] = table.error or _lost_text(table)
    engine = open_engine(scratch)
    try:
        with engine.execution_options(write=True).begin() as conn:
            for table in copied:
                report.rows_copied += copy_salvaged_rows(conn, table)
            ops = _sound_ops(ops_table, report)
            insert_salvaged_ops(conn, ops_table, {op.op_id for op in ops})
            # Ordering stamps are derived from the ops (stamp ops among them): replaying the
            # sound ops in their order rebuilds them with everything else.
            for op in ops:
                try:
                    oplog.apply(conn, op)
                except Exception:  # an op whose predecessors were lost: verify names the gap
                    report.ops_not_applied += 1
    finally:
        engine.dispose()
    leave_wal_mode(scratch / DB_FILENAME)


def _lost_text(table: SalvagedTable) -> str:
    parts = []
    if table.lost_rows:
        parts.append(f"{table.lost_rows} unreadable row(s)")
    if table.skipped_ranges:
        parts.append(f"{len(table.skipped_ranges)} damaged page range(s)")
    return ", ".join(parts)


def _sound_ops(table: SalvagedTable, report: RecoveryReport) -> list[Op]:
    """The ops that still match their own hash, in their original order."""
    index = {name: n for n, name in enumerate(table.columns)}
    if any(name not in index for name in (*_OP_COLUMNS, "seq")):
        raise WorkspaceError("The op log's columns cannot be read; restore a backup instead.")
    found = []
    for row in table.rows:
        try:
            values = {name: row[index[name]] for name in _OP_COLUMNS}
            values["value"] = json.loads(values["value"])
            op = Op(**values)
            sound = op.compute_hash() == op.hash
        except (TypeError, ValueError, KeyError, AttributeError):
            sound = False
        if sound:
            found.append((row[index["seq"]], op))
        else:
            report.ops_rejected += 1
    found.sort(key=lambda pair: pair[0])
    report.ops_kept = len(found)
    return [op for _seq, op in found]
