"""``meta`` by key prefix (storage/meta_queries.py): every value under a prefix, in key order,
and deleting one key."""

from __future__ import annotations

from commander.services.workspace import Workspace
from commander.storage import meta_queries, oplog


def test_values_under_a_prefix_in_key_order_and_a_deleted_key(workspace: Workspace) -> None:
    with workspace.write() as conn:
        assert meta_queries.meta_values_with_prefix(conn, "link:") == []
        for key, value in [("link:b", "2"), ("link:a", "1"), ("linked", "no"), ("other", "x")]:
            oplog.write_meta(conn, key, value)
        assert meta_queries.meta_values_with_prefix(conn, "link:") == ["1", "2"]
        meta_queries.delete_meta(conn, "link:a")
        meta_queries.delete_meta(conn, "link:missing")  # nothing to delete: no error
        assert meta_queries.meta_values_with_prefix(conn, "link:") == ["2"]
        assert oplog.read_meta(conn, "link:a") is None
        assert oplog.read_meta(conn, "other") == "x"


def test_a_prefix_is_text_not_a_pattern(workspace: Workspace) -> None:
    with workspace.write() as conn:
        for key, value in [("slack_link:a", "1"), ("slackXlink:b", "2"), ("SLACK_LINK:c", "3")]:
            oplog.write_meta(conn, key, value)
        assert meta_queries.meta_values_with_prefix(conn, "slack_link:") == ["1"]
        oplog.write_meta(conn, "100%:x", "4")
        oplog.write_meta(conn, "1000:y", "5")
        assert meta_queries.meta_values_with_prefix(conn, "100%") == ["4"]
