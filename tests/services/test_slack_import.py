"""The Slack channel import (services/slack_import.py) against a Slack Web API on 127.0.0.1
(tests/integrations/slack_server.py): what is logged, once, with the message's own time,
sender and permalink; threads, edits, deletions, rate limits, a dropped network, a restart,
the token's keeping."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.entry_kinds import Kind
from commander.core.errors import ValidationError
from commander.integrations.secrets import MemoryKeyring
from commander.integrations.slack_reader import ts_time
from commander.integrations.slack_token import SlackToken
from commander.services.incidents import IncidentService
from commander.services.slack_import import (
    ALL,
    DELETED_REASON,
    SlackImportService,
    check_reaction,
    entry_id,
)
from commander.services.workspace import Workspace
from commander.storage import queries
from tests.integrations.slack_server import TEAM_URL, TOKEN, FakeSlack

CHANNEL = "C0INCID3NT"
ALICE, BOB, CAROL = "U061F7AUR", "U0G9QF9C6", "W012A3CDE"
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.channels[CHANNEL] = []
    yield server
    server.close()


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def service(workspace: Workspace, memory_keyring: MemoryKeyring, waits: list[float]):
    tokens = SlackToken(data_dir=workspace.data_dir)
    tokens.set(TOKEN)
    return SlackImportService(workspace, token=tokens.get, sleep=waits.append)


@pytest.fixture
def incident(incidents: IncidentService):
    return incidents.declare(title="Checkout errors", severity="P1", services=["checkout"]).incident


def slack_entries(workspace: Workspace, incident_id: str) -> list:
    with workspace.read() as conn:
        entries = queries.timeline(conn, incident_id)
    return [e for e in entries if e.kind == Kind.COMMUNICATION]


def test_pinned_messages_become_entries_with_their_time_sender_and_link(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, api_url=slack.url)
    first = slack.post(CHANNEL, ALICE, "Seeing 502s on checkout", T0 + timedelta(minutes=1))
    pinned = slack.post(
        CHANNEL,
        BOB,
        "Rolled back to 1.42 &amp; paged <@W012A3CDE>, see <https://grafana.example/d/1|dash>",
        T0 + timedelta(minutes=3),
        reactions=("pushpin",),
    )
    slack.post(CHANNEL, CAROL, "ack", T0 + timedelta(minutes=4))
    toned = slack.post(CHANNEL, CAROL, "Error rate back to 0.1%", T0 + timedelta(minutes=7))
    slack.react(CHANNEL, toned, "pushpin::skin-tone-2")
    slack.post(CHANNEL, ALICE, "thanks", T0 + timedelta(minutes=8))
    clock.set(T0 + timedelta(minutes=10))

    report = service.pull(incident.ref)

    assert (report.read, report.logged, report.error) == (5, 2, "")
    entries = slack_entries(workspace, incident.id)
    assert [e.id for e in entries] == [
        entry_id(incident.id, CHANNEL, pinned),
        entry_id(incident.id, CHANNEL, toned),
    ]
    rolled = entries[0]
    assert rolled.event == "Rolled back to 1.42 & paged @carol.d, see dash"
    assert rolled.occurred_at == T0 + timedelta(minutes=3)
    assert rolled.attributed_to == "Bob Okafor"  # no display name: the real name
    assert rolled.action == f"Slack: {TEAM_URL}archives/{CHANNEL}/p{pinned.replace('.', '')}"
    assert entries[1].attributed_to == "carol.d"
    assert first not in {e.id for e in entries}
    # Five messages on pages of two: the cursor was followed to the end.
    history = slack.calls_to("conversations.history")
    assert [bool(c.params.get("cursor")) for c in history] == [False, True, True]
    assert len(slack.calls_to("users.info")) == 3  # one per person, however often they speak


def test_a_second_pass_logs_nothing_new_and_reads_from_the_cursor(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    last = slack.post(CHANNEL, ALICE, "one", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    assert service.pull(incident.ref).logged == 1

    again = service.pull(incident.ref)

    assert (again.logged, again.amended, again.struck) == (0, 0, 0)
    assert len(slack_entries(workspace, incident.id)) == 1
    oldest = float(slack.calls_to("conversations.history")[-1].params["oldest"])
    assert oldest == pytest.approx((ts_time(last) - timedelta(hours=24)).timestamp())
    assert service.link(incident.id).newest_ts == last


def test_every_message_mode_reads_threads_once_until_they_move(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    parent = slack.post(CHANNEL, ALICE, "Is the replica lagging?", T0 + timedelta(minutes=1))
    reply = slack.post(CHANNEL, BOB, "No, 0 s", T0 + timedelta(minutes=2), thread_ts=parent)
    slack.channels[CHANNEL].append(
        {
            "type": "message",
            "subtype": "channel_join",
            "user": CAROL,
            "text": "<@W012A3CDE> has joined the channel",
            "ts": f"{int(T0.timestamp()) + 30}.000001",
        }
    )
    clock.set(T0 + timedelta(minutes=5))

    assert service.pull(incident.ref).logged == 2  # the join is nobody saying anything
    by_id = {e.id: e for e in slack_entries(workspace, incident.id)}
    answer = by_id[entry_id(incident.id, CHANNEL, reply)]
    assert answer.event == "No, 0 s"
    assert answer.action.endswith(f"?thread_ts={parent}&cid={CHANNEL}")

    service.pull(incident.ref)
    assert len(slack.calls_to("conversations.replies")) == 1  # nothing new in the thread

    later = slack.post(
        CHANNEL, CAROL, "lag is 40 s now", T0 + timedelta(minutes=6), thread_ts=parent
    )
    clock.set(T0 + timedelta(minutes=7))
    assert service.pull(incident.ref).logged == 1
    assert len(slack.calls_to("conversations.replies")) == 2
    assert entry_id(incident.id, CHANNEL, later) in {
        e.id for e in slack_entries(workspace, incident.id)
    }


def test_an_edit_after_logging_is_an_amendment_and_before_it_the_latest_text(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    logged = slack.post(CHANNEL, ALICE, "DB failover at 10:01", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    service.pull(incident.ref)
    unlogged = slack.post(CHANNEL, BOB, "cache flushd", T0 + timedelta(minutes=3))
    slack.edit(CHANNEL, unlogged, "cache flushed", T0 + timedelta(minutes=4))
    slack.edit(CHANNEL, logged, "DB failover at 10:02", T0 + timedelta(minutes=4))
    clock.set(T0 + timedelta(minutes=5))

    report = service.pull(incident.ref)

    assert (report.logged, report.amended) == (1, 1)
    by_id = {e.id: e for e in slack_entries(workspace, incident.id)}
    amended = by_id[entry_id(incident.id, CHANNEL, logged)]
    assert (amended.event, amended.amended_event) == (
        "DB failover at 10:01",
        "DB failover at 10:02",
    )
    assert amended.amended_action == amended.action  # the permalink stays
    fresh = by_id[entry_id(incident.id, CHANNEL, unlogged)]
    assert (fresh.event, fresh.amended_event) == ("cache flushed", None)
    assert service.pull(incident.ref).amended == 0  # the same edit is recorded once


def test_a_deleted_message_strikes_its_entry_and_an_unlogged_one_stays_out(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    parent = slack.post(CHANNEL, ALICE, "wrong channel, sorry", T0 + timedelta(minutes=1))
    slack.post(CHANNEL, BOB, "np", T0 + timedelta(minutes=2), thread_ts=parent)
    clock.set(T0 + timedelta(minutes=3))
    service.pull(incident.ref)
    slack.delete(CHANNEL, parent)  # a parent with replies stays as a tombstone
    gone = slack.post(CHANNEL, CAROL, "typo", T0 + timedelta(minutes=4))
    slack.delete(CHANNEL, gone)
    clock.set(T0 + timedelta(minutes=5))

    report = service.pull(incident.ref)

    assert (report.struck, report.logged) == (1, 0)
    by_id = {e.id: e for e in slack_entries(workspace, incident.id)}
    struck = by_id[entry_id(incident.id, CHANNEL, parent)]
    assert (struck.struck, struck.strike_reason, struck.event) == (
        1,
        DELETED_REASON,
        "wrong channel, sorry",
    )
    assert entry_id(incident.id, CHANNEL, gone) not in by_id
    assert service.pull(incident.ref).struck == 0


def test_a_short_rate_limit_is_waited_out_and_a_long_one_resumes_later(
    service, slack, incident, workspace, clock: FakeClock, waits: list[float]
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    slack.post(CHANNEL, ALICE, "one", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    slack.rate_limits = [2, 3]

    assert service.pull(incident.ref).logged == 1
    assert waits == [2.0, 3.0]

    slack.post(CHANNEL, ALICE, "two", T0 + timedelta(minutes=3))
    slack.rate_limits = [120]
    late = service.pull(incident.ref)
    assert late.logged == 0
    assert late.error == "Slack asked to wait 120 s (rate limited); reading resumes then."
    assert service.link(incident.id).retry_at == clock.now() + timedelta(seconds=120)
    calls = len(slack.calls)
    clock.advance(60)
    assert service.pull(incident.ref).error.startswith("Slack asked to wait until")
    assert len(slack.calls) == calls  # nothing asked before Slack's time
    clock.advance(61)
    assert service.pull(incident.ref).logged == 1


def test_offline_the_pass_fails_in_one_sentence_and_catches_up_online(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    slack.post(CHANNEL, ALICE, "before the outage", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    service.pull(incident.ref)
    slack.offline = True
    for minute in (3, 4, 5):
        slack.post(CHANNEL, BOB, f"while offline {minute}", T0 + timedelta(minutes=minute))
    clock.set(T0 + timedelta(minutes=6))

    offline = service.pull(incident.ref)

    assert offline.logged == 0
    assert offline.error == "Slack is unreachable (RemoteProtocolError); it will be tried again."
    assert service.link(incident.id).last_error == offline.error
    slack.offline = False
    online = service.pull(incident.ref)
    assert (online.logged, online.error) == (3, "")
    assert len(slack_entries(workspace, incident.id)) == 4
    assert service.link(incident.id).last_error == ""


def test_a_restart_continues_from_the_saved_cursor(
    memory_keyring, slack, data_dir: Path, clock: FakeClock, waits: list[float]
) -> None:
    ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    inc = IncidentService(ws).declare(title="Checkout errors", severity="P2").incident
    tokens = SlackToken(data_dir=data_dir)
    tokens.set(TOKEN)
    SlackImportService(ws, token=tokens.get, sleep=waits.append).connect(
        inc.ref, CHANNEL, reaction=ALL, api_url=slack.url
    )
    newest = slack.post(CHANNEL, ALICE, "one", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    SlackImportService(ws, token=tokens.get, sleep=waits.append).pull(inc.ref)
    ws.close()

    ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        again = SlackImportService(ws, token=tokens.get, sleep=waits.append).pull(inc.ref)
        assert again.logged == 0
        assert len(slack_entries(ws, inc.id)) == 1
    finally:
        ws.close()
    oldest = float(slack.calls_to("conversations.history")[-1].params["oldest"])
    assert oldest == pytest.approx((ts_time(newest) - timedelta(hours=24)).timestamp())


def test_token_problems_are_one_sentence_and_the_token_is_kept_out_of_the_record(
    service, slack, incident, workspace, memory_keyring, caplog, clock: FakeClock
) -> None:
    caplog.set_level(logging.DEBUG)
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    slack.post(CHANNEL, ALICE, "one", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    assert service.pull(incident.ref).logged == 1
    assert all(c.authorization == f"Bearer {TOKEN}" for c in slack.calls)

    workspace.close()  # everything on disk
    stored = b"".join(p.read_bytes() for p in workspace.data_dir.rglob("*") if p.is_file())
    assert TOKEN.encode() not in stored
    assert TOKEN not in caplog.text
    assert [k for k in memory_keyring.passwords if memory_keyring.passwords[k] == TOKEN]


def test_a_refused_token_and_a_missing_one(
    workspace, memory_keyring, slack, incident, waits, clock: FakeClock
) -> None:
    wrong = SlackImportService(workspace, token=lambda: "xoxb-revoked", sleep=waits.append)
    wrong.connect(incident.ref, CHANNEL, api_url=slack.url)
    assert wrong.pull(incident.ref).error == (
        "Slack refused the bot token (invalid_auth); store a new one with 'commander slack token'."
    )
    none = SlackImportService(workspace, token=lambda: None, sleep=waits.append)
    assert none.pull(incident.ref).error == (
        "No Slack bot token here; store one with 'commander slack token'."
    )
    with pytest.raises(ValidationError, match="not a Slack token"):
        SlackToken(data_dir=workspace.data_dir).set("hunter2")


def test_reaction_and_address_checks(service, incident, slack) -> None:
    assert check_reaction(":white_check_mark:") == "white_check_mark"
    with pytest.raises(ValidationError, match="not a Slack reaction name"):
        check_reaction("📌")
    with pytest.raises(ValidationError, match="not an http"):
        service.connect(incident.ref, CHANNEL, api_url="ftp://slack")
    link = service.connect(incident.ref, CHANNEL, api_url=slack.url)
    assert link.describe == f"Slack channel {CHANNEL}: messages marked :pushpin:"
    assert service.disconnect(incident.ref).channel == CHANNEL
    assert service.links() == []


def test_an_unknown_channel_is_one_sentence(service, slack, incident) -> None:
    service.connect(incident.ref, "C0NOSUCHCH", api_url=slack.url)
    assert service.pull(incident.ref).error == (
        "Slack knows no such channel, or the bot cannot see it; check the channel id."
    )


def test_files_bots_and_long_messages_read_as_people_see_them(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    base = int((T0 + timedelta(minutes=1)).timestamp())
    slack.channels[CHANNEL] += [
        {
            "type": "message",
            "subtype": "file_share",
            "user": ALICE,
            "text": "",
            "ts": f"{base}.000101",
            "files": [{"id": "F0S43PZDF", "name": "p99.png", "title": "p99 latency graph"}],
        },
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B0PAGER",
            "username": "PagerDuty",
            "text": "",
            "ts": f"{base}.000102",
            "attachments": [{"fallback": "Triggered #4521: checkout 5xx", "color": "danger"}],
        },
        {"type": "message", "user": BOB, "text": "x" * 5000, "ts": f"{base}.000103"},
        {
            "type": "message",
            "user": CAROL,
            "ts": f"{base}.000104",
            "text": "<!here> <!subteam^SAZ94GDB8|@oncall> see <#C0OTHERCH|db-team> at "
            "<!date^1392734382^{time}|10:42>, &lt;P1&gt; <mailto:ops@example.com|ops>",
        },
    ]
    clock.set(T0 + timedelta(minutes=2))

    assert service.pull(incident.ref).logged == 4

    entries = slack_entries(workspace, incident.id)
    assert [(e.event[:40], e.attributed_to) for e in entries] == [
        ("Shared file: p99 latency graph", "alice"),
        ("Triggered #4521: checkout 5xx", "PagerDuty"),
        ("x" * 40, "Bob Okafor"),
        ("@here @oncall see #db-team at 10:42, <P1", "carol.d"),
    ]
    assert entries[3].event.endswith("<P1> ops")
    assert len(entries[2].event) == 4000 and entries[2].event.endswith("…")


def test_one_incident_that_cannot_be_read_does_not_stop_the_others(
    service, slack, incidents, incident, workspace, clock: FakeClock
) -> None:
    other = incidents.declare(title="Search slow", severity="P3").incident
    service.connect(incident.ref, "C0NOSUCHCH", api_url=slack.url)
    service.connect(other.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    slack.post(CHANNEL, ALICE, "search p99 at 2 s", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))

    reports = {r.incident_id: r for r in service.pull_all()}

    assert reports[incident.id].error.startswith("Slack knows no such channel")
    assert (reports[other.id].logged, reports[other.id].error) == (1, "")


def test_the_window_never_sleeps_on_a_rate_limit(
    workspace, memory_keyring, slack, incident, clock: FakeClock, waits: list[float]
) -> None:
    window_like = SlackImportService(workspace, token=lambda: TOKEN, sleep=waits.append, max_wait=0)
    window_like.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    slack.post(CHANNEL, ALICE, "one", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    slack.rate_limits = [1]

    assert window_like.pull(incident.ref).error.startswith("Slack asked to wait 1 s")
    assert waits == []
    clock.advance(2)
    assert window_like.pull(incident.ref).logged == 1


def test_disconnecting_while_a_pass_reads_logs_nothing_and_stays_disconnected(
    service, slack, incident, workspace, clock: FakeClock
) -> None:
    service.connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)
    slack.post(CHANNEL, ALICE, "one", T0 + timedelta(minutes=1))
    clock.set(T0 + timedelta(minutes=2))
    original = slack.answer

    def disconnect_midway(method: str, params: dict, authorization: str):  # type: ignore[no-untyped-def]
        if method == "conversations.history" and service.link(incident.id) is not None:
            service.disconnect(incident.ref)  # the window's menu, while the worker reads
        return original(method, params, authorization)

    slack.answer = disconnect_midway  # type: ignore[method-assign]
    report = service.pull(incident.ref)

    assert (report.read, report.logged) == (1, 0)
    assert service.link(incident.id) is None
    assert slack_entries(workspace, incident.id) == []
