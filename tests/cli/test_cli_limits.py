"""Inputs past a documented limit (docs/limits.md): one sentence naming it, nothing written."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"


def _op_count(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / "workspace.sqlite3")
    try:
        return conn.execute("SELECT count(*) FROM op").fetchone()[0]
    finally:
        conn.close()


class _Stdin(io.TextIOWrapper):
    """A stdin whose bytes are exactly ``data`` (not UTF-8, perhaps)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")


@pytest.fixture
def record(run, declare, cli_dir) -> dict[str, Any]:
    return declare("Limits", "P2")


@pytest.fixture
def unchanged(run, record, cli_dir):  # type: ignore[no-untyped-def]
    """Call it after a refused command: the op log and the record are as they were."""
    ops = _op_count(cli_dir)
    shown = run("show", record["id"], "--json").out

    def check() -> None:
        assert _op_count(cli_dir) == ops
        assert run("show", record["id"], "--json").out == shown

    return check


def _alerts(name: str) -> str:
    body = json.loads((FIXTURES / "alertmanager_webhook_v4.json").read_text("utf-8"))
    body["alerts"][0]["labels"]["alertname"] = name
    body.get("commonLabels", {}).pop("alertname", None)
    return json.dumps(body)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "/dev/zero"], "larger than 64 MiB, the limit"),
        (["people", "import", "/dev/zero"], "larger than 16 MiB, the limit"),
        (["alerts", "ingest", "/dev/zero"], "larger than 20 MiB, the limit"),
        (["impact", "paste", "{id}", "error_rate", "/dev/zero"], "larger than 16 MiB"),
    ],
)
def test_endless_files_are_read_only_to_their_limit(
    run, one_line_error, unchanged, record, args, message
) -> None:
    one_line_error(run(*[a.format(id=record["id"]) for a in args]), contains=message)
    unchanged()


@pytest.mark.parametrize("command", [["import"], ["alerts", "ingest"]])
def test_json_nesting_is_bounded(run, one_line_error, unchanged, tmp_path, command) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000)
    one_line_error(run(*command, str(deep)), contains="nests deeper than 64 levels")
    shallow_but_deep = tmp_path / "65.json"
    shallow_but_deep.write_text("[" * 65 + "]" * 65)
    one_line_error(run(*command, str(shallow_but_deep)), contains="nests deeper than 64")
    unchanged()


def test_a_csv_field_over_the_csv_module_limit(run, one_line_error, unchanged, tmp_path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,handle\n" + "x" * 140_000 + ",huge\n", encoding="utf-8")
    one_line_error(run("people", "import", str(path)), contains="cannot be read at line 2")
    unchanged()


def test_review_text_from_stdin_that_is_not_utf8(
    run, one_line_error, unchanged, record, monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(b"root cause: \xff\xfe broken"))
    result = run("review", "set", record["ref"], "primary_cause", "-")
    one_line_error(result, contains="stdin is not UTF-8 text (byte 13")
    monkeypatch.setattr("sys.stdin", _Stdin(b"root cause: DNS"))
    assert run("review", "set", record["ref"], "primary_cause", "-").code == 0


def test_text_from_argv_that_was_not_utf8(run, one_line_error, unchanged, record) -> None:
    # What Python makes of the bytes b"\xff" in argv under a UTF-8 locale.
    one_line_error(run("log", record["id"], "bad \udcff byte"), contains="not valid text")
    unchanged()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://u@/db?host=/tmp&options=-c%20x", "'options' is set by Commander"),
        ("postgresql+psycopg://u@localhost/db?sslmode=bogus", "sslmode='bogus' is not one of"),
    ],
)
def test_sync_urls_with_bad_options_are_bad_urls(run, one_line_error, url, message) -> None:
    result = run("sync", "--server", url)
    one_line_error(result, contains=message)
    assert "unreachable" not in result.err and "unexpected" not in result.err


def test_back_fill_goes_back_seven_days_before_the_declaration(
    run, one_line_error, unchanged, record
) -> None:
    one_line_error(
        run("log", record["id"], "ancient", "--at", "1900-01-01T00:00:00+00:00"),
        contains="more than 7 days before the incident was declared",
    )
    declared = datetime.fromisoformat(record["declared_at"])
    eight_days = (declared - timedelta(days=8)).isoformat()
    one_line_error(run("impact", "add", record["id"], "error_rate", "5", "--at", eight_days))
    unchanged()
    six_days = (declared - timedelta(days=6)).isoformat()
    assert run("log", record["id"], "first symptom", "--at", six_days).code == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * (1024 * 1024), "1,048,576 characters long; the limit is 1,024"),
        ("Probe\x00Failure", "control character (U+0000)"),
    ],
)
def test_alerts_with_huge_or_binary_names_are_refused(
    run, one_line_error, unchanged, monkeypatch, name, message
) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(_alerts(name).encode()))
    one_line_error(run("alerts", "ingest", "-"), contains=message)
    assert run("alerts", "list", "--json").json() == []
    unchanged()


