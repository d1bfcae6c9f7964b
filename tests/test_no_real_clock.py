"""No test reads the real clock by accident.

A fixture once mixed the suite's fixed clock with ``datetime.now()`` and turned CI red four days
after it landed. Every read of the wall clock in tests/ (``datetime.now``, ``datetime.today``,
``datetime.utcnow``, ``date.today``, ``time.time``) must say why on its line or the line above it,
with a ``# real clock: <why>`` comment: the code under test reads the real clock too (a CLI
command, OpenSSL, PostgreSQL) and the test keeps both on the same clock. ``.ci/run`` also runs the
suite with the date moved a year ahead, which is what catches a reason that is wrong.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MARK = "# real clock:"
WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
}


def _wall_clock_calls(source: str) -> list[int]:
    """Line numbers of calls such as ``datetime.now(...)`` or ``time.time()``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in WALL_CLOCK:
            lines.append(node.lineno)
    return lines


def _explained(lines: list[str], lineno: int) -> bool:
    """The call's line, or the comment block right above it, carries the reason."""
    if MARK in lines[lineno - 1]:
        return True
    back = lineno - 2
    while back >= 0 and lines[back].lstrip().startswith("#"):
        if MARK in lines[back]:
            return True
        back -= 1
    return False


def test_every_wall_clock_read_in_the_tests_says_why() -> None:
    unexplained = []
    for path in sorted(TESTS.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for lineno in _wall_clock_calls(source):
            if not _explained(lines, lineno):
                unexplained.append(f"{path.relative_to(TESTS.parent)}:{lineno}")
    assert unexplained == [], (
        "these lines read the real clock without a '# real clock: <why>' comment "
        "(use the clock fixture instead, or say why the real clock is right): "
        + ", ".join(unexplained)
    )


def test_the_check_sees_the_calls_it_forbids() -> None:
    source = (
        "import time\nfrom datetime import date, datetime\n"
        "a = datetime.now()\nb = date.today()\nc = time.time()\n"
        "import datetime as dt\nd = dt.datetime.now(dt.UTC)\n"
        "e = clock.now()\n"
    )
    assert _wall_clock_calls(source) == [3, 4, 5, 7]
    lines = ["# real clock: the CLI", "# reads it", "x = datetime.now()", "y = datetime.now()"]
    assert _explained(lines, 3) and not _explained(lines, 4)
