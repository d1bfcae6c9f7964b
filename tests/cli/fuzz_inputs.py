"""What the CLI fuzz suite feeds the commands: argument values by what an argument is for,
and the files a command reads (JSON exports, alert bodies, people CSV, impact paste).

Values that name something in the workspace are placeholders (``{INC}``, ``{ALERT}`` ...),
filled in by the test once the workspace exists. Addresses are loopback only: the suite
never reaches the network (a closed port, a socket path that does not exist).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from commander.core.deadline_policy import DeadlineKind
from commander.core.impact import Metric
from commander.core.review import REVIEW_KEYS
from commander.core.roles import PROCEDURE_ROLES

ALERT_FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"
# Commands that open a window: the GUI suite (tests/ui) drives them.
WINDOW_COMMANDS = {("gui",), ("display",)}
# Commands that send to an address read from a stored setting, which an earlier generated
# input may have set to anything: tests/cli/test_channels.py drives them on loopback.
SENDING_COMMANDS = {("channel", "test")}
# Commands that listen until stopped, or for seconds: tests/sync/test_peer_*.py drive them.
LISTENING_COMMANDS = {("peer", "serve"), ("peer", "discover")}
GLOBAL_DESTS = {"help", "data_dir", "author", "version", "handler"}

SPECIALS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "bell\x07",
    "\x1b[31mred",
    "tab\there",
    "two\nlines",
    "cr\rhere",
    "\udcff",
    "bad \udcfe bytes",
    "\u202eevil",
    "\ufeffbom",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1",
    "-",
    "--",
    "'",
    '"',
    "%s%n",
    "{{ secret }}",
    "{% for x in y %}",
    "\\",
    "../../etc/passwd",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1",
    "0",
    "9" * 40,
    "Ω≈ç√",
    "🔥" * 3,
    "a,b,,c",
    ",".join(f"svc{n}" for n in range(60_000)),
]
LONG = st.sampled_from([201, 4_001, 20_001, 140_000, 1_048_576]).map(lambda n: "x" * n)
junk = st.one_of(st.text(max_size=24), st.sampled_from(SPECIALS), LONG)
small_junk = st.one_of(st.text(max_size=12), st.sampled_from(SPECIALS[:30]))


def _words(*values: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), small_junk)


TIMES = _words(
    "1900-01-01",
    "1900-01-01T00:00:00+00:00",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+00:00",
    "2026-13-45T99:00",
    "10:30",
    "23:59:59",
    "25:61",
    "00:00",
    "now",
    "{RECENT}",
    "{LONG_AGO}",
    "{FUTURE}",
)
NUMBERS = _words("0", "1", "5", "30", "-5", "1e9", "99999999999999999999", "nan", "2.5")
INCIDENTS = _words("{INC}", "{INC_ID}", "{INC_PREFIX}", "INC-", "INC-19990101-NOPE")
PG_BASE = "postgresql+psycopg://u@127.0.0.1:1/db"
_PG_QUERY = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "sslmode",
                "options",
                "host",
                "connect_timeout",
                "application_name",
                "frobnicate",
                "password",
                "target_session_attrs",
            ]
        ),
        st.one_of(st.sampled_from(["require", "bogus", "/tmp/no-such-dir", "1", "-c x"]), junk),
    ),
    max_size=3,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
PG_URLS = st.one_of(
    _PG_QUERY.map(lambda q: f"{PG_BASE}?{q}" if q else PG_BASE),
    st.sampled_from(
        [
            "mysql://u@127.0.0.1:1/db",
            "not a url",
            "postgresql://u@127.0.0.1:1",
            "postgresql://u:hunter2@127.0.0.1:abc/db",
            "postgresql://u@127.0.0.1:99999/db",
            "postgresql+psycopg://u@/db?host=/tmp/no-such-dir",
            "",
        ]
    ),
)
HTTP_URLS = st.sampled_from(
    [
        "http://127.0.0.1:1",
        "http://127.0.0.1:1/api/v2/alerts",
        "https://127.0.0.1:1/health",
        "127.0.0.1:1",
        "ftp://127.0.0.1:1/",
        "http://",
        "http://[::1",
        "http://127.0.0.1:99999/",
        "",
        "\x00",
        "http://127.0.0.1:1/" + "x" * 5000,
    ]
)
OUTPUTS = st.sampled_from(
    ["r.md", "r.html", "r.pdf", "r.json", "r.csv", "r.txt", "r.png", "r.ics", "missing/r.md", "."]
)
FIELD_VALUE = st.tuples(
    st.sampled_from(["eta", "summary", "next_update", "", " ", "a=b"]), junk
).map(lambda p: f"{p[0]}={p[1]}")

_ROLE_WORDS = [r.key for r in PROCEDURE_ROLES[:4]] + ["Incident Commander", "scribe", "ic"]
BY_DEST: dict[str, st.SearchStrategy[str]] = {
    "incident": INCIDENTS,
    "severity": _words("P0", "P1", "P2", "P3", "P9", "p1", "critical"),
    "field": _words("title", "severity", "status", "phase", "impact", "services", "colour"),
    "status": _words("open", "resolved", "done", "investigating", "sleeping"),
    "phase": _words("detection", "investigation", "resolution", "post_incident"),
    "key": st.one_of(
        st.sampled_from(REVIEW_KEYS), st.sampled_from([k.value for k in DeadlineKind]), junk
    ),
    "role": st.one_of(st.sampled_from(_ROLE_WORDS), small_junk),
    "person": _words("alice", "@alice", "bob", "nobody"),
    "handle": _words("alice", "@alice", "bob", "new.person", "UPPER", "a" * 41),
    "template": _words("initial", "update", "resolved", "executive"),
    "channel": _words("slack", "teams", "email", "statuspage", "webhook", "pagerduty", "phone"),
    "audience": _words("internal", "executive", "customer", "partner"),
    "metric": st.one_of(st.sampled_from([m.value for m in Metric]), small_junk),
    "fingerprint": _words("{ALERT}", "{ALERT_PREFIX}", "0000"),
    "item": _words("{ITEM}", "nope"),
    "retry": _words("{MESSAGE}", "nope"),
    "step": _words("1.1", "2.3", "{STEP}", "99.99", "restart"),
    "checklist": _words("1", "2", "{CHECKLIST}", "detection"),
    "use": _words("mine", "theirs", "{INC}"),
    "time_zone": _words("UTC", "Europe/Paris", "Mars/Phobos", "local"),
    "business_days": _words("Mon-Fri", "Mon,Tue", "Funday"),
    "business_hours": _words("09:00-17:00", "17:00-09:00", "25:00-26:00"),
    "value": junk,
    "set": FIELD_VALUE,
    "server": PG_URLS,
    # 'peer sync HOST:PORT': a closed loopback port, or text that is no address at all.
    "address": st.sampled_from(
        ["127.0.0.1:1", "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1", ":1", "127.0.0.1:x", ""]
    ),
    "target": HTTP_URLS,
    "out": OUTPUTS,
    "output": OUTPUTS,
}
for _dest in ("at", "occurred_at", "time", "when", "now", "due"):
    BY_DEST[_dest] = TIMES
for _dest in ("minutes", "position", "max_skew_ms", "due_soon"):
    BY_DEST[_dest] = NUMBERS


def value_for(command: tuple[str, ...], action: argparse.Action) -> st.SearchStrategy[str]:
    """Mostly values of the right kind (so the command gets past parsing), some junk."""
    if action.choices:
        return st.one_of(st.sampled_from(sorted(map(str, action.choices))), small_junk)
    dest = action.dest
    if dest == "url":
        return PG_URLS if command[0] == "db" else HTTP_URLS
    if dest == "value" and command == ("incident", "set"):
        return st.one_of(BY_DEST["severity"], BY_DEST["status"], BY_DEST["phase"], junk)
    if dest == "name" and command == ("runbook", "set"):
        return _words("namespace", "<pod-name>", "service", "bad name")
    return BY_DEST.get(dest, junk)


@dataclass
class FuzzStats:
    """What the suite tried, for the terminal summary (tests/cli/conftest.py prints it)."""

    tried: int = 0
    refused: int = 0
    usage: int = 0
    slowest: float = 0.0
    slowest_argv: str = ""
    commands: set[tuple[str, ...]] = field(default_factory=set)

    def record(self, command: tuple[str, ...], argv: list[str], code: int, seconds: float) -> None:
        self.tried += 1
        self.refused += code == 1
        self.usage += code == 2
        self.commands.add(command)
        if seconds > self.slowest:
            self.slowest, self.slowest_argv = seconds, " ".join(a[:30] for a in argv[:4])

    def summary(self) -> str:
        return (
            f"CLI fuzz: {self.tried:,} generated inputs tried on {len(self.commands)} "
            f"subcommands ({self.refused:,} refused, {self.usage:,} usage errors, the rest "
            f"done); slowest {self.slowest:.2f} s ({self.slowest_argv})"
        )


FUZZ_STATS = FuzzStats()


# -- files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileInput:
    """A file to write before the command runs: its bytes, or ``special`` (/dev/zero ...)."""

    data: bytes = b""
    special: str = ""  # "zero", "missing", "directory", "stdin"
    based_on_export: tuple[str, Any] | None = None  # (top-level key, new value) for import


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | junk,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(small_junk, inner, max_size=3),
    max_leaves=8,
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _alert_body(fixture: str, where: str, value: Any) -> bytes:
    body = json.loads((ALERT_FIXTURES / fixture).read_text("utf-8"))
    alerts = body if isinstance(body, list) else body.get("alerts", [])
    if alerts and isinstance(alerts[0], dict):
        target = alerts[0]
        if where in ("alertname", "severity"):
            target.setdefault("labels", {})[where] = value
            if isinstance(body, dict):
                body.get("commonLabels", {}).pop(where, None)
        elif where == "summary":
            target.setdefault("annotations", {})[where] = value
        else:
            target[where] = value
    return _dumps(body)


ALERT_BODIES = st.builds(
    _alert_body,
    st.sampled_from(
        sorted(p.name for p in ALERT_FIXTURES.glob("*.json") if p.name != "malformed.json")
    ),
    st.sampled_from(
        ["alertname", "severity", "summary", "startsAt", "status", "fingerprint", "labels"]
    ),
    json_values,
)
_CSV_COLUMNS = ["name", "handle", "team", "email", "phone", "roles", "extra"]


def _csv(header: list[str], rows: list[list[str]], sep: str, encoding: str) -> bytes:
    text = "\n".join(sep.join(cells) for cells in [header, *rows]) + "\n"
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    return (
        text.encode(encoding, "replace")
        if encoding != "utf-8"
        else text.encode("utf-8", "surrogatepass")
    )


PEOPLE_CSV = st.builds(
    _csv,
    st.lists(st.sampled_from(_CSV_COLUMNS), min_size=1, max_size=7),
    st.lists(
        st.lists(st.one_of(st.sampled_from(["Alice", "alice", '"q,uoted"']), junk), max_size=7),
        max_size=4,
    ),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
)
PASTE_ROWS = st.lists(
    st.tuples(TIMES, st.sampled_from([",", "\t", ";", " "]), NUMBERS).map("".join),
    max_size=6,
).map(lambda rows: "\n".join(rows).encode("utf-8", "surrogatepass"))
# The sourced chat layouts (tests/fixtures/chat), whole or cut short, for 'paste'.
_CHAT_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "chat"
CHAT_TEXTS = st.tuples(
    st.sampled_from(sorted(p.read_bytes() for p in _CHAT_DIR.glob("*.txt"))),
    st.integers(0, 2000),
).map(lambda sample: sample[0][: sample[1]])

RAW = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([b"", b"[" * 200_000, b"{" * 70 + b"}" * 70, b"\xff\xfe\x00", b"null"]),
)
SPECIAL_FILES = st.sampled_from(["zero", "missing", "directory"]).map(
    lambda s: FileInput(special=s)
)


def file_for(command: tuple[str, ...]) -> st.SearchStrategy[FileInput]:
    """A file of the kind ``command`` reads, often damaged; or a special file."""
    content: st.SearchStrategy[bytes]
    if command == ("import",):
        export = st.tuples(
            # "forge": the incident's title in its create op, with the chain forged to match
            st.sampled_from(
                ["format", "format_version", "incident_id", "ops", "record", "x", "forge"]
            ),
            json_values,
        ).map(lambda change: FileInput(based_on_export=change))
        return st.one_of(export, RAW.map(FileInput), SPECIAL_FILES)
    if command == ("alerts", "ingest"):
        content = st.one_of(ALERT_BODIES, RAW)
    elif command == ("people", "import"):
        content = st.one_of(PEOPLE_CSV, RAW)
    elif command == ("impact", "paste"):
        content = st.one_of(PASTE_ROWS, RAW)
    elif command == ("paste",):
        content = st.one_of(CHAT_TEXTS, RAW)
    else:
        return st.just(FileInput(special="output"))
    stdin = content.map(lambda data: FileInput(data=data, special="stdin"))
    return st.one_of(content.map(FileInput), stdin, SPECIAL_FILES)


STDIN = st.one_of(
    junk.map(lambda t: t.encode("utf-8", "surrogateescape")), RAW, st.just(b"root cause\n")
)