def test_sixty_thousand_services_are_refused(run, one_line_error, unchanged, record) -> None:
    many = ",".join(f"svc{n}" for n in range(60_000))
    one_line_error(
        run("incident", "set", record["id"], "services", many),
        contains="More than 100 services",
    )
    unchanged()
    assert run("incident", "set", record["id"], "services", "api,db").code == 0


def test_a_huge_value_quoted_back_is_shortened(run, one_line_error) -> None:
    result = run("health", "remove", "y" * 100_000)
    one_line_error(result, contains="No health check named")
    assert "…(100,003 characters)" in result.err  # the quoted word: quotes and full stop too
    assert len(result.err) < 400


def test_argument_bytes_that_are_not_utf8_are_refused_before_the_command(
    run, one_line_error, unchanged
) -> None:
    one_line_error(run("show", "INC-\udcff"), contains="The incident argument is not valid text")
    one_line_error(run("people", "remove", "\udcfe"), contains="The handle argument")
    unchanged()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "schedule", "{ref}", "1900-01-01T10:00:00+00:00"], "too far from today"),
        (["review", "schedule", "{ref}", "9999-12-31T10:00:00+00:00"], "366 days ahead"),
        (["action", "add", "{ref}", "Fix it", "--due", "9999-12-31"], "3,653 days ahead"),
        (["alerts", "map", "x" * 5000, "P0"], "the limit is 1,024"),
        (["health", "add", "127.0.0.1:1", "--name", "n" * 500], "the limit is 200"),
    ],
)
def test_plans_and_settings_far_out_of_range(
    run, one_line_error, unchanged, record, args, message
) -> None:
    one_line_error(run(*[a.format(ref=record["ref"]) for a in args]), contains=message)
    unchanged()


@pytest.mark.parametrize(
    ("title", "message"),
    [("x" * 1_048_576, "1,048,576 characters; no field takes more"), ("a\x00b", "U+0000")],
)
def test_an_export_with_a_valid_chain_but_impossible_text_is_refused(
    run, declare, tmp_path, one_line_error, title, message
) -> None:
    from commander.core.ops import GENESIS_HASH, Op

    record = declare("Exported", "P1")
    path = tmp_path / "export.json"
    assert run("export", record["id"], "--format", "json", "-o", str(path)).code == 0
    document = json.loads(path.read_text("utf-8"))
    prev = GENESIS_HASH
    for body in document["ops"]:  # rewrite the content and forge the whole chain again
        if body["entity"] == "incident" and body["field"] == "create":
            body["value"]["title"] = title
        fields = {k: body[k] for k in Op.__dataclass_fields__ if k not in ("hash", "prev_hash")}
        op = Op(**fields, prev_hash=prev)
        body["prev_hash"], body["hash"] = prev, op.compute_hash()
        prev = body["hash"]
    path.write_text(json.dumps(document), "utf-8")
    other = tmp_path / "other"
    one_line_error(run("import", str(path), data_dir=other), contains=message)
    assert run("incident", "list", "--json", data_dir=other).json() == []


def test_a_second_double_dash_is_a_value_not_an_empty_list(run, one_line_error, record) -> None:
    one_line_error(run("deadline", "met", record["ref"], "--", "--"), contains="'--'")
    assert run("log", record["ref"], "--", "--").code == 0


@pytest.mark.parametrize(
    ("author", "message"), [("a" * 100_000, "the limit is 200"), ("a\x1bb", "U+001B")]
)
def test_the_author_written_on_every_op_is_checked_like_any_name(
    run, one_line_error, unchanged, record, author, message
) -> None:
    one_line_error(run("--author", author, "log", record["id"], "note"), contains=message)
    unchanged()


def test_a_table_with_an_empty_column_prints() -> None:
    from commander.cli.output import render_table

    # Found by the fuzz suite on 'node list': an empty column made textwrap refuse width 0.
    assert render_table(["NODE", ""], [["n1", ""], ["n2", ""]]).splitlines()[1:] == ["n1", "n2"]
