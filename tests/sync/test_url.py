"""A mistyped option in the shared database's URL is a bad URL, said before connecting."""

from __future__ import annotations

import pytest

from commander.sync.errors import ServerUnreachable, SyncError
from commander.sync.url import ServerUrl

BASE = "postgresql+psycopg://u@db.example/commander"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("host=/tmp&options=-c%20x", "'options' is set by Commander"),
        ("application_name=x", "'application_name' is set by Commander"),
        ("sslmode=bogus", "sslmode='bogus' is not one of disable, allow, prefer, require"),
        ("target_session_attrs=sometimes", "is not one of any, read-write"),
        ("connect_timeout=soon", "connect_timeout='soon' is not a whole number"),
        ("frobnicate=1", "'frobnicate' is not a PostgreSQL connection option"),
        ("password=hunter2", "holds a password"),
        ("sslrootcert=a%00b", "control character"),
    ],
)
def test_bad_query_options_are_a_bad_url(query: str, message: str) -> None:
    with pytest.raises(SyncError, match=message) as caught:
        ServerUrl.parse(f"{BASE}?{query}")
    assert not isinstance(caught.value, ServerUnreachable)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    "text", ["postgresql://u@h:99999/db", "postgresql://u@h:0/db", "postgresql://u@h:port/db"]
)
def test_a_port_that_is_no_port_is_a_bad_url(text: str) -> None:
    with pytest.raises(SyncError, match=r"port|not a database URL"):
        ServerUrl.parse(text)


def test_good_options_pass_through_to_libpq() -> None:
    server = ServerUrl.parse(f"{BASE}?sslmode=verify-full&connect_timeout=3&host=/run/pg")
    kwargs = server.connect_kwargs()
    assert kwargs["sslmode"] == "verify-full" and kwargs["connect_timeout"] == "3"
    assert kwargs["host"] == "/run/pg"
