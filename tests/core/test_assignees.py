"""Someone typed but not in the directory: "me", a handle kept as typed, or a handle derived
from a name (accents dropped, a number when taken)."""

from __future__ import annotations

import pytest

from commander.core.assignees import ME_WORDS, handle_for, is_me, me_person, new_person
from commander.core.errors import ValidationError
from commander.core.people import HANDLE_MAX, Person


@pytest.mark.parametrize("text", ["me", "@me", " ME ", "@Me"])
def test_me_words_stand_for_the_person_at_the_keyboard(text: str) -> None:
    assert is_me(text)


@pytest.mark.parametrize("text", ["", "mel", "@meg", "m e"])
def test_other_words_are_not_me(text: str) -> None:
    assert not is_me(text)
    assert text.strip().lower() not in ME_WORDS


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("Kim Lee", "kim.lee"),
        ("  Kim   LEE  ", "kim.lee"),
        ("Zoë Ångström", "zoe.angstrom"),
        ("O'Brien-Smith", "o.brien.smith"),
        ("李雷", "person"),
        ("", "person"),
        ("Agent 007", "agent.007"),
    ],
)
def test_a_handle_is_derived_from_a_name(text: str, handle: str) -> None:
    assert handle_for(text) == handle


def test_a_taken_handle_gets_the_next_free_number() -> None:
    assert handle_for("Kim Lee", {"kim.lee"}) == "kim.lee2"
    assert handle_for("Kim Lee", {"kim.lee", "kim.lee2", "kim.lee3"}) == "kim.lee4"


def test_a_long_name_is_cut_to_the_handle_limit_number_included() -> None:
    base = handle_for("a" * 100)
    assert base == "a" * HANDLE_MAX
    numbered = handle_for("a" * 100, {base})
    assert numbered == "a" * (HANDLE_MAX - 1) + "2"
    assert len(numbered) == HANDLE_MAX


def test_a_typed_handle_is_kept_and_stands_as_the_name() -> None:
    assert new_person("@Kim.Lee") == Person(handle="kim.lee", name="kim.lee")


def test_a_typed_name_gets_a_derived_handle() -> None:
    assert new_person("  Kim Lee ", {"kim.lee"}) == Person(handle="kim.lee2", name="Kim Lee")


@pytest.mark.parametrize(
    ("text", "taken", "message"),
    [
        ("", (), "Name a person by handle or name."),
        ("   ", (), "Name a person by handle or name."),
        ("@kim", {"kim"}, "@kim is taken; name them by that handle."),
        ("@", (), "A handle must not be empty."),
        ("@kim lee", (), "The handle '@kim lee' may use only letters, digits, '.', '_' and '-'."),
    ],
)
def test_what_cannot_name_a_new_person_is_refused(text: str, taken: set[str], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        new_person(text, taken)
    assert str(caught.value) == message


def test_an_overlong_name_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        new_person("x" * 10_000)
    assert str(caught.value) == (
        "Name is 10,000 characters long; the limit is 200. "
        "Shorten it or attach long output elsewhere."
    )


def test_me_is_the_author_as_handle_when_it_is_one() -> None:
    assert me_person("dokafor", "Dayo Okafor") == Person(handle="dokafor", name="Dayo Okafor")


def test_me_gets_a_derived_handle_when_the_author_is_a_name() -> None:
    assert me_person("Dayo Okafor", "") == Person(handle="dayo.okafor", name="Dayo Okafor")


def test_me_without_an_author_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        me_person("  ", "Dayo")
    assert str(caught.value) == "Set your name first (Settings, or --author) to assign 'me'."
