"""``commander peer``: bad input and an unreachable peer are one sentence each."""

from __future__ import annotations


def test_peer_commands_fail_in_one_line(run, one_line_error) -> None:
    one_line_error(run("peer", "sync", "nowhere"), contains="not HOST:PORT")
    one_line_error(run("peer", "sync", "127.0.0.1:1"), contains="Nothing listens")
    one_line_error(run("peer", "admit", "abcd"), contains="No pending peer")
    listed = run("peer", "list")
    assert listed.code == 0 and "No peer yet" in listed.out
