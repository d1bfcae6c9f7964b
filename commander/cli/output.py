"""Printing for the command line: plain text that fits a terminal, or JSON for scripts."""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from typing import Any

WORD_MAX = 160  # a longer word in a message (a pasted blob echoed back) is shortened
MESSAGE_MAX = 1000
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def one_line(message: str) -> str:
    """A message as one line of bounded length: a quoted 1 MB value must not flood stderr."""
    words = []
    for word in message.split():
        if len(word) > WORD_MAX:
            word = f"{word[: WORD_MAX - 20]}…({len(word):,} characters)"
        words.append(word)
    text = _SURROGATE.sub("\ufffd", " ".join(words))
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "…"


def print_text(text: str) -> None:
    # A lone surrogate (undecodable argv bytes echoed back) cannot be written as UTF-8.
    sys.stdout.write(_SURROGATE.sub("\ufffd", text) + "\n")
    sys.stdout.flush()  # so a closed pipe is noticed here, inside main's handler


def print_json(value: Any) -> None:
    print_text(json.dumps(value, ensure_ascii=False, indent=2))


_CONTROLS = {code: "?" for code in (*range(0x20), 0x7F) if code != 0x0A}


def safe(text: str) -> str:
    """Text for a terminal: a control character from a synced op must not drive it."""
    return text.translate(_CONTROLS)


def render_table(headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """A plain-text table fitted to the terminal; wide cells wrap instead of running off."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    natural = [max([len(h)] + [_longest_line(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths = _fit(natural, max(width - 2 * (len(headers) - 1), 10 * len(headers)))
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    pairs = list(zip(widths, range(len(widths)), strict=True))
    for row in rows:
        # Most rows fit on one line: lay them out without wrapping each cell.
        if all(len(row[i]) <= w and _plain(row[i]) for w, i in pairs):
            out.append("  ".join([row[i].ljust(w) for w, i in pairs]).rstrip())
            continue
        cells = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        for n in range(max(len(c) for c in cells)):
            parts = [
                (c[n] if n < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)
            ]
            out.append("  ".join(parts).rstrip())
    return "\n".join(out)


def _fit(natural: list[int], room: int) -> list[int]:
    """Water-filling: narrow columns keep their width, the wide ones share what is left."""
    widths = list(natural)
    order = sorted(range(len(widths)), key=lambda i: natural[i])
    left = room
    for n, i in enumerate(order):
        share = left // (len(order) - n)
        widths[i] = max(min(natural[i], share), min(natural[i], 10))
        left -= widths[i]
    return widths


def _longest_line(text: str) -> int:
    if text.isprintable():  # no line break of any kind in it
        return len(text)
    return max((len(line) for line in text.splitlines()), default=0)


def _plain(text: str) -> bool:
    """One line that wrapping would leave as it is, if it fits."""
    return text.isprintable() and text[:1] != " " and text[-1:] != " " and "  " not in text


def _wrap(text: str, width: int) -> list[str]:
    width = max(width, 1)  # a column whose header and cells are all empty has width 0
    if _plain(text):
        if len(text) <= width:
            return [text]  # what textwrap returns, at a fraction of its cost
        words = text.split(" ")
        if max(map(len, words)) <= width:
            return _greedy(words, width)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False) or [""]
        )
    return lines


def _greedy(words: list[str], width: int) -> list[str]:
    """Words separated by single spaces, none wider than ``width``, filled line by line the
    way ``textwrap.wrap`` fills them (a 1M-entry timeline has 3M cells to wrap)."""
    lines: list[str] = []
    start, length = 0, len(words[0])
    for n in range(1, len(words)):
        size = len(words[n])
        if length + 1 + size <= width:
            length += 1 + size
        else:
            lines.append(" ".join(words[start:n]))
            start, length = n, size
    lines.append(" ".join(words[start:]))
    return lines
