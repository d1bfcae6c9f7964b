"""CSV cells a spreadsheet will not run: every CSV Commander writes goes through here.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (``=cmd|' /C calc'!A0``), so a timeline
line or a directory entry could run code on the machine of whoever opens the export. OWASP's
rule is to prefix such a cell with ``'``, which spreadsheets take as "this is text". The stored
record keeps the exact text; only the file gets the prefix, and ``unescape_cell`` (used by
``people import``) takes it off again, so an export imports back to the same text.

The rule is a bijection: a cell that already starts with ``'`` before a trigger (``'=x``)
gets a second ``'``, so ``unescape_cell(escape_cell(x)) == x`` for every string.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_TRIGGERS = "=+-@\t\r"
_NEEDS_PREFIX = re.compile(r"^'*[=+\-@\t\r]")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def escape_cell(text: str) -> str:
    """The cell as it may be written to a CSV file (``'`` before a formula trigger)."""
    return "'" + text if _NEEDS_PREFIX.match(text) else text


def unescape_cell(text: str) -> str:
    """The text a cell written by ``escape_cell`` stood for."""
    return text[1:] if text.startswith("'") and _NEEDS_PREFIX.match(text) else text


class SafeCsvWriter:
    """``csv.writer`` whose every cell passes through ``escape_cell``."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([escape_cell(str(cell)) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
