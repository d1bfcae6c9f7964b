"""The people directory: handles, a person checked as typed, type-ahead, and the CSV read in
any common encoding with every refused row named by line and reason, and written back."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.core.people import (
    CsvImport,
    Person,
    clean_handle,
    clean_person,
    decode_csv,
    parse_people_csv,
    people_csv,
)

KIM = Person(
    "kim", "Kim Lee", "SRE", "kim@example.com", "+44 20 7946 0000", ("incident_commander",)
)


@pytest.mark.parametrize(
    ("text", "handle"),
    [("alice", "alice"), (" @Alice ", "alice"), ("d.okafor_2-x", "d.okafor_2-x")],
)
def test_a_handle_is_lower_case_without_its_at(text: str, handle: str) -> None:
    assert clean_handle(text) == handle


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "A handle must not be empty."),
        ("@", "A handle must not be empty."),
        ("a" * 41, "The handle 'aaaaaaaaaaaaaaaaaaaa'… is longer than 40."),
        ("kim lee", "The handle 'kim lee' may use only letters, digits, '.', '_' and '-'."),
        ("-kim", "The handle '-kim' may use only letters, digits, '.', '_' and '-'."),
        ("zoë", "The handle 'zoë' may use only letters, digits, '.', '_' and '-'."),
    ],
)
def test_a_bad_handle_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_handle(text)
    assert str(caught.value) == message


def test_a_person_is_checked_and_roles_split_and_deduplicated() -> None:
    person = clean_person(
        handle="@Kim",
        name=" Kim Lee ",
        team="SRE",
        email="kim@example.com",
        phone="+44 20 7946 0000",
        roles="incident_commander; scribe,incident_commander|;",
    )
    assert person == Person(
        "kim",
        "Kim Lee",
        "SRE",
        "kim@example.com",
        "+44 20 7946 0000",
        ("incident_commander", "scribe"),
    )
    assert clean_person(handle="a", name="A", roles=["x", " x ", ""]).roles == ("x",)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "kim-at-example"}, "'kim-at-example' is not an e-mail address."),
        ({"phone": "call me"}, "'call me' is not a phone number."),
        ({"name": "  "}, "Name must not be empty."),
    ],
)
def test_a_bad_field_is_refused(changes: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_person(**{"handle": "kim", "name": "Kim", **changes})
    assert str(caught.value) == message


def test_a_person_is_labelled_by_name_and_handle() -> None:
    assert KIM.label == "Kim Lee (@kim)"
    assert Person("kim", "").label == "@kim"


@pytest.mark.parametrize(
    ("text", "matches"),
    [("", True), ("ki", True), ("LEE", True), ("@kim", True), ("kim l", True), ("sre", False)],
)
def test_type_ahead_matches_the_name_a_word_of_it_or_the_handle(text: str, matches: bool) -> None:
    assert KIM.matches(text) is matches


def test_csv_bytes_are_read_as_utf8_with_or_without_a_mark_or_as_latin1() -> None:
    assert decode_csv("é".encode()) == ("é", "utf-8")
    assert decode_csv(b"\xef\xbb\xbf" + "é".encode()) == ("é", "utf-8-sig")
    assert decode_csv("é".encode("utf-16")) == ("é", "utf-16")
    assert decode_csv("é".encode("latin-1")) == ("é", "latin-1")


def test_a_utf8_mark_before_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        decode_csv(b"\xef\xbb\xbfname\xff")
    assert str(caught.value) == (
        "The file starts with a UTF-8 mark but is not UTF-8 text (byte 8); save it as CSV UTF-8."
    )


def test_a_utf16_mark_before_text_that_is_not_utf16_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        decode_csv(b"\xff\xfe\x00\xd8")
    assert str(caught.value) == "The file starts like UTF-16 text but is not; save it as CSV UTF-8."


def test_a_people_csv_is_read_and_bad_rows_are_named() -> None:
    data = (
        b"Name,Handle,Team,Email,Phone,Roles\n"
        b"Kim Lee,kim,SRE,kim@example.com,+44 20 7946 0000,incident_commander\n"
        b"\n"
        b"No Handle,,SRE,,,\n"
        b"Kim Again,KIM,,,,\n"
        b"Bad Mail,bad,,nope,,\n"
        b"Short,sh\n"
    )
    result = parse_people_csv(data)
    assert result.people == [KIM, Person("sh", "Short")]
    assert result.skipped == [
        (4, "A handle must not be empty."),
        (5, "duplicate handle @kim (first on line 2)"),
        (6, "'nope' is not an e-mail address."),
    ]
    assert result.skipped_text() == (
        "line 4: A handle must not be empty.; line 5: duplicate handle @kim (first on line 2); "
        "line 6: 'nope' is not an e-mail address."
    )
    assert result.encoding == "utf-8"


def test_semicolon_separated_latin1_as_excel_writes_it() -> None:
    data = "name;handle\nZoë Ångström;zoe\n".encode("latin-1")
    result = parse_people_csv(data)
    assert result.people == [Person("zoe", "Zoë Ångström")]
    assert result.encoding == "latin-1"


def test_roles_are_resolved_and_a_role_that_is_not_one_refuses_the_row() -> None:
    def resolve(role: str) -> str:
        keys = {"Incident Commander": "incident_commander", "IC": "incident_commander"}
        if role not in keys:
            raise ValidationError(f"No role {role!r}.")
        return keys[role]

    data = b"name,handle,roles\nKim,kim,Incident Commander;IC\nBob,bob,Juggler\n"
    result = parse_people_csv(data, resolve_role=resolve)
    assert result.people == [Person("kim", "Kim", roles=("incident_commander",))]
    assert result.skipped == [(3, "No role 'Juggler'.")]


def test_an_escaped_cell_reads_back_as_what_it_stood_for() -> None:
    result = parse_people_csv(b"name,handle\n'=SUM(A1),sum\n")
    assert result.people == [Person("sum", "=SUM(A1)")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The CSV file is empty: it needs a header row (name,handle,...)."),
        (b" , \nKim,kim\n", "The CSV file is empty: it needs a header row (name,handle,...)."),
        (b"name,handle\x00\n", "The file is not a CSV text file (it holds NUL bytes)."),
        (
            b"name,,email\nKim,,k@x.io\n",
            "The CSV file lacks the column(s) handle; its header is name, (blank), email. "
            "Expected: name, handle, team, email, phone, roles. Nothing was imported.",
        ),
    ],
)
def test_a_file_that_is_not_a_people_csv_is_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_people_csv(data)
    assert str(caught.value) == message


def test_the_directory_is_written_as_csv_that_reads_back() -> None:
    formula = Person("sum", "=SUM(A1)")
    text = people_csv([KIM, formula], {"incident_commander": "Incident Commander"})
    assert text == (
        "name,handle,team,email,phone,roles\n"
        "Kim Lee,kim,SRE,kim@example.com,'+44 20 7946 0000,Incident Commander\n"
        "'=SUM(A1),sum,,,,\n"
    )
    assert parse_people_csv(people_csv([KIM, formula]).encode()).people == [KIM, formula]


def test_an_empty_import_has_nothing_to_say() -> None:
    assert CsvImport().skipped_text() == ""
