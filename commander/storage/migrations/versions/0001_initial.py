"""The op log, registers and the materialized incident and timeline tables.

Revision ID: 0001_initial
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "op",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("op_id", sa.String(), nullable=False, unique=True),
        sa.Column("node_id", sa.String(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
    )
    op.create_index("ix_op_node_seq", "op", ["node_id", "seq"])
    op.create_table(
        "register",
        sa.Column("entity", sa.String(), primary_key=True),
        sa.Column("entity_id", sa.String(), primary_key=True),
        sa.Column("field", sa.String(), primary_key=True),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("node_id", sa.String(), nullable=False),
        sa.Column("op_id", sa.String(), nullable=False),
    )
    op.create_table(
        "incident",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("ref", sa.String(), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("phase", sa.String(), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.Integer(), nullable=False),
        sa.Column("declared_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
    )
    op.create_table(
        "entry",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("occurred_at", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("node_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("struck", sa.Integer(), nullable=False),
        sa.Column("strike_reason", sa.Text(), nullable=False),
        sa.Column("amended_event", sa.Text(), nullable=True),
        sa.Column("amended_action", sa.Text(), nullable=True),
    )
    op.create_index("ix_entry_incident_order", "entry", ["incident_id", "occurred_at", "hlc"])


def downgrade() -> None:
    for table in ("entry", "incident", "register", "op", "meta"):
        op.drop_table(table)
