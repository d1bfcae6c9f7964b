"""Chat copied from Slack and Teams (tests/fixtures/chat, one file per sourced layout) reads
back into messages with their own time, sender and text; what is not a message is said."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commander.core.chat_paste import ChatPaste, Format, detect, parse_chat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chat"
NOW = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)  # a fixed clock: Thursday afternoon


def _read(name: str, *, now: datetime = NOW, zone: ZoneInfo | None = None) -> ChatPaste:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return parse_chat(text, now=now, zone=zone or ZoneInfo("UTC"))


def _rows(paste: ChatPaste) -> list[tuple[str, str, str]]:
    return [(f"{m.occurred_at:%Y-%m-%d %H:%M}", m.author, m.text) for m in paste.messages]


def test_every_fixture_is_a_layout_with_a_source() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    samples = sorted(p.name for p in FIXTURES.glob("*.txt"))
    assert len(samples) == 9
    for name in samples:
        assert f"`{name}`" in readme, f"{name} has no source in the README"
        assert _read(name).format != Format.UNKNOWN


def test_slack_desktop_names_times_and_continuations() -> None:
    paste = _read("slack_desktop.txt")
    assert paste.format == Format.SLACK
    assert paste.label == "Slack (desktop app)"
    assert _rows(paste) == [
        ("2026-12-03 09:01", "Priya Raman", "api-gw p99 is at 4 s since the 8:55 deploy"),
        ("2026-12-03 09:03", "Tom Okafor", "looking"),
        ("2026-12-03 09:04", "Tom Okafor", "rolling back api-gw to 1.42 now"),
        ("2026-12-03 09:04", "Tom Okafor", "will post when it is done"),
        (
            "2026-12-03 09:12",
            "Priya Raman",
            "error rate is back under 0.1%\nkeeping the incident open for an hour",
        ),
    ]
    assert [m.line for m in paste.messages] == [1, 8, 11, 13, 17]
    assert paste.messages[0].written == "9:01 AM"
    assert paste.skipped == ()
    assert paste.first_day == date(2026, 12, 3)


def test_slack_markdown_links_undoubles_names_and_skips_empty_messages() -> None:
    paste = _read("slack_markdown_links.txt")
    assert paste.format == Format.SLACK_MARKDOWN
    assert _rows(paste) == [
        (
            "2026-12-03 07:13",
            "Tom Okafor",
            "the cert on edge-lb expired at 07:00; renewing it by hand now, the cron job "
            "never ran because its service account was disabled.",
        ),
        (
            "2026-12-03 07:48",
            "Priya Raman",
            "new cert is live on edge-lb-1\nedge-lb-2 next\nthen I re-enable the account",
        ),
    ]
    assert [(s.line, s.text) for s in paste.skipped] == [
        (3, "Tom Okafor at 7:44 AM"),
        (4, "Priya Raman at 7:48 AM"),
    ]
    assert all("no text" in s.reason for s in paste.skipped)


def test_slack_markdown_dated_headers_and_bare_pm_continuations() -> None:
    paste = _read("slack_markdown_dated.txt")
    # "[8:26]" after "7:25 PM" is 20:26, not the next morning.
    assert _rows(paste) == [
        (
            "2026-02-06 19:25",
            "Priya Raman",
            "Thanks for joining the bridge so quickly!\n\nI think we should fail over to the "
            "second region now rather than wait for the vendor. Any objections?",
        ),
        ("2026-02-06 20:26", "Priya Raman", "Fail-over done; traffic is on eu-west-2."),
        ("2026-02-06 20:27", "Tom Okafor", "Confirmed from the synthetic checks."),
        ("2026-02-06 21:18", "Tom Okafor", "Vendor says their fix is rolling out."),
    ]
    assert paste.first_day is None  # every message was dated by the chat itself


def test_slack_legacy_brackets() -> None:
    paste = _read("slack_legacy_brackets.txt")
    assert paste.format == Format.SLACK_LEGACY
    assert _rows(paste) == [
        ("2026-12-03 09:01", "Priya Raman", "api-gw p99 is at 4 s since the deploy"),
        ("2026-12-03 09:02", "Priya Raman", "error budget burn is 14x"),
        ("2026-12-03 09:03", "Tom Okafor", "looking\nrolling back to 1.42"),
        ("2026-12-03 12:10", "Priya Raman", "all clear"),
    ]


def test_slack_24h_run_crosses_midnight() -> None:
    paste = _read("slack_legacy_24h.txt")
    assert _rows(paste) == [
        ("2026-12-02 23:52", "Priya Raman", "queue depth on billing-worker is climbing"),
        ("2026-12-02 23:58", "Tom Okafor", "scaling billing-worker to 12 replicas"),
        ("2026-12-03 00:03", "Tom Okafor", "queue is draining"),
        ("2026-12-03 00:10", "Priya Raman", "back to normal"),
    ]
    assert paste.first_day == date(2026, 12, 2)


def test_midnight_run_just_after_midnight_ends_now_not_tomorrow() -> None:
    just_after = datetime(2026, 12, 3, 0, 20, tzinfo=UTC)
    paste = _read("slack_legacy_24h.txt", now=just_after)
    assert paste.messages[0].occurred_at == datetime(2026, 12, 2, 23, 52, tzinfo=UTC)
    assert paste.messages[-1].occurred_at == datetime(2026, 12, 3, 0, 10, tzinfo=UTC)


def test_a_run_that_would_end_in_the_future_is_yesterdays() -> None:
    morning = datetime(2026, 12, 3, 9, 2, tzinfo=UTC)  # before the 9:12 message
    paste = _read("slack_desktop.txt", now=morning)
    assert paste.first_day == date(2026, 12, 2)
    assert paste.messages[0].occurred_at == datetime(2026, 12, 2, 9, 1, tzinfo=UTC)


def test_a_named_first_day_places_the_undated_run() -> None:
    text = (FIXTURES / "slack_desktop.txt").read_text(encoding="utf-8")
    paste = parse_chat(text, now=NOW, zone=UTC, first_day=date(2026, 11, 30))
    assert paste.first_day == date(2026, 11, 30)
    assert {m.occurred_at.date() for m in paste.messages} == {date(2026, 11, 30)}


def test_times_are_read_in_the_users_zone() -> None:
    paste = _read("slack_desktop.txt", zone=ZoneInfo("Europe/Berlin"))
    assert paste.messages[0].occurred_at == datetime(2026, 12, 3, 8, 1, tzinfo=UTC)
    assert paste.messages[0].occurred_at.tzinfo == UTC


def test_teams_classic_bracket_headers() -> None:
    paste = _read("teams_classic_brackets.txt")
    assert paste.format == Format.TEAMS_CLASSIC
    assert _rows(paste) == [
        ("2026-12-03 09:15", "Tom Okafor", "rollback of api-gw finished"),
        ("2026-12-03 09:17", "Priya Raman", "confirmed, p99 is 240 ms\nclosing the bridge at 9:30"),
    ]


def test_teams_one_line_messages_in_24h() -> None:
    paste = _read("teams_web_inline.txt")
    assert paste.format == Format.TEAMS_CLASSIC
    assert _rows(paste) == [
        ("2026-12-03 12:10", "Me", "Should we page the database on-call?"),
        ("2026-12-03 12:14", "Tom Okafor", "Yes please, replica lag is 40 s"),
        ("2026-12-03 12:15", "Tom Okafor", "and open a vendor ticket"),
    ]


def test_new_teams_dates_reactions_and_quoted_replies() -> None:
    paste = _read("teams_new_dated.txt")
    assert paste.format == Format.TEAMS
    assert _rows(paste) == [
        ("2026-12-03 09:15", "Tom Okafor", "rolled back api-gw to 1.42"),
        ("2026-12-03 09:18", "Priya Raman", "p99 back under 300 ms"),
        ("2026-12-03 09:21", "Tom Okafor", "leaving the canary at 0% until the fix is reviewed"),
    ]
    reasons = {s.text: s.reason for s in paste.skipped}
    assert reasons["2 Like reactions."] == "interface text Teams adds"
    assert reasons["Tom Okafor at 9:15 AM"] == "a quoted reply"
    assert reasons["Last read"] == "interface text Teams adds"
    assert "has context menu" in reasons


def test_new_teams_month_first_dates_are_read_month_first() -> None:
    text = "Tom Okafor\n12/01/2026 9:15 am\n\nfirst\nPriya Raman\n12/13/2026 9:18 am\n\nsecond\n"
    later = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    paste = parse_chat(text, now=later, zone=UTC)
    assert [m.occurred_at.date() for m in paste.messages] == [
        date(2026, 12, 1),
        date(2026, 12, 13),
    ]


def test_new_teams_today_divider_previews_and_own_messages() -> None:
    paste = _read("teams_new_today.txt")
    assert paste.format == Format.TEAMS
    assert _rows(paste) == [
        (
            "2026-12-03 14:44",
            "Daniel Fox",
            "Is the status page updated? The P1 page went out at 14:40.",
        ),
        ("2026-12-03 14:44", "Sasha Lee", "Updated at 14:43."),
        ("2026-12-03 14:49", "Sasha Lee", "Next update in 30 minutes."),
    ]
    reasons = [s.reason for s in paste.skipped]
    assert reasons.count("the preview line Teams adds") == 4
    assert "a date divider" in reasons
    assert any("no text" in r for r in reasons)  # the emoji-only message


def test_new_teams_with_an_upper_case_clock() -> None:
    text = "Yesterday\nDaniel Fox\n10:42 AM\npaging the DBA\nSasha Lee\n10:44 AM\npaged\n"
    paste = parse_chat(text, now=NOW, zone=UTC)
    assert paste.format == Format.TEAMS
    assert _rows(paste) == [
        ("2026-12-02 10:42", "Daniel Fox", "paging the DBA"),
        ("2026-12-02 10:44", "Sasha Lee", "paged"),
    ]


def test_a_yesterday_divider_moves_the_messages_after_it() -> None:
    text = "Yesterday\nTom Okafor\n11:50 pm\nstill paging\nToday\nTom Okafor\n12:10 am\nacked\n"
    paste = parse_chat(text, now=NOW, zone=UTC)
    assert _rows(paste) == [
        ("2026-12-02 23:50", "Tom Okafor", "still paging"),
        ("2026-12-03 00:10", "Tom Okafor", "acked"),
    ]


def test_lines_before_the_first_message_are_reported() -> None:
    text = "#inc-2041 channel\nTopic: api-gw\n" + (FIXTURES / "slack_desktop.txt").read_text()
    paste = parse_chat(text, now=NOW, zone=UTC)
    assert len(paste.messages) == 5
    assert [(s.line, s.text, s.reason) for s in paste.skipped] == [
        (1, "#inc-2041 channel", "before the first message"),
        (2, "Topic: api-gw", "before the first message"),
    ]
    assert paste.messages[0].line == 3


def test_text_that_is_no_chat_is_unknown_and_every_line_is_reported() -> None:
    paste = parse_chat("rolled back api-gw\n\nit is fine now\n", now=NOW, zone=UTC)
    assert paste.format == Format.UNKNOWN
    assert paste.messages == ()
    assert [s.line for s in paste.skipped] == [1, 3]
    assert paste.label == "not a chat layout Commander knows"


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "Tom Okafor\n  25:70 AM\nhello\n", "[13:99] Tom: hi\n"],
)
def test_nonsense_times_never_make_messages(text: str) -> None:
    paste = parse_chat(text, now=NOW, zone=UTC)
    assert paste.messages == ()


def test_windows_line_endings_read_the_same() -> None:
    text = (FIXTURES / "teams_classic_brackets.txt").read_text().replace("\n", "\r\n")
    assert _rows(parse_chat(text, now=NOW, zone=UTC)) == _rows(_read("teams_classic_brackets.txt"))


def test_detect_on_a_mixed_paste_picks_the_layout_with_most_headers() -> None:
    lines = ["Tom Okafor  ", "  9:03 AM  ", "a", "Priya  ", "  9:04 AM  ", "b", "[9:05] X: c"]
    assert detect(lines) == Format.SLACK


def test_a_time_the_dst_change_skips_still_gets_a_real_instant() -> None:
    # 02:30 did not happen in Berlin on 2026-03-29 (clocks went 02:00 -> 03:00).
    text = "Tom Okafor [01:55]\nbefore\n[02:30]\nin the gap\n[03:05]\nafter\n"
    berlin = ZoneInfo("Europe/Berlin")
    paste = parse_chat(text, now=NOW, zone=berlin, first_day=date(2026, 3, 29))
    times = [m.occurred_at for m in paste.messages]
    assert times[0] == datetime(2026, 3, 29, 0, 55, tzinfo=UTC)
    assert times[2] == datetime(2026, 3, 29, 1, 5, tzinfo=UTC)
    # As the quick-entry line reads it: the zone's offset before the change (03:30 CEST).
    assert times[1] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert all(t.tzinfo == UTC for t in times)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Tom Okafor  ",
                    "  9:01 AM  ",
                    "9:04",
                    "[10:42 AM] Priya Raman",
                    "Priya Raman [23:59]",
                    "[00:01]",
                    "Today",
                    "Yesterday",
                    "Monday, November 30",
                    "Sasha Lee",
                    "03/12/2026 9:15 am",
                    "2:44 pm",
                    "Begin Reference, x by Sasha Lee",
                    "x by Sasha Lee",
                    "Last read",
                    "",
                ]
            ),
            st.text(max_size=30),
        ),
        max_size=40,
    )
)
def test_any_text_reads_without_error_into_aware_times(lines: list[str]) -> None:
    text = "\n".join(lines)
    paste = parse_chat(text, now=NOW, zone=ZoneInfo("America/New_York"))
    count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for message in paste.messages:
        assert message.occurred_at.tzinfo == UTC
        assert message.text and message.text == message.text.strip()
        assert message.author
    taken = {m.line for m in paste.messages} | {s.line for s in paste.skipped}
    assert all(1 <= n <= count for n in taken)
