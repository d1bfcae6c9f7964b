"""Connections to the shared database, with timeouts, and its failures as sentences.

Every connection has a connect timeout and a statement timeout, so a server that hangs
cannot wedge the sync worker: the worker sees an error, goes offline and retries later.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors as pg_errors

from commander.sync.errors import SchemaMissing, ServerUnreachable, SyncError
from commander.sync.url import ServerUrl

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 30_000


def connect(
    server: ServerUrl,
    password: str | None = None,
    *,
    autocommit: bool = False,
    connect_timeout: int = CONNECT_TIMEOUT_S,
    statement_timeout_ms: int = STATEMENT_TIMEOUT_MS,
) -> psycopg.Connection[Any]:
    """Open a connection; raises ``SyncError`` (``ServerUnreachable`` when offline)."""
    kwargs = server.connect_kwargs(password)
    kwargs.setdefault("connect_timeout", connect_timeout)
    options = f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={statement_timeout_ms}"
    try:
        return psycopg.connect(
            autocommit=autocommit,
            options=options,
            application_name="commander-sync",
            **kwargs,
        )
    except psycopg.Error as exc:
        raise translate(exc, server) from exc


def translate(exc: BaseException, server: ServerUrl | None = None) -> SyncError:
    """One sentence for a psycopg failure, naming the server but never the password."""
    where = f" ({server.redacted})" if server is not None else ""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, SyncError):
        return exc
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return SyncError(f"permission denied on the shared database{where}: {text}")
    if isinstance(exc, pg_errors.InvalidPassword | pg_errors.InvalidAuthorizationSpecification):
        return SyncError(f"the shared database refused the login{where}: {text}")
    if isinstance(exc, pg_errors.InvalidCatalogName):
        return SyncError(f"the shared database does not exist{where}: {text}")
    if isinstance(exc, pg_errors.UndefinedTable | pg_errors.UndefinedFunction):
        return SchemaMissing(
            f"the shared database{where} has no Commander schema; run 'commander db init URL'"
        )
    if isinstance(exc, pg_errors.QueryCanceled):
        return ServerUnreachable(f"the shared database did not answer in time{where}")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError | OSError):
        lowered = text.lower()
        if "password" in lowered and "authentication" in lowered:
            return SyncError(f"the shared database refused the login{where}: {text}")
        if "does not exist" in lowered and "database" in lowered:
            return SyncError(f"the shared database does not exist{where}: {text}")
        return ServerUnreachable(f"the shared database is unreachable{where}: {text}")
    return SyncError(f"the shared database failed{where}: {text}")
