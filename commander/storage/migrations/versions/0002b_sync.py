"""Sync: effective stamps of clamped ops, and an index to find concurrent register changes.

Revision ID: 0002_sync
Revises: 0002_deadlines
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_sync"
down_revision = "0002_deadlines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Only ops whose ordering stamp differs from their own hlc (the server clamped a clock
    # that ran ahead) have a row here; the push/pull cursors live in ``meta``.
    op.create_table(
        "op_stamp",
        sa.Column("op_id", sa.String(), primary_key=True),
        sa.Column("hlc", sa.String(), nullable=False),
    )
    op.create_index("ix_op_register", "op", ["entity_id", "field"])


def downgrade() -> None:
    op.drop_index("ix_op_register", "op")
    op.drop_table("op_stamp")
