"""This node's identity and key, the keys the workspace knows per author, and matching a
person's fingerprints by handle or name."""

from __future__ import annotations

from commander.services.nodes import (
    fingerprints_by_author,
    known_nodes,
    person_fingerprints,
    sync_problems,
    this_node,
)


def test_a_fresh_node_has_no_key_until_asked_or_it_writes(workspace) -> None:
    shown = this_node(workspace, create=False)
    assert shown["node_id"] == workspace.node_id and shown["author"] == "alice"
    assert shown["fingerprint"] is None and shown["public_key"] is None
    assert shown["key_kept_in"] == "no key yet (made on this node's first write)"
    assert known_nodes(workspace) == [] and sync_problems(workspace) == []


def test_after_a_write_the_key_is_known_under_its_author(workspace, incidents) -> None:
    incidents.declare(title="API down", severity="P1")
    shown = this_node(workspace, create=False)
    assert shown["key_store"] == "file"  # the tests' keyring refuses, so a private file
    assert str(workspace.data_dir) in shown["key_kept_in"]
    assert len(shown["fingerprint"].split()) == 8
    [node] = known_nodes(workspace)
    assert (node.node_id, node.author, node.revoked) == (workspace.node_id, "alice", False)
    assert node.fingerprint == shown["fingerprint"] == this_node(workspace)["fingerprint"]
    assert fingerprints_by_author(workspace) == {"alice": [node.fingerprint]}
    assert sync_problems(workspace) == []


def test_a_persons_fingerprints_match_by_handle_or_name_ignoring_case() -> None:
    by_author = {"@Alice": ["AA"], "Bob Jones": ["BB", "B2"], "carol": ["CC"]}
    assert person_fingerprints(by_author, "@alice", "Alice Smith") == ["AA"]
    assert person_fingerprints(by_author, "bob", "bob jones") == ["BB", "B2"]
    assert person_fingerprints(by_author, "dan", "") == []
    assert person_fingerprints(by_author, "", "") == []  # an empty name matches nobody
