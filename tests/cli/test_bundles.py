"""``commander bundle``: two workspaces exchange changes through a file, by the command line."""

from __future__ import annotations

from pathlib import Path


def test_bundle_export_show_import(run, declare, tmp_path: Path) -> None:
    incident = declare("Checkout errors", "P1")
    assert run("log", incident["ref"], "rolled back 1.42").code == 0
    bundle = tmp_path / "stick" / "alice.bundle"
    bundle.parent.mkdir()

    written = run("bundle", "export", "-o", str(bundle), "--json")
    assert written.code == 0, written.err
    assert written.json()["ops"] > 2

    shown = run("bundle", "show", str(bundle))
    assert shown.code == 0 and shown.out.startswith("Verified:")

    other = tmp_path / "other"
    first = run("bundle", "import", str(bundle), "--json", data_dir=other)
    assert first.code == 0, first.err
    assert first.json()["imported"] == written.json()["ops"]
    again = run("bundle", "import", str(bundle), data_dir=other)
    assert again.code == 0 and "0 changes imported" in again.out
    listed = run("incident", "list", "--json", data_dir=other)
    assert [i["ref"] for i in listed.json()] == [incident["ref"]]
    assert run("verify", data_dir=other).code == 0


def test_a_damaged_bundle_is_one_line(run, declare, tmp_path: Path) -> None:
    declare()
    bundle = tmp_path / "a.bundle"
    assert run("bundle", "export", "-o", str(bundle)).code == 0
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) - 7])
    result = run("bundle", "import", str(bundle), data_dir=tmp_path / "other")
    assert result.code == 1
    assert result.err.startswith("commander: error:") and "truncated" in result.err
    assert len(result.err.strip().splitlines()) == 1
