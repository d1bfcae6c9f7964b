"""The sync commands: db init (idempotent, roles, newer schema), sync --json, verify --server."""

from __future__ import annotations

import json

import psycopg

from commander.cli.main import main
from commander.sync.url import ServerUrl


def _run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_db_init_is_idempotent_and_applies_roles(capsys, pg_server):
    with psycopg.connect(pg_server.conninfo("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE cli_init")
    url = pg_server.url("cli_init")
    code, out, _ = _run(capsys, "db", "init", url, "--roles", "print")
    assert code == 0 and "created" in out and "GRANT EXECUTE ON FUNCTION commander.push" in out
    code, out, _ = _run(capsys, "db", "init", url, "--roles", "apply", "--json")
    assert code == 0 and json.loads(out)["created"] is False
    with psycopg.connect(pg_server.conninfo("cli_init")) as conn:
        roles = {
            r[0]
            for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'commander_%'")
        }
        assert roles == {"commander_responder", "commander_display"}
        display_can_push = conn.execute(
            "SELECT has_function_privilege('commander_display', 'commander.push(json, bigint)', "
            "'EXECUTE')"
        ).fetchone()[0]
        assert display_can_push is False
        conn.execute("UPDATE commander.meta SET value = '99' WHERE key = 'schema_version'")
        conn.commit()
    code, _, err = _run(capsys, "db", "init", url)
    assert code == 1 and "newer than this version knows" in err


def test_db_init_errors_are_one_line(capsys, tmp_path):
    code, _, err = _run(capsys, "db", "init", "not a url")
    assert code == 1 and "not a database URL" in err
    code, _, err = _run(capsys, "db", "init", f"postgresql+psycopg://u:hunter2@/x?host={tmp_path}")
    assert code == 1 and "unreachable" in err and "hunter2" not in err
    assert err.count("\n") == 1


def test_sync_and_verify_server_from_the_command_line(capsys, server_url, tmp_path, workspace):
    del workspace
    data = ["--data-dir", str(tmp_path / "workspace")]
    code, out, _ = _run(
        capsys, "incident", "new", "--title", "API down", "--severity", "P1", "--json", *data
    )
    assert code == 0
    code, out, _ = _run(capsys, "sync", "--server", server_url, "--json", *data)
    assert code == 0
    report = json.loads(out)
    assert report["pushed"]["accepted"] == 1 + 2 and report["pending"] == 0  # key op first
    code, out, _ = _run(capsys, "sync", "--server", server_url, *data)
    assert code == 0 and out.startswith("pushed 0 ops")
    code, out, _ = _run(capsys, "verify", "--server", server_url)
    assert code == 0 and "every chain is intact" in out
    code, out, _ = _run(capsys, "verify", *data)  # the local verify still works
    assert code == 0
    server = ServerUrl.parse(server_url)
    with psycopg.connect(**server.connect_kwargs()) as conn:
        conn.execute("UPDATE commander.op SET author = 'mallory' WHERE seq = 1")
    code, out, _ = _run(capsys, "verify", "--server", server_url, "--json")
    assert code == 1 and json.loads(out)["breaks"][0]["reason"].startswith("its content")
