"""An incident's type and custom fields: each value checked against the procedure's
declaration with one sentence for what it does not take, and what must be filled when."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.core.procedure_fields import (
    HeaderField,
    RecordedField,
    check_value,
    header_fields,
    missing_at,
    placeholder_names,
    placeholders,
    recorded_fields,
    shown,
)
from commander.core.procedure_file import load_procedure
from commander.core.procedure_model import Situation

PROCEDURE = load_procedure(
    """\
format = 1
name = "Fields"
version = "1"

[[severity]]
key = "S1"
name = "Bad"

[[type]]
key = "service"
name = "Service"

[[type]]
key = "security"
name = "Security"

[[field]]
key = "tier"
name = "Customer tier"
type = "choice"
choices = ["enterprise", "free"]
required = "declaration"

[[field]]
key = "regions"
name = "Regions"
type = "multi_choice"
choices = ["eu", "us", "apac"]

[[field]]
key = "users"
name = "Users affected"
type = "number"

[[field]]
key = "aware_at"
name = "Aware at"
type = "datetime"
required = "resolution"
when = { type = ["security"] }

[[field]]
key = "ticket"
name = "Ticket"
type = "url"

[[field]]
key = "note"
name = "Note"
type = "text"

[[deadline]]
key = "ack"
name = "Acknowledge"
anchor = "declared"
offset = "15m"
""",
    "fields.toml",
)


def situation(kind: str = "", **values: object) -> Situation:
    return Situation("S1", kind, "investigating", values)


def test_the_type_is_read_by_key_or_name_in_any_case() -> None:
    assert check_value(PROCEDURE, "type", "security") == "security"
    assert check_value(PROCEDURE, "type", "  SECURITY ") == "security"
    assert check_value(PROCEDURE, "type", "Service") == "service"
    assert check_value(PROCEDURE, "type", "") is None
    with pytest.raises(ValidationError) as caught:
        check_value(PROCEDURE, "type", "network")
    assert str(caught.value) == (
        "Unknown incident type 'network': this procedure has service, security."
    )


def test_an_undeclared_field_names_the_fields_there_are() -> None:
    with pytest.raises(ValidationError) as caught:
        check_value(PROCEDURE, "owner", "bob")
    assert str(caught.value) == (
        "The procedure has no field 'owner': use one of "
        "type, tier, regions, users, aware_at, ticket, note."
    )


def test_an_empty_value_empties_the_field() -> None:
    assert check_value(PROCEDURE, "tier", None) is None
    assert check_value(PROCEDURE, "users", "   ") is None


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("tier", " free ", "free"),
        ("regions", "eu, apac,,", ["eu", "apac"]),
        ("users", "1200", 1200.0),
        ("users", "-0.5", -0.5),
        ("aware_at", "2026-03-05T09:30+01:00", "2026-03-05T09:30:00+01:00"),
        ("ticket", "https://tickets.example.com/42", "https://tickets.example.com/42"),
        ("note", "  see the runbook ", "see the runbook"),
    ],
)
def test_each_type_gives_its_typed_value(key: str, text: str, value: object) -> None:
    assert check_value(PROCEDURE, key, text) == value


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("tier", "Enterprise", "Customer tier takes one of enterprise, free."),
        ("regions", "eu, mars", "Regions takes any of eu, us, apac."),
        ("users", "many", "Users affected takes a number, not 'many'."),
        (
            "aware_at",
            "2026-03-05T09:30",
            "Aware at takes a date and time with a zone, like 2026-03-05T09:30+01:00.",
        ),
        (
            "aware_at",
            "yesterday",
            "Aware at takes a date and time with a zone, like 2026-03-05T09:30+01:00.",
        ),
        ("ticket", "ftp://x", "Ticket takes a web address starting with https://."),
        ("note", "bell \x07", "Note contains a control character (U+0007); remove it."),
    ],
)
def test_a_value_a_field_does_not_take_gets_one_sentence(key: str, text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_value(PROCEDURE, key, text)
    assert str(caught.value) == message


def test_shown_names_a_field_as_the_procedure_does() -> None:
    assert shown(PROCEDURE, "tier") == "Customer tier"
    assert shown(PROCEDURE, "type") == "Type"
    assert shown(PROCEDURE, "gone") == "gone"


def test_missing_fields_follow_the_moment_and_the_situation() -> None:
    assert [f.key for f in missing_at(PROCEDURE, "declaration", situation(), {})] == ["tier"]
    assert missing_at(PROCEDURE, "declaration", situation(), {"tier": "free"}) == []
    assert missing_at(PROCEDURE, "resolution", situation("service"), {}) == []
    missing = missing_at(PROCEDURE, "resolution", situation("security"), {"aware_at": ""})
    assert [f.key for f in missing] == ["aware_at"]


def test_placeholders_hold_every_field_empty_until_set_and_the_types_name() -> None:
    values = {"type": "security", "regions": ["eu", "us"], "users": 12.0}
    assert placeholders(PROCEDURE, values) == {
        "field_type": "Security",
        "field_tier": "",
        "field_regions": "eu, us",
        "field_users": "12.0",
        "field_aware_at": "",
        "field_ticket": "",
        "field_note": "",
    }
    assert placeholder_names(PROCEDURE)["field_type"] == "Type"
    assert placeholder_names(PROCEDURE)["field_tier"] == "Customer tier"


def test_recorded_fields_list_the_type_then_filled_fields_in_the_procedures_order() -> None:
    values = {"note": "x", "tier": "free", "type": "service", "regions": []}
    assert recorded_fields(PROCEDURE, values) == [
        RecordedField("type", "Type", "service", "Service"),
        RecordedField("tier", "Customer tier", "free", "free"),
        RecordedField("note", "Note", "x", "x"),
    ]


def test_the_header_shows_fields_asked_for_now_and_marks_the_required_empty_ones() -> None:
    rows = header_fields(PROCEDURE, {"type": "service", "users": 3.0}, situation("service"))
    assert rows == [
        HeaderField("type", "Type", "Service", False),
        HeaderField("tier", "Customer tier", "", True),
        HeaderField("regions", "Regions", "", False),
        HeaderField("users", "Users affected", "3.0", False),
        HeaderField("ticket", "Ticket", "", False),
        HeaderField("note", "Note", "", False),
    ]
    security = header_fields(PROCEDURE, {"type": "security"}, situation("security"))
    assert HeaderField("aware_at", "Aware at", "", True) in security
