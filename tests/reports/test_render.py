"""reports.render: the Markdown filters' escaping, and autoescape for HTML templates only."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, UndefinedError

from commander.reports.render import ENV, md_block, md_cell, md_line, md_prose, render


def test_md_cell_escapes_pipes_backslashes_and_html_and_keeps_line_breaks() -> None:
    assert md_cell("a | b") == "a \\| b"
    assert md_cell("C:\\temp <b>") == "C:\\\\temp \\<b>"
    assert md_cell("  first\n  second  \n") == "first<br>second"
    assert md_cell("   ") == " "  # an empty cell still has a cell


def test_md_block_keeps_paragraphs_and_shows_html() -> None:
    assert md_block("\nExpired key\n\n<script>x</script> \\o/\n") == (
        "Expired key\n\n\\<script>x\\</script> \\\\o/"
    )


def test_md_prose_escapes_every_markdown_sign_and_folds_lines() -> None:
    assert md_prose("*bold* _it_ `code` [l](u) <b> a|b #1 \\") == (
        "\\*bold\\* \\_it\\_ \\`code\\` \\[l\\](u) \\<b\\> a\\|b \\#1 \\\\"
    )
    assert md_prose("one\ntwo") == "one two"
    assert md_line("  roll   back\n\tnow  *") == "roll back now \\*"


def test_html_templates_escape_their_values_and_markdown_ones_do_not() -> None:
    probe = ENV.overlay(
        loader=DictLoader(
            {"probe.html.j2": "<p>{{ v }}</p>", "probe.md.j2": "{{ v }} / {{ v|md_cell }}"}
        )
    )
    value = 'a <b>&"x"'
    assert probe.get_template("probe.html.j2").render(v=value) == (
        "<p>a &lt;b&gt;&amp;&#34;x&#34;</p>"
    )
    assert probe.get_template("probe.md.j2").render(v=value) == 'a <b>&"x" / a \\<b>&"x"'


def test_render_fills_a_shipped_template_and_refuses_a_missing_value() -> None:
    with pytest.raises(UndefinedError):
        render("briefing.md.j2")  # StrictUndefined: nothing silently left blank
    assert set(ENV.filters) >= {"md_cell", "md_block", "md_prose", "md_line"}
