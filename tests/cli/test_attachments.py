"""``commander attach`` and ``commander attachment get``: a file in, the same bytes out."""

from __future__ import annotations

from pathlib import Path

from commander.core.limits import ATTACHMENT_FILE_MAX
from tests.cli.conftest import Run

PNG = Path(__file__).parent.parent / "fixtures" / "attachments" / "red-2x2.png"


def test_attach_then_get_round_trip(run: Run, declare, tmp_path: Path) -> None:
    incident = declare()
    attached = run("attach", incident["ref"], str(PNG), "--note", "error rate graph", "--json")
    assert attached.code == 0, attached.err
    sha = attached.json()["sha256"]
    listed = run("attachment", "list", incident["ref"], "--json").json()
    assert [item["name"] for item in listed] == ["red-2x2.png"]
    out = tmp_path / "copy.png"
    got = run("attachment", "get", sha[:12], "-o", str(out))
    assert got.code == 0, got.err
    assert out.read_bytes() == PNG.read_bytes()
    assert run("verify").code == 0


def test_too_large_is_one_line(run: Run, declare, tmp_path: Path) -> None:
    incident = declare()
    big = tmp_path / "core.dump"
    with open(big, "wb") as handle:
        handle.truncate(ATTACHMENT_FILE_MAX + 5)
    result = run("attach", incident["ref"], str(big))
    assert result.code == 1
    assert result.err.strip() == (
        "commander: error: core.dump is 20.0 MiB; a file on the timeline may be at most 20 MiB."
    )


def test_unknown_digest_is_one_line(run: Run, declare, tmp_path: Path) -> None:
    declare()
    result = run("attachment", "get", "deadbeefcafe", "-o", str(tmp_path / "x"))
    assert result.code == 1
    assert result.err.strip() == "commander: error: No attached file has the SHA-256 deadbeefcafe."
