"""Two laptops reading the same Slack channel before they sync: each message is one entry on
both after sync (the real PostgreSQL of the suite, the Slack Web API on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from commander.core.entry_kinds import Kind
from commander.services.incidents import IncidentService
from commander.services.slack_import import ALL, SlackImportService, entry_id
from commander.services.workspace import Workspace
from commander.storage import queries
from tests.integrations.slack_server import TOKEN, FakeSlack
from tests.sync.helpers import sync_once

CHANNEL = "C0INCID3NT"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.channels[CHANNEL] = []
    yield server
    server.close()


def importer(ws: Workspace) -> SlackImportService:
    return SlackImportService(ws, token=lambda: TOKEN, sleep=lambda seconds: None)


def chat(ws: Workspace, incident_id: str) -> list[tuple]:
    with ws.read() as conn:
        timeline = queries.timeline(conn, incident_id)
    return [
        (e.id, e.occurred_at_ms, e.event, e.amended_event, e.attributed_to, e.action, e.struck)
        for e in timeline
        if e.kind == Kind.COMMUNICATION
    ]


def test_two_laptops_importing_the_same_channel_converge_to_one_entry_each(
    make_workspace, server, slack
) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="Checkout errors", severity="P1").incident
    sync_once(alice, server)
    sync_once(bob, server)
    now = alice.clock.now()
    first = slack.post(CHANNEL, "U061F7AUR", "502s on checkout", now - timedelta(minutes=3))
    second = slack.post(CHANNEL, "U0G9QF9C6", "rolling bak", now - timedelta(minutes=2))
    parent = slack.post(CHANNEL, "W012A3CDE", "replica lag?", now - timedelta(minutes=1))
    reply = slack.post(CHANNEL, "U061F7AUR", "40 s", now - timedelta(seconds=30), thread_ts=parent)
    for ws in (alice, bob):
        importer(ws).connect(incident.ref, CHANNEL, reaction=ALL, api_url=slack.url)

    assert importer(alice).pull(incident.id).logged == 4
    slack.edit(CHANNEL, second, "rolling back", now)
    assert importer(bob).pull(incident.id).logged == 4  # bob logs the edited text
    assert importer(alice).pull(incident.id).amended == 1  # alice amends hers
    for ws in (alice, bob, alice):
        sync_once(ws, server)

    on_alice, on_bob = chat(alice, incident.id), chat(bob, incident.id)
    assert on_alice == on_bob
    assert [row[0] for row in on_alice] == [
        entry_id(incident.id, CHANNEL, ts) for ts in (first, second, parent, reply)
    ]
    edited = on_alice[1]
    assert "rolling back" in (edited[2], edited[3])
    assert edited[3] == "rolling back"  # what the timeline shows is the latest text
    # Both laptops pull again after the sync: nothing is new anywhere.
    for ws in (alice, bob):
        again = importer(ws).pull(incident.id)
        assert (again.logged, again.amended, again.struck) == (0, 0, 0)
