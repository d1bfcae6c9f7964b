"""Typed text is trimmed, bounded, free of control characters; service lists deduplicated."""

import pytest

from commander.core.errors import ValidationError
from commander.core.text import EVENT_MAX, clean_services, clean_text


def test_a_megabyte_of_pasted_text_is_refused_with_its_size() -> None:
    with pytest.raises(ValidationError, match="1,048,576 characters"):
        clean_text("a" * 1_048_576, what="Event", limit=EVENT_MAX)


def test_services_are_split_trimmed_and_deduplicated() -> None:
    assert clean_services("api, gw,,api ") == ["api", "gw"]
    assert clean_services(["api,db", "gw"]) == ["api", "db", "gw"]


def test_text_is_stripped_and_an_empty_optional_value_is_allowed() -> None:
    assert clean_text("  hello  ", what="Note", limit=10) == "hello"
    assert clean_text("", what="Note", limit=10) == ""
    assert clean_text(None, what="Note", limit=10) == ""  # type: ignore[arg-type]


def test_a_required_value_must_not_be_blank() -> None:
    with pytest.raises(ValidationError, match=r"^Title must not be empty\.$"):
        clean_text("   ", what="Title", limit=10, required=True)


def test_the_limit_counts_the_stripped_text() -> None:
    assert clean_text("  abcde  ", what="Note", limit=5) == "abcde"
    with pytest.raises(ValidationError, match="Note is 6 characters long; the limit is 5"):
        clean_text("abcdef", what="Note", limit=5)


def test_newlines_and_tabs_pass_only_in_multiline_text() -> None:
    assert clean_text("a\nb\tc\r\nd", what="Body", limit=99, multiline=True) == "a\nb\tc\r\nd"
    with pytest.raises(ValidationError, match=r"control character \(U\+000A\)"):
        clean_text("a\nb", what="Event", limit=99)
    with pytest.raises(ValidationError, match=r"control character \(U\+001B\)"):
        clean_text("red \x1b[31m", what="Body", limit=99, multiline=True)


def test_lone_surrogates_are_refused_as_not_utf8() -> None:
    with pytest.raises(ValidationError, match="not valid text"):
        clean_text("bad \udcff byte", what="Event", limit=99)


def test_a_service_name_with_a_control_character_is_refused() -> None:
    with pytest.raises(ValidationError, match="Service name contains a control character"):
        clean_services("api,\x07gw")


def test_more_than_the_limit_of_services_is_refused() -> None:
    from commander.core.limits import SERVICES_MAX

    names = [f"svc{i}" for i in range(SERVICES_MAX)]
    assert clean_services(names) == names
    assert clean_services([*names, "svc0"]) == names  # a repeat does not count
    with pytest.raises(ValidationError, match=f"More than {SERVICES_MAX} services named"):
        clean_services([*names, "one-more"])
