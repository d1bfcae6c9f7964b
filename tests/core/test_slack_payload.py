"""Slack payloads checked by Slack's own SDK, and long text split only between entities."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from commander.core.channels import SLACK_SECTION_MAX, Channel
from commander.core.messages import MessageContext, format_for, slack_chunks
from commander.core.policy import Status
from commander.core.templates import Audience, Rendered

CONTEXT = MessageContext("id1", "INC-1", "P1", Status.INVESTIGATING, Audience.INTERNAL)


def _whole_entities(chunk: str) -> bool:
    """True when every ``&`` in ``chunk`` starts a whole ``&amp;``/``&lt;``/``&gt;``."""
    return chunk == html.escape(html.unescape(chunk), quote=False)


def test_a_split_never_cuts_inside_an_entity() -> None:
    # The 3,000-character cut falls right inside "&amp;": the entity moves to the next piece.
    paragraph = "x" * 2998 + "& <b> done"
    preview = format_for(Channel.SLACK, Rendered("S", paragraph), CONTEXT)
    sections = [b["text"]["text"] for b in preview.payload["blocks"] if b["type"] == "section"]
    assert sections == ["x" * 2998, "&amp; &lt;b&gt; done"]
    assert all(_whole_entities(s) for s in sections)


def test_a_split_prefers_the_last_space_or_line_break() -> None:
    words = " ".join(["incident"] * 500)  # 4,499 characters
    pieces = slack_chunks(words, SLACK_SECTION_MAX)
    assert pieces[0].endswith("incident ") and len(pieces[0]) <= SLACK_SECTION_MAX
    assert "".join(pieces) == words


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="ab&<> \n", max_size=120), limit=st.integers(5, 40))
def test_pieces_fit_hold_whole_entities_and_join_back(text: str, limit: int) -> None:
    pieces = slack_chunks(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert all(_whole_entities(p) for p in pieces)
    assert html.unescape("".join(pieces)) == text


def test_the_notification_text_is_escaped_and_cut_between_entities() -> None:
    subject = "<!channel> DB & cache"
    body = "&" * 1000  # escaped: 5,000 characters, over the 3,000 kept
    text = format_for(Channel.SLACK, Rendered(subject, body), CONTEXT).payload["text"]
    assert text.startswith("&lt;!channel&gt; DB &amp; cache")  # no mention ping
    assert text.endswith("&amp;…") and len(text) <= 3000
    assert _whole_entities(text.removesuffix("…"))


def test_slack_sdk_parses_every_block_back_to_the_same_json() -> None:
    body = "\n\n".join(
        [
            "Status: *investigating* & <escalated> to DB on-call",
            ("Long paragraph with & and < > " * 200).strip(),  # split over sections
            "ETA: 11:30 UTC",
        ]
    )
    payload = format_for(Channel.SLACK, Rendered("P1 — checkout & payments", body), CONTEXT).payload
    blocks = payload["blocks"]
    assert len([b for b in blocks if b["type"] == "section"]) > 3
    parsed = Block.parse_all(blocks)
    assert [type(b).__name__ for b in parsed] == [
        "HeaderBlock",
        *["SectionBlock"] * (len(blocks) - 2),
        "ContextBlock",
    ]
    # to_dict() runs the SDK's validators (section text ≤ 3,000, header ≤ 150 ...).
    assert [b.to_dict() for b in parsed] == blocks
