"""Each channel's payload and its documented limits, checked before sending."""

from __future__ import annotations

import json

from commander.core.channels import Channel, parse_channel
from commander.core.messages import MessageContext, as_markdown, format_for
from commander.core.policy import Status
from commander.core.templates import Audience, Rendered

CONTEXT = MessageContext("id1", "INC-1", "P1", Status.INVESTIGATING, Audience.INTERNAL)


def test_slack_splits_long_paragraphs_and_cuts_long_headers() -> None:
    message = Rendered("H" * 200, "a" * 7000)
    preview = format_for(Channel.SLACK, message, CONTEXT)
    blocks = preview.payload["blocks"]
    assert len(blocks[0]["text"]["text"]) == 150
    sections = [b for b in blocks if b["type"] == "section"]
    assert [len(s["text"]["text"]) for s in sections] == [3000, 3000, 1000]
    texts = [p.text for p in preview.problems]
    assert any("Slack shows at most 150" in t for t in texts)
    assert any("split across sections" in t for t in texts)
    assert not preview.blocked
    assert "Blocks: 5 / 50" in preview.counters


def test_slack_refuses_more_than_50_blocks_and_escapes_markup() -> None:
    message = Rendered("S", "\n\n".join(f"<p{n}> & co" for n in range(60)))
    preview = format_for(Channel.SLACK, message, CONTEXT)
    assert preview.blocked
    assert preview.payload["blocks"][1]["text"]["text"] == "&lt;p0&gt; &amp; co"


def test_teams_refuses_a_card_over_28_kb() -> None:
    small = format_for(Channel.TEAMS, Rendered("S", "body"), CONTEXT)
    assert not small.blocked
    big = format_for(Channel.TEAMS, Rendered("S", "x" * 30_000), CONTEXT)
    assert big.blocked and "28 KB" in big.problems[0].text
    assert len(json.dumps(big.payload).encode()) > 28 * 1024


def test_statuspage_status_follows_the_incident_and_warns_on_internal_text() -> None:
    context = MessageContext(
        "id1", "INC-1", "P1", Status.MONITORING, Audience.INTERNAL, component_ids=("c1",)
    )
    preview = format_for(Channel.STATUSPAGE, Rendered("S", "B"), context)
    assert preview.payload["incident"]["status"] == "monitoring"
    assert preview.payload["incident"]["components"] == {"c1": "major_outage"}
    assert any("public" in p.text for p in preview.problems)


def test_pagerduty_summary_is_cut_at_1024_and_paging_is_for_p0() -> None:
    p0 = MessageContext("id1", "INC-1", "P0", Status.INVESTIGATING, Audience.INTERNAL)
    preview = format_for(Channel.PAGERDUTY, Rendered("S", "y" * 2000), p0)
    assert len(preview.payload["payload"]["summary"]) == 1024
    assert preview.payload["dedup_key"] == "id1" and not preview.blocked
    assert format_for(Channel.PAGERDUTY, Rendered("S", "B"), CONTEXT).blocked


def test_phone_script_is_for_reading_not_sending() -> None:
    preview = format_for(Channel.PHONE, Rendered("S", "B"), CONTEXT)
    assert preview.blocked and "read aloud" in preview.problems[0].text
    assert "P1 incident call about INC-1" in preview.payload["script"]


def test_markdown_copy_bolds_labels() -> None:
    text = as_markdown(Rendered("INCIDENT ALERT - P1", "Service: api\n\nWe are on it."))
    assert text == "**INCIDENT ALERT - P1**\n\n**Service:** api  \n\nWe are on it.\n"


def test_channel_names_parse() -> None:
    assert parse_channel("MS-Teams") is Channel.TEAMS
    assert parse_channel("status page") is Channel.STATUSPAGE
