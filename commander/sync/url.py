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
# Set by Commander itself on every connection (sync/server.py): a second value cannot be taken.
_RESERVED = ("options", "application_name")
# libpq checks these values only when it connects, and then says "connection is bad", which
# would read as "unreachable"; a typo in the URL is a bad URL.
_CHOICES = {
    "sslmode": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
    "gssencmode": ("disable", "prefer", "require"),
    "channel_binding": ("disable", "prefer", "require"),
    "sslcertmode": ("disable", "allow", "require"),
    "sslnegotiation": ("postgres", "direct"),
    "load_balance_hosts": ("disable", "random"),
    "target_session_attrs": (
        "any",
        "read-write",
        "read-only",
        "primary",
        "standby",
        "prefer-standby",
    ),
}
_INTEGERS = (
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "port",
)


@dataclass(frozen=True)
class ServerUrl:
    """A parsed ``postgresql+psycopg://user@host:5432/db?sslmode=require`` URL."""

    url: URL

    @classmethod
    def parse(cls, text: str) -> ServerUrl:
        """Raises ``SyncError`` with a hint when ``text`` is not a PostgreSQL URL."""
        try:
            url = make_url(text.strip())
        except (ArgumentError, ValueError) as exc:
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
        if url.port is not None and not 0 < url.port < 65536:
            raise SyncError(f"the URL's port {url.port} is not a TCP port (1 to 65535).")
        _check_query(url)
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


def _check_query(url: URL) -> None:
    """Refuse, as a bad URL, query options libpq would only refuse when connecting."""
    import psycopg  # lazy: the GUI and most commands never connect to a server

    known = {d.keyword.decode() for d in psycopg.pq.Conninfo.get_defaults()}
    for key, raw in url.query.items():
        value = raw if isinstance(raw, str) else raw[-1]
        if key not in known:
            raise SyncError(f"the URL's option {key!r} is not a PostgreSQL connection option.")
        if key in _RESERVED:
            raise SyncError(f"the URL's option {key!r} is set by Commander; leave it out.")
        if key == "password":
            raise SyncError(
                "the URL's query holds a password; leave it out (Commander asks for it and "
                "keeps it in the system keyring)."
            )
        if any(ch < " " or ch == "\x7f" for ch in value):
            raise SyncError(f"the URL's option {key!r} holds a control character.")
        choices = _CHOICES.get(key)
        if choices is not None and value not in choices:
            raise SyncError(f"the URL's {key}={value!r} is not one of {', '.join(choices)}.")
        if key in _INTEGERS and not value.strip().lstrip("-").isdigit():
            raise SyncError(f"the URL's {key}={value!r} is not a whole number.")


def _hide(text: str) -> str:
    """Best effort: never echo what may be a password back in an error."""
    head, sep, tail = text.partition("@")
    if sep and ":" in head.split("//", 1)[-1]:
        scheme, _, auth = head.rpartition("//")
        user = auth.split(":", 1)[0]
        return f"{scheme}//{user}:***@{tail}"
    return text
