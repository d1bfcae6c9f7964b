"""What is typed in a search box becomes a safe FTS5 query of quoted words (all must appear,
three characters or more); marked FTS5 output splits back into text and spans."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.core.search_text import (
    MARK_END,
    MARK_START,
    MAX_TERMS,
    Marked,
    MatchQuery,
    match_query,
    quote,
    unmark,
)

S, E = MARK_START, MARK_END


def test_every_word_is_quoted_and_joined_with_and() -> None:
    assert match_query("  cert  expired ") == MatchQuery(
        '"cert" AND "expired"', ("cert", "expired"), ()
    )


def test_fts5_syntax_typed_is_only_text() -> None:
    assert quote('say "hi"') == '"say ""hi"""'
    query = match_query('NEAR(api* -gw) "quoted')
    assert query.terms == ("NEAR(api*", "-gw)", '"quoted')
    assert query.expression == '"NEAR(api*" AND "-gw)" AND """quoted"'


def test_short_words_are_left_out_and_reported_and_repeats_count_once() -> None:
    query = match_query("db is DOWN down on db")
    assert query.terms == ("DOWN",)
    assert query.ignored == ("db", "is", "on")


def test_nul_characters_separate_words() -> None:
    assert match_query("disk\x00full").terms == ("disk", "full")


def test_at_most_sixteen_terms_are_looked_up() -> None:
    words = [f"word{i:02d}" for i in range(MAX_TERMS + 4)]
    assert match_query(" ".join(words)).terms == tuple(words[:MAX_TERMS])


@pytest.mark.parametrize("text", ["", "   ", "a bb", "\x00"])
def test_nothing_long_enough_to_search_is_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        match_query(text)
    assert str(caught.value) == "Type at least 3 characters of a word to search."


def test_unmark_splits_marks_into_spans_and_joins_fields() -> None:
    marked = unmark(f"Cert {S}expir{E}ed\n\n  on {S}api{E}-gw  ")
    assert marked == Marked("Cert expired · on api-gw", ((5, 10), (18, 21)))
    assert marked.bracketed() == "Cert [expir]ed · on [api]-gw"
    assert marked.bracketed("<b>", "</b>") == "Cert <b>expir</b>ed · on <b>api</b>-gw"


def test_unmark_drops_empty_marks_and_fields_holding_only_marks() -> None:
    assert unmark(f"a{S}{E}b\n{S}{E}\nc") == Marked("ab · c", ())
    assert unmark(f"stray{E} end").spans == ()
    assert unmark("") == Marked("", ())
    assert Marked("plain", ()).bracketed() == "plain"
