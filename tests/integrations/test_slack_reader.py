"""integrations.slack_reader against a Slack Web API on 127.0.0.1 (slack_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.integrations.slack_reader import (
    SlackError,
    SlackReader,
    parse_channel,
    permalink,
    ts_of,
    ts_time,
)
from tests.integrations.slack_server import TEAM_URL, TOKEN, FakeSlack

CHANNEL = "C0INCID3NT"
ALICE, BOB, CAROL = "U061F7AUR", "U0G9QF9C6", "W012A3CDE"
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = FakeSlack(page_size=2)
    server.channels[CHANNEL] = []
    yield server
    server.close()


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def reader(slack: FakeSlack, clock: FakeClock, waits: list[float]) -> Iterator[SlackReader]:
    with SlackReader(TOKEN, api_url=slack.url, sleep=waits.append, now=clock.now) as r:
        yield r


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_history_is_read_page_by_page_with_the_cursor(slack, reader) -> None:
    posted = [slack.post(CHANNEL, ALICE, f"step {n}", _at(n)) for n in range(5)]
    result = reader.read(CHANNEL, oldest=ts_of(T0 - timedelta(hours=1)), threads={})
    assert result.complete and result.error is None
    assert [m.text for m in result.messages] == ["step 4", "step 3", "step 2", "step 1", "step 0"]
    assert result.newest_ts == posted[-1]
    history = slack.calls_to("conversations.history")
    assert len(history) == 3  # 2 + 2 + 1 messages
    assert "cursor" not in history[0].params
    assert (
        history[1].params["cursor"] and history[1].params["cursor"] != history[2].params["cursor"]
    )
    assert {c.params["limit"] for c in history} == {"200"}
    assert all(c.params["oldest"] == ts_of(T0 - timedelta(hours=1)) for c in history)
    assert all(c.authorization == f"Bearer {TOKEN}" for c in slack.calls)
    assert len(slack.calls_to("users.info")) == 1  # one name look-up, then the cache
    assert reader.users == {ALICE: "alice"}
    assert result.requests == 1 + 3 + 1  # auth.test, three pages, users.info


def test_a_message_reads_as_people_see_it(slack, reader) -> None:
    ts = slack.post(
        CHANNEL,
        BOB,
        "Rolled back &amp; paged <@W012A3CDE> in <#C0OTHER1|ops>, "
        "see <https://grafana.example/d/1|dash> <!here>",
        _at(3),
        reactions=("pushpin", "+1::skin-tone-2"),
    )
    (message,) = reader.read(CHANNEL, oldest="0", threads={}).messages
    assert message.text == "Rolled back & paged @carol.d in #ops, see dash @here"
    assert message.author == "Bob Okafor"  # no display name: the real name
    assert message.reactions == frozenset({"pushpin", "+1"})
    assert message.permalink == f"{TEAM_URL}archives/{CHANNEL}/p{ts.replace('.', '')}"
    assert message.at == ts_time(ts) and not message.edited and not message.deleted


def test_threads_are_read_once_until_their_latest_reply_moves(slack, reader) -> None:
    parent = slack.post(CHANNEL, ALICE, "Rollback?", _at(1))
    replies = [
        slack.post(CHANNEL, who, text, _at(m), thread_ts=parent)
        for who, text, m in ((BOB, "yes", 2), (CAROL, "doing it", 3), (BOB, "done", 4))
    ]
    first = reader.read(CHANNEL, oldest="0", threads={})
    assert [m.text for m in first.messages] == ["Rollback?", "yes", "doing it", "done"]
    assert [m.thread_ts for m in first.messages] == ["", parent, parent, parent]
    assert first.messages[1].permalink.endswith(f"?thread_ts={parent}&cid={CHANNEL}")
    assert first.threads == {parent: replies[-1]}
    assert len(slack.calls_to("conversations.replies")) == 2  # three replies, pages of two
    again = reader.read(CHANNEL, oldest="0", threads=first.threads)
    assert [m.text for m in again.messages] == ["Rollback?"]
    assert len(slack.calls_to("conversations.replies")) == 2  # the thread had not moved
    slack.post(CHANNEL, CAROL, "verified", _at(6), thread_ts=parent)
    moved = reader.read(CHANNEL, oldest="0", threads=first.threads)
    assert moved.messages[-1].text == "verified"


def test_a_short_rate_limit_is_waited_out(slack, reader, waits) -> None:
    slack.post(CHANNEL, ALICE, "hello", _at(1))
    slack.rate_limits = [2, 1]
    result = reader.read(CHANNEL, oldest="0", threads={})
    assert result.complete and [m.text for m in result.messages] == ["hello"]
    assert waits == [2.0, 1.0]


def test_a_long_rate_limit_ends_the_pass_with_the_time_to_resume(slack, reader, waits, clock):
    slack.rate_limits = [120]
    result = reader.read(CHANNEL, oldest="0", threads={})
    assert not result.complete and result.messages == [] and waits == []
    assert str(result.error) == "Slack asked to wait 120 s (rate limited); reading resumes then."
    assert result.error.retry_at == clock.now() + timedelta(seconds=120)


def test_what_slack_refuses_is_one_sentence_with_its_code(slack, clock, waits) -> None:
    bad = SlackReader("xoxb-revoked", api_url=slack.url, sleep=waits.append, now=clock.now)
    with bad, pytest.raises(SlackError) as refused:
        bad.team_url()
    assert refused.value.code == "invalid_auth"
    assert str(refused.value) == (
        "Slack refused the bot token (invalid_auth); store a new one with 'commander slack token'."
    )
    with SlackReader(TOKEN, api_url=slack.url, sleep=waits.append, now=clock.now) as reader:
        result = reader.read("C0NOSUCHCH", oldest="0", threads={})
        assert result.error is not None and result.error.code == "channel_not_found"
        assert not result.complete
        assert reader.user_name("U0NOBODY") == "U0NOBODY"  # user_not_found: the id stands


def test_a_deleted_parent_is_a_tombstone(slack, reader) -> None:
    parent = slack.post(CHANNEL, ALICE, "wrong channel", _at(1))
    slack.post(CHANNEL, BOB, "?", _at(2), thread_ts=parent)
    slack.delete(CHANNEL, parent)
    messages = reader.read(CHANNEL, oldest="0", threads={}).messages
    assert (messages[0].ts, messages[0].deleted, messages[0].text) == (parent, True, "")
    assert [m.text for m in messages[1:]] == ["?"]


def test_times_links_and_channel_ids() -> None:
    assert ts_time("1512085950.000216") == datetime(2017, 11, 30, 23, 52, 30, 216, tzinfo=UTC)
    assert ts_time("1512085950") == datetime(2017, 11, 30, 23, 52, 30, tzinfo=UTC)
    assert ts_of(datetime(2017, 11, 30, 23, 52, 30, 216, tzinfo=UTC)) == "1512085950.000216"
    with pytest.raises(ValidationError, match="not a time"):
        ts_time("yesterday")
    assert permalink("https://acme.slack.com/", "C0INCID3NT", "1512085950.000216") == (
        "https://acme.slack.com/archives/C0INCID3NT/p1512085950000216"
    )
    assert parse_channel("https://acme-ops.slack.com/archives/C0INCID3NT") == CHANNEL
    assert parse_channel("#C0INCID3NT") == CHANNEL
    with pytest.raises(ValidationError, match="not a Slack channel id"):
        parse_channel("#incident-42")
