"""A command imports only what it needs: ``commander show`` stays near a bare ``import
sqlalchemy`` (issue 19), while ``--help`` still lists every command from ``cli/commands.py``."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from commander.cli.commands import COMMANDS, MODULES, modules_for
from commander.cli.main import build_parser

# Imported by some commands or by the window, never by 'show' or 'log'.
HEAVY = ("PySide6", "matplotlib", "jinja2", "psycopg", "jsonschema", "alembic", "httpx", "keyring")
SHOW_MODULES = {
    "commander.cli.commands",
    "commander.cli.common",
    "commander.cli.incident_text",
    "commander.cli.incidents",
    "commander.cli.severity_text",  # the loaded procedure's severity names
}

_PROBE = """
import json, sys
from commander.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def _imports_of(tmp_path: Path, *argv: str) -> tuple[int, set[str]]:
    """The modules a fresh interpreter holds after running ``commander *argv``."""
    report = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", _PROBE, str(report), *argv],
        check=True,
        capture_output=True,
        timeout=60,
    )
    data = json.loads(report.read_text())
    return data["code"], set(data["modules"])


def _top_level(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    return [(name, helps.get(name)) for name in sub.choices]


def test_the_table_names_what_every_module_registers_in_order() -> None:
    """Each command, its module and its summary: the full parser agrees with the table."""
    full = _top_level(build_parser())
    assert full[0][0] == "gui"
    assert full[1:] == [(name, summary) for name, _, summary in COMMANDS]
    for name, modules, summary in COMMANDS:
        one = dict(_top_level(build_parser(modules)))
        assert one[name] == summary, name
    assert set(MODULES) == {m for _, mods, _ in COMMANDS for m in mods}


def test_a_parser_for_one_command_lists_the_others_too() -> None:
    assert _top_level(build_parser({"incidents"})) == _top_level(build_parser())
    assert _top_level(build_parser(())) == _top_level(build_parser())


def test_the_command_is_found_past_the_global_options() -> None:
    assert modules_for(["show", "INC"]) == {"incidents"}
    assert modules_for(["--data-dir", "show", "db", "check"]) == {"sync", "recovery"}
    assert modules_for(["--author=x", "backup", "list"]) == {"recovery"}
    assert modules_for(["--help"]) is None
    assert modules_for([]) is None
    assert modules_for(["nonsense"]) is None


def test_show_imports_no_qt_no_feature_and_no_heavy_library(tmp_path: Path, run, declare) -> None:
    incident = declare("Gateway down", "P1")
    assert run("log", incident["ref"], "pods restarted").code == 0
    code, modules = _imports_of(
        tmp_path, "--data-dir", str(tmp_path / "ws"), "show", incident["ref"]
    )
    assert code == 0
    assert [m for m in HEAVY if m in modules] == []
    cli = {m for m in modules if m.startswith("commander.cli.")} - {
        "commander.cli.main",
        "commander.cli.output",
    }
    assert cli == SHOW_MODULES
    elsewhere = ("commander.ui", "commander.charts", "commander.sync.")
    assert not any(m.startswith(elsewhere) for m in modules)
    assert (
        "commander.services.demo.create" not in modules
        and "commander.services.comms" not in modules
    )


def test_help_lists_every_command_and_imports_no_feature(tmp_path: Path) -> None:
    code, modules = _imports_of(tmp_path, "--help")
    assert code == 0
    assert not any(m.startswith("commander.services") for m in modules)
    assert {m for m in modules if m.startswith("commander.cli.")} <= {
        "commander.cli.main",
        "commander.cli.output",
        "commander.cli.common",
        "commander.cli.commands",
    }
    shown = subprocess.run(
        [sys.executable, "-m", "commander", "--help"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    for name, _, _ in COMMANDS:
        assert f"\n    {name} " in shown, name


def test_an_abbreviated_option_before_the_command_still_runs_it(run, declare, cli_dir) -> None:
    """``--data`` (argparse's prefix of --data-dir) hides the command from the quick scan:
    the full parser is built and the command runs as before."""
    incident = declare("API down", "P1")
    result = run("--data", str(cli_dir), "show", incident["ref"], data_dir=None)
    assert result.code == 0, result.err
    assert "API down" in result.out


def test_an_option_another_module_adds_is_there_when_its_command_runs() -> None:
    """'verify --server' comes from the sync module: asking for 'verify' loads it too."""
    argv = ["verify", "--server", "postgresql://db.example/commander"]
    modules = modules_for(argv)
    assert modules is not None and {"incidents", "sync"} <= modules
    args = build_parser(modules).parse_args(argv)
    assert args.server == "postgresql://db.example/commander"
