"""``commander review show`` lists sections edited at the same time; ``review resolve`` settles."""

from __future__ import annotations

import re

from commander.services.review import ReviewService
from commander.services.workspace import Workspace
from tests.services.ops_exchange import copy_ops


def test_show_lists_competing_versions_and_resolve_settles_them(
    run, declare, cli_dir, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    incident = declare("API down", "P1")
    ref = incident["ref"]
    mine = Workspace.open(cli_dir, author="tester")
    bob = Workspace.open(tmp_path / "bob", author="bob")
    try:
        copy_ops(mine, bob)
        mine.close()
        assert run("review", "set", ref, "primary_cause", "Expired certificate").code == 0
        ReviewService(bob).set_field(incident["id"], "primary_cause", "Bad DNS change")
        mine = Workspace.open(cli_dir, author="tester")
        copy_ops(bob, mine)
    finally:
        mine.close()
        bob.close()

    text = run("review", "show", ref).out
    assert re.search(
        r"⚠ primary_cause: also edited at the same time by (bob|tester) at \d\d:\d\d \(not shown\)",
        text,
    )
    shown = run("review", "show", ref, "--json").json()
    [version] = shown["competing_versions"]["primary_cause"]
    assert {version["text"], shown["fields"]["primary_cause"]} == {
        "Expired certificate",
        "Bad DNS change",
    }
    assert "no competing versions" in run("review", "resolve", ref, "detection").err
    assert (
        "names no competing version"
        in run("review", "resolve", ref, "primary_cause", "--use", "zzzz").err
    )
    done = run("review", "resolve", ref, "primary_cause", "--use", version["op_id"][-8:])
    assert done.code == 0 and f"keeping {version['author']}'s version" in done.out
    after = run("review", "show", ref, "--json").json()
    assert after["competing_versions"] == {}
    assert after["fields"]["primary_cause"] == version["text"]
    assert "⚠" not in run("review", "show", ref).out
