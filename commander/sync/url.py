"""The shared database's address: a SQLAlchemy URL in, psycopg connection arguments out.

The password never travels with the URL that is stored or shown: ``redacted`` is the key under
which keyring holds it, and the form written to the workspace, logs and settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from commander.sync.errors import SyncError

_DRIVERS = ("postgresql", "postgresql+psycopg", "postgres")


@dataclass(frozen=True)
class ServerUrl:
    """A parsed ``postgresql+psycopg://user@host:5432/db?sslmode=require`` URL."""

    url: URL

    @classmethod
    def parse(cls, text: str) -> ServerUrl:
        """Raises ``SyncError`` with a hint when ``text`` is not a PostgreSQL URL."""
        try:
            url = make_url(text.strip())
        except ArgumentError as exc:
            raise SyncError(
                f"{_hide(text)!r} is not a database URL; "
                "write it like postgresql+psycopg://user@host:5432/dbname"
            ) from exc
        if url.drivername not in _DRIVERS:
            raise SyncError(
                f"{url.drivername!r} is not PostgreSQL; "
                "write the URL like postgresql+psycopg://user@host:5432/dbname"
            )
        if not url.database:
            raise SyncError("the URL names no database (…:5432/dbname).")
        return cls(url.set(drivername="postgresql+psycopg"))

    @property
    def redacted(self) -> str:
        """The URL without its password: the keyring key and the form that may be stored."""
        return self.url._replace(password=None).render_as_string(hide_password=False)

    @property
    def password(self) -> str | None:
        return self.url.password

    def connect_kwargs(self, password: str | None = None) -> dict[str, Any]:
        """Arguments for ``psycopg.connect``; query options (sslmode, host=socket) pass through."""
        url = self.url
        kwargs: dict[str, Any] = {"dbname": url.database}
        if url.host:
            kwargs["host"] = url.host
        if url.port:
            kwargs["port"] = url.port
        if url.username:
            kwargs["user"] = url.username
        secret = password if password is not None else url.password
        if secret:
            kwargs["password"] = secret
        for key, value in url.query.items():
            kwargs[key] = value if isinstance(value, str) else value[-1]
        return kwargs

    def __str__(self) -> str:
        return self.redacted


def _hide(text: str) -> str:
    """Best effort: never echo what may be a password back in an error."""
    head, sep, tail = text.partition("@")
    if sep and ":" in head.split("//", 1)[-1]:
        scheme, _, auth = head.rpartition("//")
        user = auth.split(":", 1)[0]
        return f"{scheme}//{user}:***@{tail}"
    return text
