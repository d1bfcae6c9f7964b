"""``commander db check|recover`` and ``commander backup list|create|restore``."""

from __future__ import annotations

from commander.storage.database import DB_FILENAME
from tests.services.damage import build_workspace, damage_page, op_rows


def test_check_recover_and_backups_from_the_command_line(run, cli_dir, clock) -> None:
    before = build_workspace(cli_dir, clock)
    sound = run("db", "check")
    assert sound.code == 0 and "is sound (quick_check in" in sound.out
    assert run("backup", "list").out.startswith("No backups yet")
    created = run("backup", "create", "--json")
    assert created.code == 0, created.err
    name = created.json()["name"]
    assert [b["name"] for b in run("backup", "list", "--json").json()] == [name]

    damage_page(cli_dir / DB_FILENAME, "entry")
    check = run("db", "check")
    assert check.code == 1
    assert "is damaged: database disk image is malformed" in check.out
    assert "'commander db recover'" in check.out
    # An ordinary command on the damaged file: one sentence that says what to do.
    failed = [run("show", i["id"]) for i in run("incident", "list", "--json").json()]
    assert any(r.code == 1 for r in failed)
    for result in failed:
        if result.code:
            assert result.err.count("\n") == 1 and "'commander db recover'" in result.err

    recovered = run("db", "recover", "--json")
    assert recovered.code == 0, recovered.err
    report = recovered.json()
    assert report["recovered"] and report["ops_kept"] == len(before)
    assert report["verify"]["ok"]
    assert run("db", "check", "--json").json()["ok"]
    assert run("db", "recover").out.endswith("there is nothing to recover.\n")

    restored = run("backup", "restore", "latest")
    assert restored.code == 0, restored.err
    assert f"Restored {name}" in restored.out and ".replaced-" in restored.out
    assert op_rows(cli_dir) == before
    missing = run("backup", "restore", "workspace-19990101T000000Z")
    assert missing.code == 1 and missing.err.startswith("commander: error: There is no backup")
