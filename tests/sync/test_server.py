"""``server.translate``: each psycopg failure becomes one sentence that never shows the password."""

from __future__ import annotations

import socket

import psycopg
import pytest
from psycopg import errors as pg_errors

from commander.sync.errors import SchemaMissing, ServerUnreachable, SyncError
from commander.sync.server import connect, translate
from commander.sync.url import ServerUrl

SERVER = ServerUrl.parse("postgresql+psycopg://alice:hunter2@127.0.0.1:5432/commander")
WHERE = "(postgresql+psycopg://alice@127.0.0.1:5432/commander)"


@pytest.mark.parametrize(
    ("exc", "kind", "sentence"),
    [
        (
            pg_errors.InsufficientPrivilege("no  access\n to op"),
            SyncError,
            f"permission denied on the shared database {WHERE}: no access to op",
        ),
        (
            pg_errors.InvalidPassword("bad"),
            SyncError,
            f"the shared database refused the login {WHERE}: bad",
        ),
        (
            pg_errors.InvalidCatalogName("no db"),
            SyncError,
            f"the shared database does not exist {WHERE}: no db",
        ),
        (
            pg_errors.UndefinedFunction("push"),
            SchemaMissing,
            f"the shared database {WHERE} has no Commander schema; run 'commander db init URL'",
        ),
        (
            pg_errors.QueryCanceled("statement timeout"),
            ServerUnreachable,
            f"the shared database did not answer in time {WHERE}",
        ),
        (
            psycopg.OperationalError('password authentication failed for user "alice"'),
            SyncError,
            f"the shared database refused the login {WHERE}: "
            'password authentication failed for user "alice"',
        ),
        (
            psycopg.OperationalError('database "commander" does not exist'),
            SyncError,
            f'the shared database does not exist {WHERE}: database "commander" does not exist',
        ),
        (
            OSError("connection reset"),
            ServerUnreachable,
            f"the shared database is unreachable {WHERE}: connection reset",
        ),
        (
            psycopg.DataError(""),
            SyncError,
            f"the shared database failed {WHERE}: DataError",
        ),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else None,
)
def test_each_failure_is_one_sentence_of_its_kind(exc, kind, sentence):
    translated = translate(exc, SERVER)
    assert type(translated) is kind
    assert str(translated) == sentence
    assert "hunter2" not in str(translated)


def test_a_sync_error_is_kept_and_no_server_names_nothing():
    original = ServerUnreachable("offline")
    assert translate(original, SERVER) is original
    assert str(translate(pg_errors.QueryCanceled("x"))) == (
        "the shared database did not answer in time"
    )


def test_connecting_to_a_closed_port_is_server_unreachable():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ServerUrl.parse(f"postgresql+psycopg://alice:hunter2@127.0.0.1:{port}/commander")
    with pytest.raises(ServerUnreachable, match="is unreachable") as raised:
        connect(server, connect_timeout=2)
    assert "hunter2" not in str(raised.value)


def test_a_missing_database_on_the_real_server_is_said_so(server):
    missing = ServerUrl.parse(server.url.set(database="nosuchdb").render_as_string(False))
    with pytest.raises(SyncError, match="does not exist"):
        connect(missing)
