"""The Jinja2 environment every report format and the handoff briefing render with.

The templates are files in ``commander/reports/templates`` (shipped as package data), so the
layout of each format reads like the page it makes; what goes in stays in Python. Only the
HTML templates (``*.html.j2``) escape their values: Markdown escapes with its own filters.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

ENV = Environment(
    loader=PackageLoader("commander.reports", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
)


def render(name: str, **context: Any) -> str:
    """``templates/<name>`` rendered with ``context``."""
    return ENV.get_template(name).render(**context)
