"""Server schema 1: the op log, node chain heads and meta.

Revision ID: 0001_tables
Revises:
"""

from alembic import op

from commander.sync.server_migrations import refuse_downgrade

revision = "0001_tables"
down_revision = None
branch_labels = None
depends_on = None

# IF NOT EXISTS as released: db init has always been safe to run again.
STATEMENTS = [
    "CREATE SCHEMA IF NOT EXISTS commander",
    "CREATE TABLE IF NOT EXISTS commander.meta (key text PRIMARY KEY, value text NOT NULL)",
    """CREATE TABLE IF NOT EXISTS commander.op (
    seq bigserial PRIMARY KEY,
    op_id text NOT NULL UNIQUE,
    node_id text NOT NULL,
    hlc text NOT NULL,
    effective_hlc text NOT NULL,
    incident_id text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    field text NOT NULL,
    value text NOT NULL,
    author text NOT NULL,
    schema_version integer NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
)""",
    "CREATE INDEX IF NOT EXISTS op_node_seq ON commander.op (node_id, seq)",
    """CREATE TABLE IF NOT EXISTS commander.node_head (
    node_id text PRIMARY KEY,
    author text NOT NULL,
    head_hash text NOT NULL,
    count bigint NOT NULL,
    last_push_at timestamptz NOT NULL,
    clock_offset_ms bigint NOT NULL,
    clamp_wall bigint NOT NULL DEFAULT 0
)""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    refuse_downgrade()
