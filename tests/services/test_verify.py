"""``verify_workspace``: tampering with the op log or the tables behind it is named."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from commander.cli import main
from commander.services.verify import verify_workspace


@contextmanager
def _raw(workspace) -> Iterator[sqlite3.Connection]:  # type: ignore[no-untyped-def]
    """Edit the file behind the app's back, as an attacker or a bad tool would."""
    conn = sqlite3.connect(workspace.path)
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def worked(incidents):  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="API down", severity="P1").incident
    for n in range(5):
        incidents.log(incident.id, f"note {n}")
    incidents.set_field(incident.id, "status", "identified")
    return incident


def _op_ids(workspace) -> list[str]:  # type: ignore[no-untyped-def]
    with _raw(workspace) as conn:
        return [row[0] for row in conn.execute("SELECT op_id FROM op ORDER BY seq")]


def test_clean_workspace_verifies(workspace, worked) -> None:
    report = verify_workspace(workspace)
    assert report.ok
    assert report.ops_checked == 1 + 2 + 5 + 2  # the node's key op, then the story
    assert report.nodes == 1
    assert report.to_json()["breaks"] == []


def test_empty_workspace_verifies(workspace) -> None:
    report = verify_workspace(workspace)
    assert report.ok and report.ops_checked == 0


def test_edited_value_is_named(workspace, worked) -> None:
    target = _op_ids(workspace)[4]
    with _raw(workspace) as conn:
        value = json.loads(
            conn.execute("SELECT value FROM op WHERE op_id = ?", (target,)).fetchone()[0]
        )
        value["event"] = "nothing happened here"
        conn.execute("UPDATE op SET value = ? WHERE op_id = ?", (json.dumps(value), target))
    report = verify_workspace(workspace)
    assert not report.ok
    (brk,) = report.breaks
    assert brk.op_id == target
    assert brk.position == 4
    assert brk.node_id == workspace.node_id
    assert "content" in brk.reason


def test_value_that_is_no_longer_json_is_named(workspace, worked) -> None:
    target = _op_ids(workspace)[2]
    with _raw(workspace) as conn:
        conn.execute("UPDATE op SET value = '{not json' WHERE op_id = ?", (target,))
    (brk,) = verify_workspace(workspace).breaks
    assert brk.op_id == target


def test_edited_prev_hash_is_named(workspace, worked) -> None:
    target = _op_ids(workspace)[6]
    with _raw(workspace) as conn:
        conn.execute("UPDATE op SET prev_hash = ? WHERE op_id = ?", ("f" * 64, target))
    (brk,) = verify_workspace(workspace).breaks
    assert brk.op_id == target
    assert brk.position == 6
    assert "prev_hash" in brk.reason


def test_deleted_middle_op_breaks_the_next_link(workspace, worked) -> None:
    ids = _op_ids(workspace)
    with _raw(workspace) as conn:
        conn.execute("DELETE FROM op WHERE op_id = ?", (ids[3],))
    (brk,) = verify_workspace(workspace).breaks
    assert brk.op_id == ids[4]


def test_ops_cut_from_the_end_are_noticed(workspace, worked) -> None:
    ids = _op_ids(workspace)
    with _raw(workspace) as conn:
        conn.execute("DELETE FROM op WHERE op_id IN (?, ?)", (ids[-1], ids[-2]))
    report = verify_workspace(workspace)
    assert report.breaks == []
    assert report.head_problem is not None and "removed from the end" in report.head_problem
    assert not report.ok


def test_table_edited_behind_the_log_is_a_mismatch(workspace, worked, incidents) -> None:
    entry = incidents.timeline(worked.id)[2]
    with _raw(workspace) as conn:
        conn.execute("UPDATE entry SET event = 'forged' WHERE id = ?", (entry.id,))
        conn.execute("UPDATE incident SET severity = 'P3' WHERE id = ?", (worked.id,))
    report = verify_workspace(workspace)
    assert report.breaks == []
    assert not report.ok
    found = {(m.table, m.row_id): m.detail for m in report.mismatches}
    assert "'forged'" in found[("entry", entry.id)]
    assert "'P3'" in found[("incident", worked.id)]
    assert report.to_json()["mismatch_count"] == 2


def test_row_deleted_or_added_behind_the_log(workspace, worked, incidents) -> None:
    entry = incidents.timeline(worked.id)[1]
    with _raw(workspace) as conn:
        conn.execute("DELETE FROM entry WHERE id = ?", (entry.id,))
        conn.execute(
            "INSERT INTO entry SELECT 'ghost', incident_id, occurred_at, hlc, node_id, kind, "
            "event, action, owner, author, struck, strike_reason, amended_event, "
            "amended_action, attributed_to, answers, key_event FROM entry LIMIT 1"
        )
    details = {m.row_id: m.detail for m in verify_workspace(workspace).mismatches}
    assert details[entry.id] == "missing from the table"
    assert "no op created it" in details["ghost"]


def test_strikes_and_amendments_replay_cleanly(workspace, worked, incidents) -> None:
    first, second = incidents.timeline(worked.id)[1:3]
    incidents.strike(first.id, "wrong incident")
    incidents.amend(second.id, event="note 1, corrected")
    assert verify_workspace(workspace).ok


def test_commander_verify_exits_1_naming_the_op(workspace, worked, capsys) -> None:
    target = _op_ids(workspace)[3]
    with _raw(workspace) as conn:
        conn.execute("UPDATE op SET author = 'mallory' WHERE op_id = ?", (target,))
    code = main(["--data-dir", str(workspace.data_dir), "verify"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"BROKEN: op {target}" in out and "position 3" in out
    code = main(["--data-dir", str(workspace.data_dir), "verify", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["ok"] is False
    assert report["breaks"][0]["op_id"] == target
