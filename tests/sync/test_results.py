"""What a push, pull and sync did: batches add up, ``changed`` and the JSON the CLI prints."""

from __future__ import annotations

from commander.core.records_json import to_json
from commander.sync import checks, local
from commander.sync.results import PullResult, PushResult, SyncResult

PROBLEM = checks.Quarantined("op-1", "node-1", "mallory", 4, "its value is not valid JSON")


def test_pulled_batches_add_up():
    result = PullResult()
    result.add(local.PullApplied(applied=2, duplicates=1, incident_ids={"i1"}, entry_ids={"e1"}))
    result.add(
        local.PullApplied(
            applied=1,
            parked=1,
            restamped=3,
            adopted=True,
            incident_ids={"i2"},
            conflict_ids={"e2": "i2"},
            clamped_nodes={"n": "bob"},
            quarantined=[PROBLEM],
        )
    )
    assert (result.applied, result.duplicates, result.parked, result.restamped) == (3, 1, 1, 3)
    assert result.adopted and result.batches == 2
    assert result.incident_ids == {"i1", "i2"} and result.entry_ids == {"e1"}
    assert result.conflicts == 1 and result.clamped_nodes == {"n": "bob"}
    assert result.quarantined == [PROBLEM]


def test_a_pull_changed_something_only_when_it_applied_restamped_parked_or_quarantined():
    assert not PullResult(duplicates=5, batches=2).changed
    assert PullResult(applied=1).changed
    assert PullResult(restamped=1).changed
    assert PullResult(parked=1).changed
    assert PullResult(quarantined=[PROBLEM]).changed


def test_a_sync_result_as_json_names_its_fields_as_the_cli_prints_them():
    pulled = PullResult(applied=2, duplicates=1, conflict_ids={"e": "i"}, quarantined=[PROBLEM])
    result = SyncResult(PushResult(accepted=3, offset_ms=-12), pulled, pending=0)
    shown = to_json(result)
    assert shown["pushed"]["clock_offset_ms"] == -12 and shown["pushed"]["accepted"] == 3
    assert shown["pulled"]["already_present"] == 1 and shown["pulled"]["conflicts"] == 1
    assert list(shown["pulled"])[-2:] == ["conflicts", "quarantined"]
    assert "incident_ids" not in shown["pulled"] and "batches" not in shown["pulled"]
    assert shown["pulled"]["quarantined"][0]["reason"] == "its value is not valid JSON"
    assert shown["pending"] == 0 and shown["warnings"] == []
