"""compose, send, outbox and templates on the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import keyring
import pytest

from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock
from commander.integrations.secrets import MemoryKeyring
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.outbox import OutboxService
from commander.services.outbox_lease import Lease
from commander.services.workspace import Workspace


@pytest.fixture(autouse=True)
def _memory_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def test_compose_prints_the_filled_template_and_what_is_empty(run, declare) -> None:
    incident = declare("API down", "P1", "--service", "api", "--impact", "Errors")
    result = run("compose", incident["ref"], "resolved")
    assert result.code == 0, result.err
    assert result.out.startswith("INCIDENT RESOLVED - P1 - api\n\nINCIDENT RESOLVED - P1\n")
    assert "[still empty: root_cause, review_date, report]" in result.out
    filled = run("compose", incident["id"], "resolved", "--set", "root_cause=Cert", "--json")
    data = filled.json()
    assert data["empty"] == ["review_date", "report"] and "Root Cause: Cert" in data["body"]
    slack = run("compose", incident["ref"], "initial", "--channel", "slack", "--json").json()
    assert slack["payload"]["blocks"][0]["type"] == "header"
    assert "Blocks: 6 / 50" in slack["counters"]


def test_send_queues_and_outbox_lists(run, declare) -> None:
    incident = declare()
    sent = run("send", incident["ref"], "update", "--channel", "slack", "--json")
    assert sent.code == 0, sent.err
    assert sent.json()["state"] == "queued"
    listed = run("outbox", "--json").json()
    assert [m["id"] for m in listed] == [sent.json()["id"]]
    text = run("outbox")
    assert "queued" in text.out and "Slack" in text.out


def test_outbox_names_who_holds_a_message_being_sent_and_until_when(run, declare, cli_dir) -> None:  # type: ignore[no-untyped-def]
    incident = declare()
    sent = run("send", incident["ref"], "update", "--channel", "slack", "--json").json()
    # Another deliverer (the window, say) claimed it a while from now, on its own clock.
    later = FakeClock(datetime(2100, 1, 1, 9, 0, tzinfo=UTC))
    ws = Workspace.open(cli_dir, author="window", clock=later, zone=UTC)
    try:
        deadlines = DeadlineService(ws, hours=BusinessHours(zone=UTC))
        outbox = OutboxService(ws, CommsService(ws, deadlines), deadlines)
        assert outbox.claim(later.now(), Lease("laptop:4242:cafe0001", timedelta(minutes=5)))
    finally:
        ws.close()
    delivered = run("outbox", "--deliver", "--json").json()  # leaves it alone
    assert delivered[0]["state"] == "sending" and delivered[0]["attempts"] == 1
    assert delivered[0]["lease"] == {
        "owner": "laptop:4242:cafe0001",
        "expires_at": "2100-01-01T09:05:00.000Z",
    }
    words = run("outbox").out.split()  # the table wraps long cells
    assert "sending" in words and "laptop:4242:cafe0001" in words
    assert {"held", "by", "until"} <= set(words)
    assert delivered[0]["id"] == sent["id"]


def test_deliver_without_a_channel_setup_fails_with_the_reason(run, declare) -> None:
    incident = declare()
    result = run("send", incident["ref"], "update", "--channel", "teams", "--deliver")
    assert result.code == 0, result.err
    assert "failed — Microsoft Teams is not set up" in result.out
    item_id = run("outbox", "--json").json()[0]["id"]
    again = run("outbox", "--retry", item_id, "--json").json()
    assert again[0]["state"] == "queued"


def test_errors_are_one_line(run, declare, one_line_error) -> None:
    incident = declare()
    one_line_error(run("compose", incident["ref"], "nope"), contains="No template 'nope'")
    one_line_error(
        run("send", incident["ref"], "initial", "--channel", "phone"), contains="read aloud"
    )
    one_line_error(
        run("compose", incident["ref"], "initial", "--channel", "fax"), contains="Unknown channel"
    )
    one_line_error(run("compose", incident["ref"], "initial", "--set", "x"), contains="FIELD=VALUE")


def test_templates_lists_the_shipped_ones(run) -> None:
    keys = [t["key"] for t in run("templates", "--json").json()]
    assert keys == ["initial", "update", "resolved", "status-page", "partner"]
