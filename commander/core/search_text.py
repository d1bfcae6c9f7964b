"""What the user typed in a search box, made into a safe FTS5 query; marked text split back.

The index uses the trigram tokenizer, so each word typed matches wherever it appears inside a
word ("expir" finds "CertificateExpired"), and every word must appear (AND). Each word is
quoted as an FTS5 string, so nothing typed (``"``, ``*``, ``NEAR``, ``-``, parentheses) can
change the query's meaning or make FTS5 refuse it. A trigram index cannot look up fewer than
three characters: shorter words are left out and the caller is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from commander.core.errors import ValidationError

MIN_TERM = 3
MAX_TERMS = 16
MARK_START = "\x02"
MARK_END = "\x03"


@dataclass(frozen=True)
class MatchQuery:
    """The FTS5 expression for ``terms``; ``ignored`` were too short to look up."""

    expression: str
    terms: tuple[str, ...]
    ignored: tuple[str, ...]


def quote(term: str) -> str:
    """``term`` as one FTS5 string: a phrase of its characters, never syntax."""
    return '"' + term.replace('"', '""') + '"'


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in text.replace("\x00", " ").split():
        if word.lower() not in (w.lower() for w in words):
            words.append(word)
    return words


def match_query(text: str) -> MatchQuery:
    """Every word of ``text`` must appear (any part of a word).

    Raises:
        ValidationError: no word of three characters or more was typed.
    """
    words = _words(text)
    terms = tuple(w for w in words if len(w) >= MIN_TERM)[:MAX_TERMS]
    ignored = tuple(w for w in words if len(w) < MIN_TERM)
    if not terms:
        raise ValidationError(f"Type at least {MIN_TERM} characters of a word to search.")
    return MatchQuery(" AND ".join(quote(t) for t in terms), terms, ignored)


@dataclass(frozen=True)
class Marked:
    """Text with the parts that matched: ``spans`` are (start, end) offsets into ``text``."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def bracketed(self, left: str = "[", right: str = "]") -> str:
        """The text with each match between ``left`` and ``right`` (the command line)."""
        out: list[str] = []
        last = 0
        for start, end in self.spans:
            out += [self.text[last:start], left, self.text[start:end], right]
            last = end
        out.append(self.text[last:])
        return "".join(out)


def unmark(marked: str) -> Marked:
    """Split FTS5 ``highlight``/``snippet`` output (marks ``\\x02``…``\\x03``) into text and
    spans; the record's line breaks between fields become " · " and empty fields vanish."""
    lines = [line.strip() for line in marked.split("\n")]
    joined = " · ".join(
        line for line in lines if line.replace(MARK_START, "").replace(MARK_END, "")
    )
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    start = -1
    length = 0
    for char in joined:
        if char == MARK_START:
            start = length
        elif char == MARK_END:
            if start >= 0 and length > start:
                spans.append((start, length))
            start = -1
        else:
            text.append(char)
            length += 1
    return Marked("".join(text), tuple(spans))
