"""The report's format, from the file name or the option, and the one-sentence refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from commander.core.errors import ValidationError
from commander.services.report import format_for


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("r.md", None, "md"),
        ("r.HTML", None, "html"),
        ("r.csv", None, "ics214"),
        ("r.txt", "markdown", "md"),
        ("r", "PDF", "pdf"),
    ],
)
def test_format_from_name_or_option(name, fmt, expected):
    assert format_for(Path(name), fmt) == expected


def test_unknown_format_is_one_sentence():
    with pytest.raises(ValidationError, match="Cannot tell the format"):
        format_for(Path("report.txt"), None)
    with pytest.raises(ValidationError, match="Unknown report format"):
        format_for(Path("report.txt"), "docx")
