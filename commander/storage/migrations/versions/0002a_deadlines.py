"""Deadline events, the partners-affected flag, and an index for an incident's history.

Revision ID: 0002_deadlines
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_deadlines"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadline_event",
        sa.Column("op_id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("how", sa.Text(), nullable=False),
        sa.Column("until_ms", sa.Integer(), nullable=True),
    )
    op.create_index("ix_deadline_event_incident", "deadline_event", ["incident_id"])
    with op.batch_alter_table("incident") as batch:
        batch.add_column(
            sa.Column("partners_affected", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_index("ix_op_entity", "op", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_op_entity", "op")
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("partners_affected")
    op.drop_index("ix_deadline_event_incident", "deadline_event")
    op.drop_table("deadline_event")
