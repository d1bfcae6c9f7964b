"""The Jinja2 environment every report format and the handoff briefing render with.

The templates are files in ``commander/reports/templates`` (shipped as package data), so the
layout of each format reads like the page it makes; what goes in stays in Python. Only the
HTML templates (``*.html.j2``) escape their values; the Markdown ones escape with the filters
below, because Markdown has no single escaping rule (a table cell is not a paragraph).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def md_cell(value: str) -> str:
    """Text safe inside a report table cell: pipes escaped, line breaks kept, no raw HTML."""
    value = value.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")
    return "<br>".join(line.strip() for line in value.strip().splitlines()) or " "


def md_block(value: str) -> str:
    """Free text (a review field) as paragraphs; raw HTML is shown, not run."""
    return value.replace("\\", "\\\\").replace("<", "\\<").strip()


def md_prose(text: str) -> str:
    """Text safe in briefing prose, on one line: no accidental emphasis, links or HTML."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>|#":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def md_line(text: str) -> str:
    """A briefing table cell: whitespace runs folded to one space, then escaped as prose."""
    return md_prose(" ".join(text.split()))


ENV = Environment(
    loader=PackageLoader("commander.reports", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
)
ENV.filters.update(md_cell=md_cell, md_block=md_block, md_prose=md_prose, md_line=md_line)


def render(name: str, **context: Any) -> str:
    """``templates/<name>`` rendered with ``context``."""
    return ENV.get_template(name).render(**context)
