"""The tables of signing and trust: each node's pinned key, the ops sync kept aside or
marked, and the nodes an admin revoked. Registered on ``tables.metadata`` like every table."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from commander.storage.tables import metadata

# The signing key each node introduced in its key op; pinned by the first one applied.
node_key_table = Table(
    "node_key",
    metadata,
    Column("node_id", String, primary_key=True),
    Column("public_key", String, nullable=False),
    Column("fingerprint", String, nullable=False),
    Column("author", String, nullable=False),
    Column("op_id", String, nullable=False),
)

# Ops sync kept aside (kind "quarantined": never applied) or marked after the fact (kind
# "untrusted": applied before their node's revocation was known); each with its reason.
sync_problem_table = Table(
    "sync_problem",
    metadata,
    Column("op_id", String, primary_key=True),
    Column("node_id", String, nullable=False),
    Column("author", String, nullable=False),
    Column("server_seq", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("reason", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("noted_at", Integer, nullable=False),
)

# Nodes an admin revoked on the shared server: their ops after ``after_seq`` are untrusted.
node_revocation_table = Table(
    "node_revocation",
    metadata,
    Column("node_id", String, primary_key=True),
    Column("after_seq", Integer, nullable=False),
    Column("revoked_at", String, nullable=False),
)
