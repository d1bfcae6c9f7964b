"""Where each key of a TOML file is written, so every problem can name its line.

``tomllib`` gives values without positions. This reads the text once more, line by line, and
records the line of every table header (``[[deadline]]``, with its index) and every key
(``offset = ...``, dotted ``when.severity = ...``, and the keys of one-line inline tables).
Only what a line-based reading can see is found; a path not found falls back to its longest
recorded prefix, so a reason always has a line near its cause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")


def key_lines(text: str) -> dict[Path, int]:
    """Path (``("deadline", 2, "offset")``) -> 1-based line number."""
    lines: dict[Path, int] = {}
    counts: dict[Path, int] = {}
    table: Path = ()
    open_quote: str | None = None
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if open_quote is not None:
            if open_quote in line:
                open_quote = None
            continue
        if depth > 0:
            depth += _bracket_balance(line)
            continue
        header = _HEADER.match(line)
        if header:
            names = tuple(part.strip().strip('"') for part in header.group(2).split("."))
            table = _resolve(names, counts, array=header.group(1) == "[[")
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = table + tuple(part.strip() for part in key.group(1).split("."))
        for end in range(len(table) + 1, len(path) + 1):
            lines.setdefault(path[:end], number)
        rest = line[key.end() :]
        for inner in _INLINE_KEY.finditer(rest):
            lines.setdefault((*path, inner.group(1)), number)
        for quote in ('"""', "'''"):
            if rest.count(quote) == 1:
                open_quote = quote
        if open_quote is None:
            depth = _bracket_balance(rest)
    return lines


def _resolve(names: Sequence[str], counts: dict[Path, int], *, array: bool) -> Path:
    """The header's path with array indexes: ``[[checklist.step]]`` -> (checklist, 3, step, 0)."""
    path: Path = ()
    for i, name in enumerate(names):
        path = (*path, name)
        last = i == len(names) - 1
        if last and array:
            index = counts.get(path, -1) + 1
            counts[path] = index
            for stale in [k for k in counts if len(k) > len(path) and k[: len(path)] == path]:
                del counts[stale]  # a new parent item starts its children's count afresh
            path = (*path, index)
        elif path in counts:
            path = (*path, counts[path])
    return path


def _bracket_balance(text: str) -> int:
    """Open minus closed brackets outside strings and comments (multi-line arrays)."""
    balance, quote = 0, ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            balance += 1
        elif ch in "]}":
            balance -= 1
    return balance


def line_of(lines: dict[Path, int], path: Sequence[str | int]) -> int | None:
    """The line of ``path``, or of its longest prefix that has one."""
    probe = tuple(path)
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe[:-1]
    return None
