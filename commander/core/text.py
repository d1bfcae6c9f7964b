"""Checks on text people type or paste, shared by every field so the messages agree."""

from __future__ import annotations

import re
from collections.abc import Sequence

from commander.core.errors import ValidationError
from commander.core.limits import EVENT_MAX, SERVICES_MAX, SHORT_MAX, TITLE_MAX

__all__ = ["EVENT_MAX", "SHORT_MAX", "TITLE_MAX", "clean_services", "clean_text"]

_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lone surrogates: what Python makes of bytes that are not UTF-8 (argv, stdin); no store,
# file or terminal can hold them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(
    value: str, *, what: str, limit: int, required: bool = False, multiline: bool = False
) -> str:
    """Strip surrounding space and refuse what a record must not hold.

    Raises:
        ValidationError: empty when required, longer than ``limit``, or holding control
            characters (a terminal escape pasted into the log would corrupt exports).
    """
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"{what} must not be empty.")
    if len(text) > limit:
        raise ValidationError(
            f"{what} is {len(text):,} characters long; the limit is {limit:,}. "
            "Shorten it or attach long output elsewhere."
        )
    if _SURROGATE.search(text):
        raise ValidationError(f"{what} is not valid text (it holds bytes that are not UTF-8).")
    pattern = _CONTROL_MULTI_LINE if multiline else _CONTROL_ONE_LINE
    bad = pattern.search(text)
    if bad:
        raise ValidationError(
            f"{what} contains a control character (U+{ord(bad.group()):04X}); remove it."
        )
    return text


def clean_services(values: Sequence[str] | str) -> list[str]:
    """Services as a de-duplicated list; a single string may be comma-separated."""
    if isinstance(values, str):
        values = values.split(",")
    result: list[str] = []
    for value in values:
        for part in str(value).split(","):
            name = clean_text(part, what="Service name", limit=SHORT_MAX)
            if name and name not in result:
                result.append(name)
                if len(result) > SERVICES_MAX:
                    raise ValidationError(
                        f"More than {SERVICES_MAX} services named; the limit is {SERVICES_MAX}. "
                        "Name the affected systems, not every component."
                    )
    return result
