"""Which module holds each top-level command, and its one-line summary.

``commander`` imports a command's module only when that command runs (a feature module pulls
in its services, and with them SQLAlchemy's ORM, jsonschema, psycopg ...), yet ``--help``
lists every command: from this table. ``tests/cli/test_cli_lazy.py`` checks that it names
exactly what each module registers, with the same summaries, in the same order.
"""

from __future__ import annotations

# (command, modules under commander.cli that register it, summary), in --help order.
COMMANDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("demo", ("incidents",), "load the demo incident (a P1 certificate expiry)"),
    ("incident", ("incidents",), "declare, list and change incidents"),
    ("log", ("incidents",), "append an entry to an incident's timeline"),
    ("show", ("incidents",), "print an incident and its timeline"),
    (
        "verify",
        ("incidents",),
        "check every op's hash chain, signature and the tables built from it",
    ),
    ("key", ("kinds",), "mark a timeline entry as a key event (--off: unmark it)"),
    ("questions", ("kinds",), "an incident's open questions, oldest first"),
    ("attach", ("attachments",), "attach a file (a screenshot, a log) to the timeline"),
    ("attachment", ("attachments",), "read attached files back"),
    ("deadlines", ("deadlines",), "every deadline of an incident, as of now or --now"),
    ("deadline", ("deadlines",), "record that a deadline was met or snoozed"),
    ("settings", ("deadlines",), "show or change how deadlines are computed"),
    ("role", ("roster",), "assign, hand off and list the response team's roles"),
    ("people", ("roster",), "the people directory"),
    ("briefing", ("roster",), "the handoff briefing for the incoming IC"),
    ("compose", ("comms",), "print a template filled from the incident record"),
    ("send", ("comms",), "queue a message in the outbox for delivery"),
    ("outbox", ("comms",), "list the outbox (queued, sending, sent, failed)"),
    ("templates", ("comms",), "list the communication templates"),
    ("impact", ("charts",), "record and list impact samples"),
    ("chart", ("charts",), "export a chart as PNG or SVG"),
    # 'db' is sync's; recovery adds 'db check' and 'db recover' to it.
    ("db", ("sync", "recovery"), "the shared PostgreSQL database; the workspace file's health"),
    ("sync", ("sync",), "push local changes to the shared database and pull others'"),
    ("backup", ("recovery",), "the workspace's rolling backups"),
    ("node", ("nodes",), "this node's signing key, and every node's fingerprint"),
    ("display", ("display",), "open the read-only war-room display (full screen; Esc leaves it)"),
    ("review", ("review",), "the post-incident review of an incident"),
    ("action", ("review",), "action items from post-incident reviews"),
    ("export", ("reports",), "write an incident's report (md, html, pdf, json, ics214)"),
    ("import", ("reports",), "add an incident from a JSON export (refused if it is already here)"),
    ("checklist", ("checklists",), "the procedure's checklists per incident"),
    ("runbook", ("checklists",), "diagnostic and recovery commands to copy"),
    ("procedure", ("procedures",), "the procedure the workspace runs, as a file"),
    (
        "field",
        ("fields",),
        "an incident's type and the procedure's custom fields: list or set",
    ),
    ("alerts", ("alerts",), "alerts from Alertmanager and Grafana"),
    ("health", ("alerts",), "health endpoints and certificate expiry"),
    ("channel", ("channels",), "configure and test delivery channels"),
    ("slack", ("slack",), "pull a Slack channel's messages into an incident"),
    ("secrets", ("secrets_cli",), "where this workspace keeps secrets"),
    ("bundle", ("bundles",), "carry changes between workspaces in a signed file"),
    ("peer", ("peers",), "sync directly with another laptop (no server)"),
    ("paste", ("chat",), "log chat copied from Slack or Teams, each message at its own time"),
    (
        "exercise",
        ("exercise",),
        "practise the procedure: 'exercise SCENARIO', 'exercise list', "
        "'exercise from INC -o FILE', 'exercise end', 'exercise debrief'",
    ),
    (
        "search",
        ("search",),
        "find text anywhere in every incident: titles, timeline, review, action items, "
        "messages sent, alerts",
    ),
    (
        "similar",
        ("search",),
        "up to five earlier incidents that resemble an incident, why, and what was done then",
    ),
)

# Options another module adds to a command ('sync' gives 'verify' its --server): loaded with
# the command's own modules, registered in module order like every other.
EXTENDED_BY: dict[str, tuple[str, ...]] = {"verify": ("sync",)}

# Modules in the order they register (recovery after sync: it extends sync's 'db').
MODULES: tuple[str, ...] = tuple(dict.fromkeys(m for _, mods, _ in COMMANDS for m in mods))

# Global options that take a value: skipped when looking for the command's name.
_VALUED = ("--data-dir", "--author")


def modules_for(argv: list[str]) -> set[str] | None:
    """The modules the command in ``argv`` needs; None when it names no known command
    (``--help``, the default window, or a typo: the parser says which)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--":
            return None
        if token in _VALUED:
            skip = True
            continue
        if token.startswith("-"):
            continue
        for name, modules, _ in COMMANDS:
            if name == token:
                return {*modules, *EXTENDED_BY.get(name, ())}
        return None
    return None
