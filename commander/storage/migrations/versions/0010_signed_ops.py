"""Signed ops: each op's signature, the pinned key of every node, and ops kept aside by sync.

Ops written before this revision keep an empty signature: they stay readable and are
reported as "unsigned (before signing)", never as forged.

Revision ID: 0010_signed_ops
Revises: 0009_outbox_lease
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_signed_ops"
down_revision = "0009_outbox_lease"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("op", sa.Column("signature", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_op_hash", "op", ["hash"])
    op.create_table(
        "node_key",
        sa.Column("node_id", sa.String(), primary_key=True),
        sa.Column("public_key", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("op_id", sa.String(), nullable=False),
    )
    # Ops sync would not apply (quarantined) and applied ops a revocation made untrusted.
    op.create_table(
        "sync_problem",
        sa.Column("op_id", sa.String(), primary_key=True),
        sa.Column("node_id", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("noted_at", sa.Integer(), nullable=False),
    )
    op.create_table(
        "node_revocation",
        sa.Column("node_id", sa.String(), primary_key=True),
        sa.Column("after_seq", sa.Integer(), nullable=False),
        sa.Column("revoked_at", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("node_revocation")
    op.drop_table("sync_problem")
    op.drop_table("node_key")
    op.drop_index("ix_op_hash", "op")
    with op.batch_alter_table("op") as batch:
        batch.drop_column("signature")
