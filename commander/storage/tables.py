"""Table definitions (SQLAlchemy Core).

The op log is the truth; ``incident`` and ``entry`` are materialized from it in the same
transaction and exist so the UI reads compact rows instead of replaying history. Times in
materialized tables are integer milliseconds (compact, fast to sort); ops keep ISO strings.

Core tables rather than ORM classes: nothing here needs identity maps or relationships, and
importing ``sqlalchemy.orm`` alone costs ~0.14 s of a start-up budget of 0.8 s.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

meta_table = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

op_table = Table(
    "op",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("op_id", String, nullable=False, unique=True),
    Column("node_id", String, nullable=False),
    Column("hlc", String, nullable=False),
    Column("incident_id", String, nullable=False),
    Column("entity", String, nullable=False),
    Column("entity_id", String, nullable=False),
    Column("field", String, nullable=False),
    Column("value", Text, nullable=False),
    Column("author", String, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("prev_hash", String, nullable=False),
    Column("hash", String, nullable=False),
    Index("ix_op_node_seq", "node_id", "seq"),
    Index("ix_op_entity", "entity", "entity_id"),
)

# Which op currently holds each last-writer-wins field.
register_table = Table(
    "register",
    metadata,
    Column("entity", String, primary_key=True),
    Column("entity_id", String, primary_key=True),
    Column("field", String, primary_key=True),
    Column("hlc", String, nullable=False),
    Column("node_id", String, nullable=False),
    Column("op_id", String, nullable=False),
)

incident_table = Table(
    "incident",
    metadata,
    Column("id", String, primary_key=True),
    Column("ref", String, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("severity", String, nullable=False),
    Column("status", String, nullable=False),
    Column("phase", String, nullable=False),
    Column("services", Text, nullable=False),
    Column("impact", Text, nullable=False),
    Column("declared_at", Integer, nullable=False),
    Column("declared_by", String, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("partners_affected", Integer, nullable=False, server_default="0"),
)

# A timeline entry; never updated except to record a strike or an amendment.
entry_table = Table(
    "entry",
    metadata,
    Column("id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("occurred_at", Integer, nullable=False),
    Column("hlc", String, nullable=False),
    Column("node_id", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("event", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("owner", String, nullable=False),
    Column("author", String, nullable=False),
    Column("struck", Integer, nullable=False),
    Column("strike_reason", Text, nullable=False),
    Column("amended_event", Text, nullable=True),
    Column("amended_action", Text, nullable=True),
    Index("ix_entry_incident_order", "incident_id", "occurred_at", "hlc"),
)

# Deadline events (met, internal update sent, snoozed, overdue logged): append-only, one per op.
deadline_event_table = Table(
    "deadline_event",
    metadata,
    Column("op_id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("key", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("at_ms", Integer, nullable=False),
    Column("hlc", String, nullable=False),
    Column("author", String, nullable=False),
    Column("how", Text, nullable=False),
    Column("until_ms", Integer, nullable=True),
    Index("ix_deadline_event_incident", "incident_id"),
)

# Impact samples (customers affected, error rate ...): append-only; a wrong one is struck.
impact_sample_table = Table(
    "impact_sample",
    metadata,
    Column("id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("metric", String, nullable=False),
    Column("at_ms", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("hlc", String, nullable=False),
    Column("author", String, nullable=False),
    Column("struck", Integer, nullable=False, server_default="0"),
    Index("ix_impact_sample_incident", "incident_id", "metric", "at_ms"),
)
