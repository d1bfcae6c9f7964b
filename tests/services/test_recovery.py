"""A workspace with damaged pages: found on check, recovered without losing a sound op."""

from __future__ import annotations

from datetime import UTC

import pytest

from commander.core.errors import WorkspaceError
from commander.core.ops import Op
from commander.services.incidents import IncidentService
from commander.services.recovery import check_workspace, recover_workspace
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage.database import DB_FILENAME
from tests.services.damage import ENTRIES, build_workspace, damage_page, op_rows


def test_damaged_timeline_page_is_found_and_rebuilt_from_the_op_log(data_dir, clock) -> None:
    before = build_workspace(data_dir, clock)
    path = data_dir / DB_FILENAME
    assert check_workspace(data_dir).ok
    damage_page(path, "entry")

    check = check_workspace(data_dir)
    assert not check.ok and check.problems
    # What the issue saw: it opens normally, then fails on the damaged page.
    workspace = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    with pytest.raises(WorkspaceError, match=r"damaged.*db recover"):
        service = IncidentService(workspace)
        for incident in service.list():
            service.timeline(incident.id)
    workspace.close()

    report = recover_workspace(data_dir, author="alice", clock=clock)
    assert check_workspace(data_dir).ok
    assert op_rows(data_dir) == before  # every op kept, with its seq
    assert report.ops_kept == len(before) and report.ops_rejected == 0
    assert report.verify is not None and report.verify.ok  # tables match the log again
    assert report.damaged_copy.exists() and report.damaged_copy.stat().st_mode & 0o777 == 0o600
    workspace = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        service = IncidentService(workspace)
        checkout = next(i for i in service.list() if i.title == "Checkout errors")
        assert (
            len([e for e in service.timeline(checkout.id) if "pods restarted" in e.event])
            == ENTRIES
        )
        service.log(checkout.id, "written after the recovery")  # writes work again
        assert verify_workspace(workspace).ok
    finally:
        workspace.close()


def test_damaged_op_log_page_keeps_every_op_that_verify_accepts(data_dir, clock) -> None:
    before = build_workspace(data_dir, clock)
    damage_page(data_dir / DB_FILENAME, "op")

    report = recover_workspace(data_dir, author="alice", clock=clock)
    after = op_rows(data_dir)
    lost = sorted(set(before) - set(after))
    # Only the rows of the one damaged leaf page are gone: one run of consecutive ops.
    assert lost and len(lost) < 40 and lost == list(range(lost[0], lost[-1] + 1))
    assert all(after[seq] == before[seq] for seq in after)  # nothing altered, nothing invented
    assert report.ops_kept == len(after)
    # verify accepts every kept op's content; it names the one gap in the chain.
    assert report.verify is not None
    assert [b.reason for b in report.verify.breaks]
    assert report.verify.mismatch_count == 0  # the tables are exactly what the ops say
    workspace = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        with workspace.read() as conn:
            kept = [Op(**_op_fields(row)) for row in conn.exec_driver_sql(_SELECT_OPS)]
        assert all(op.compute_hash() == op.hash for op in kept)
    finally:
        workspace.close()
    assert "gap" in report.summary() and str(report.damaged_copy) in report.summary()


_SELECT_OPS = (
    "SELECT op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, "
    "schema_version, prev_hash, hash FROM op ORDER BY seq"
)


def _op_fields(row) -> dict:  # type: ignore[no-untyped-def,type-arg]
    import json

    fields = dict(row._mapping)
    fields["value"] = json.loads(fields["value"])
    return fields
