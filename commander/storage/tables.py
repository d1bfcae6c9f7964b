"""Table definitions (SQLAlchemy Core).

The op log is the truth; ``incident`` and ``entry`` are materialized from it in the same
transaction and exist so the UI reads compact rows instead of replaying history. Times in
materialized tables are integer milliseconds (compact, fast to sort); ops keep ISO strings.

Core tables rather than ORM classes: nothing here needs identity maps or relationships, and
importing ``sqlalchemy.orm`` alone costs ~0.14 s of a start-up budget of 0.8 s.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

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
    Column("signature", Text, nullable=False, server_default=""),
    Index("ix_op_node_seq", "node_id", "seq"),
    Index("ix_op_entity", "entity", "entity_id"),
    Index("ix_op_hash", "hash"),
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
    Column("security_related", Integer, nullable=False, server_default="0"),
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
    Column("attributed_to", String, nullable=False, server_default=""),
    Column("answers", String, nullable=False, server_default=""),
    Column("key_event", Integer, nullable=False, server_default="0"),
    Index("ix_entry_incident_order", "incident_id", "occurred_at", "hlc"),
    Index("ix_entry_answers", "answers", sqlite_where=text("answers <> ''")),
    # Only the questions and only the key events (migration 0014): read after every change.
    Index(
        "ix_entry_questions",
        "incident_id",
        "occurred_at",
        "hlc",
        sqlite_where=text("kind = 'question'"),
    ),
    Index(
        "ix_entry_key_events",
        "incident_id",
        "occurred_at",
        "hlc",
        sqlite_where=text("key_event = 1"),
    ),
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

# Every assignment, handoff and release of a role: append-only, one per op. Who holds a role
# now is the ``register`` row of entity "role" (last writer wins), pointing at one of these.
role_assignment_table = Table(
    "role_assignment",
    metadata,
    Column("op_id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("role", String, nullable=False),
    Column("person", String, nullable=True),  # handle; NULL: released
    Column("person_name", String, nullable=False),
    Column("previous", String, nullable=True),
    Column("previous_name", String, nullable=False),
    Column("note", Text, nullable=False),
    Column("at_ms", Integer, nullable=False),
    Column("hlc", String, nullable=False),
    Column("node_id", String, nullable=False),
    Column("author", String, nullable=False),
    Column("base", String, nullable=True),
    Index("ix_role_assignment_incident", "incident_id", "role"),
)

# The people directory, one register per column (see ``oplog``); handles are the identity.
person_table = Table(
    "person",
    metadata,
    Column("handle", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("team", String, nullable=False),
    Column("email", String, nullable=False),
    Column("phone", String, nullable=False),
    Column("roles", Text, nullable=False),  # JSON list of role keys
    Column("removed", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
)

# Roles added in the workspace (Scribe, Customer Liaison ...); the procedure's are in core.
role_def_table = Table(
    "role_def",
    metadata,
    Column("key", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("description", Text, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
)

# Communication templates (workspace-wide, synced): one row per key, last writer wins.
comms_template_table = Table(
    "comms_template",
    metadata,
    Column("key", String, primary_key=True),
    Column("name", Text, nullable=False),
    Column("audience", String, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("deleted", Integer, nullable=False, server_default="0"),
    Column("updated_at", Integer, nullable=False),
    Column("author", String, nullable=False),
)

# Message drafts (synced): the composer's choices and typed fields, last writer wins.
comms_draft_table = Table(
    "comms_draft",
    metadata,
    Column("id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("template_key", String, nullable=False),
    Column("audience", String, nullable=False),
    Column("channel", String, nullable=False),
    Column("fields", Text, nullable=False),
    Column("discarded", Integer, nullable=False, server_default="0"),
    Column("updated_at", Integer, nullable=False),
    Column("author", String, nullable=False),
    Index("ix_comms_draft_incident", "incident_id"),
)

# Messages waiting for, in, or done with delivery: local to the laptop that sends them
# (a "sent" is recorded on the timeline as an op, so everyone sees it).
outbox_table = Table(
    "outbox",
    metadata,
    Column("id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("template_key", String, nullable=False),
    Column("audience", String, nullable=False),
    Column("channel", String, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("state", String, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", Integer, nullable=False),
    Column("next_attempt_at", Integer, nullable=False),
    Column("finished_at", Integer, nullable=True),
    Column("answer", Text, nullable=False, server_default=""),
    Column("error", Text, nullable=False, server_default=""),
    Column("remote_id", String, nullable=True),
    Column("lease_owner", String, nullable=True),  # the process sending it (while "sending")
    Column("lease_expires_at", Integer, nullable=True),  # until when no other may take it
    Index("ix_outbox_state", "state", "next_attempt_at"),
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

# Post-incident review text (synced): one row per incident and section key, last writer wins.
review_field_table = Table(
    "review_field",
    metadata,
    Column("id", String, primary_key=True),  # f"{incident_id}:{key}"
    Column("incident_id", String, nullable=False),
    Column("key", String, nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("author", String, nullable=False),
    Index("ix_review_field_incident", "incident_id"),
)

# When the post-incident review meets (synced, last writer wins); start_ms NULL when cancelled.
review_schedule_table = Table(
    "review_schedule",
    metadata,
    Column("incident_id", String, primary_key=True),
    Column("start_ms", Integer, nullable=True),
    Column("minutes", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("author", String, nullable=False),
)

# Action items from reviews (synced): a register per field, so two people can edit one item.
action_item_table = Table(
    "action_item",
    metadata,
    Column("id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("title", Text, nullable=False),
    Column("owner", String, nullable=False),
    Column("term", String, nullable=False),
    Column("due", String, nullable=False),  # ISO date
    Column("status", String, nullable=False),
    Column("tracker_url", Text, nullable=False),
    Column("entry_id", String, nullable=True),
    Column("created_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Index("ix_action_item_incident", "incident_id"),
)

# Checklists users edited or added (workspace-wide, synced): one row per key, last writer wins.
# The procedure's own checklists live in core; a row here overrides one (deleted: restored).
checklist_def_table = Table(
    "checklist_def",
    metadata,
    Column("key", String, primary_key=True),
    Column("content", Text, nullable=False),  # JSON: phase, title, steps, deleted
    Column("updated_at", Integer, nullable=False),
    Column("author", String, nullable=False),
)

# Which steps of an incident's checklists are done: one register per step.
checklist_tick_table = Table(
    "checklist_tick",
    metadata,
    Column("incident_id", String, primary_key=True),
    Column("step_key", String, primary_key=True),
    Column("done", Integer, nullable=False),
    Column("at_ms", Integer, nullable=False),
    Column("author", String, nullable=False),
)

# Runbook placeholder values asked once per incident (<namespace>, <pod-name> ...).
runbook_value_table = Table(
    "runbook_value",
    metadata,
    Column("incident_id", String, primary_key=True),
    Column("name", String, primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("author", String, nullable=False),
)

# Alerts polled from Alertmanager or ingested from webhooks: a local cache, not synced
# (every laptop polls for itself); deduplicated by fingerprint.
alert_table = Table(
    "alert",
    metadata,
    Column("fingerprint", String, primary_key=True),
    Column("status", String, nullable=False),
    Column("name", String, nullable=False),
    Column("labels", Text, nullable=False),
    Column("annotations", Text, nullable=False),
    Column("starts_at", Integer, nullable=False),
    Column("ends_at", Integer, nullable=True),
    Column("generator_url", Text, nullable=False),
    Column("silenced_by", Text, nullable=False),
    Column("inhibited_by", Text, nullable=False),
    Column("source", String, nullable=False),
    Column("first_seen", Integer, nullable=False),
    Column("last_seen", Integer, nullable=False),
)

# Which alerts belong to which incident (materialized from ALERT_LINK ops, so it syncs).
alert_link_table = Table(
    "alert_link",
    metadata,
    Column("incident_id", String, primary_key=True),
    Column("fingerprint", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("summary", Text, nullable=False),
    Column("fired_at", Integer, nullable=False),
    Column("linked_at", Integer, nullable=False),
    Column("resolved_at", Integer, nullable=True),
    Column("author", String, nullable=False),
    Index("ix_alert_link_fingerprint", "fingerprint"),
)

# Attached files by SHA-256: content, never derived from ops (recovery copies it row by row).
blob_table = Table(
    "blob",
    metadata,
    Column("sha256", String, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# Which entry carries which file: materialized from the entry ops that attach one.
attachment_table = Table(
    "attachment",
    metadata,
    Column("entry_id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("sha256", String, nullable=False),
    Column("name", Text, nullable=False),
    Column("media_type", String, nullable=False),
    Column("size", Integer, nullable=False),
    Index("ix_attachment_incident", "incident_id"),
)

# Registered on the same metadata: the tables of signing and trust (node keys, sync problems,
# revocations) and the workspace's procedure file live in their own modules.
from commander.storage import tables_procedure, tables_trust  # noqa: E402,F401
