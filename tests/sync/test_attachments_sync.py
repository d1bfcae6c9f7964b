"""Attached files through the real PostgreSQL: round trip, the server's digest check, and
quarantine of a pulled op whose file is missing or was changed on the server."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from commander.services.attachments import AttachmentService
from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from tests.sync.helpers import sync_once

PNG = (Path(__file__).parent.parent / "fixtures" / "attachments" / "red-2x2.png").read_bytes()


def _attach(ws, note: str = "") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    incident = IncidentService(ws).declare(title="API down", severity="P1").incident
    done = AttachmentService(ws).attach(incident.id, PNG, "graph.png", note=note)
    return incident.id, done.ref.sha256


def test_a_file_travels_with_its_op(make_workspace, server: ServerUrl) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident_id, sha = _attach(alice, note="p99 latency")
    assert sync_once(alice, server).pushed.refused is None
    with connect(server) as pg:
        row = pg.execute("SELECT size, data FROM commander.blob WHERE sha256 = %s", (sha,))
        assert row.fetchone() == (len(PNG), PNG)
    pulled = sync_once(bob, server).pulled
    assert not pulled.quarantined
    [held] = AttachmentService(bob).of_incident(incident_id)
    assert held.ref.sha256 == sha
    assert AttachmentService(bob).content(sha) == (held.ref, PNG)
    assert verify_workspace(bob).ok
    # Pushing again sends nothing twice; a second attach of the same bytes shares the file.
    AttachmentService(alice).attach(incident_id, PNG, "same.png")
    assert sync_once(alice, server).pushed.accepted == 1
    sync_once(bob, server)
    assert len(AttachmentService(bob).of_incident(incident_id)) == 2


def test_the_server_refuses_bytes_that_do_not_match_their_digest(server: ServerUrl) -> None:
    with connect(server) as pg, pytest.raises(psycopg.Error, match="do not match the SHA-256"):
        pg.execute("SELECT commander.put_blob(%s, %s)", ("0" * 64, PNG))


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_pulled_op_whose_file_is_bad_is_quarantined(
    make_workspace, server: ServerUrl, damage: str
) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident_id, sha = _attach(alice)
    IncidentService(alice).log(incident_id, "Rolled back")  # continues the op with the file
    sync_once(alice, server)
    with connect(server) as pg, pg.transaction():  # the server's owner tampers with it
        if damage == "changed":
            pg.execute("UPDATE commander.blob SET data = %s WHERE sha256 = %s", (PNG + b"x", sha))
        else:
            pg.execute("DELETE FROM commander.blob WHERE sha256 = %s", (sha,))
    pulled = sync_once(bob, server).pulled
    reasons = [problem.reason for problem in pulled.quarantined]
    expected = (
        "its file graph.png does not match the SHA-256 its op records"
        if damage == "changed"
        else f"its file graph.png ({sha[:12]}…) is not in the shared database"
    )
    assert reasons == [expected, "it continues an op that was quarantined"]
    assert AttachmentService(bob).of_incident(incident_id) == []
    assert [e.event for e in IncidentService(bob).timeline(incident_id)][-1] != "Rolled back"
    assert verify_workspace(bob).ok  # nothing bad was applied
