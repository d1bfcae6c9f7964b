"""The war-room display over the shared database: the read-only role can follow, never push."""

from __future__ import annotations

import psycopg
import pytest

from commander.core.errors import CommanderError
from commander.services.incidents import IncidentService
from commander.sync.schema import role_statements
from commander.sync.status import OFFLINE, ONLINE
from commander.sync.url import ServerUrl
from tests.sync.helpers import live, sync_once, wait_for
from tests.sync.pg import PgServer


def _display_user(pg_server: PgServer, server: ServerUrl) -> ServerUrl:
    """A login user holding only ``commander_display`` (what ``db init --roles`` grants)."""
    database = server.url.database
    assert database is not None
    with psycopg.connect(pg_server.conninfo(database), autocommit=True) as conn:
        for statement in role_statements():
            conn.execute(statement)
        conn.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wall') "
            "THEN CREATE ROLE wall LOGIN; END IF; END $$"
        )
        conn.execute("GRANT commander_display TO wall")
    return ServerUrl(server.url.set(username="wall"))


def _has(ws, ref: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        IncidentService(ws).resolve(ref)
    except CommanderError:
        return False
    return True


def test_pull_only_display_follows_with_the_read_only_role(
    make_workspace, server, pg_server
) -> None:  # type: ignore[no-untyped-def]
    wall_url = _display_user(pg_server, server)
    alice = make_workspace("alice")
    first = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    replica = make_workspace("display")
    statuses = []
    with live(replica, wall_url, pull_only=True, poll_s=0.5, on_status=statuses.append) as loop:
        wait_for(lambda: _has(replica, first.ref), what="the first pull")
        second = IncidentService(alice).declare(title="DB slow", severity="P2").incident
        sync_once(alice, server)
        wait_for(lambda: _has(replica, second.ref), what="a live pull")
        cycles = loop.cycles
        wait_for(lambda: loop.cycles > cycles, what="another cycle (the freshness signal)")
        assert loop.status.state == ONLINE and loop.status.last_error is None
    assert all(s.stuck is None for s in statuses)


def test_the_read_only_role_cannot_push_which_is_why_the_display_pulls_only(
    make_workspace, server, pg_server
) -> None:  # type: ignore[no-untyped-def]
    wall_url = _display_user(pg_server, server)
    replica = make_workspace("display")
    IncidentService(replica).declare(title="Written on the wall's replica", severity="P3")
    with live(replica, wall_url, poll_s=0.5) as loop:  # a normal loop: pushes, is refused
        wait_for(lambda: loop.status.state == OFFLINE and loop.status.last_error, what="refusal")
        assert "permission denied" in (loop.status.last_error or "")
    with live(replica, wall_url, pull_only=True, poll_s=0.5) as loop:  # the display's loop
        wait_for(lambda: loop.cycles >= 2, what="pull cycles")
        assert loop.status.state == ONLINE and loop.status.last_error is None


@pytest.mark.gui
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
def test_display_window_follows_the_server(qtbot, make_workspace, server, pg_server) -> None:  # type: ignore[no-untyped-def]
    from commander.ui.features.display.launch import build_display, follow_server

    wall_url = _display_user(pg_server, server)
    alice = make_workspace("alice")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    replica = make_workspace("display")
    window = build_display(replica)
    qtbot.addWidget(window)
    controller = follow_server(window, replica, wall_url, None)
    window.show()
    qtbot.waitUntil(lambda: window.header.title.full_text == "API down", timeout=10_000)
    IncidentService(alice).log(incident.id, "Rolled back api-gw")
    sync_once(alice, server)
    qtbot.waitUntil(
        lambda: window.recent.rights[0].full_text.startswith("Rolled back api-gw"),
        timeout=10_000,
    )
    assert "ONLINE" in window.footer.connection.full_text
    assert wall_url.redacted in window.footer.connection.full_text
    assert not window.is_stale()
    controller.stop()
    window.close()
