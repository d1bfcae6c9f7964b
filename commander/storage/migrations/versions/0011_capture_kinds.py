"""Entry kinds, key events and answers: who an entry is from, the question it answers, and
whether it is marked key.

Entries written before kinds existed were "note" or "system"; a "note" now reads as an
observation (the apply path maps it the same way, so verify's replay agrees).

Revision ID: 0011_capture_kinds
Revises: 0010_signed_ops
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_capture_kinds"
down_revision = "0010_signed_ops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (constant defaults): no copy of a 100,000-row table on first start.
    op.add_column(
        "entry", sa.Column("attributed_to", sa.String(), nullable=False, server_default="")
    )
    op.add_column("entry", sa.Column("answers", sa.String(), nullable=False, server_default=""))
    op.add_column("entry", sa.Column("key_event", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE entry SET kind = 'observation' WHERE kind = 'note'")
    # Partial: only answers are in it, so the inserts of every other entry skip it.
    op.create_index("ix_entry_answers", "entry", ["answers"], sqlite_where=sa.text("answers <> ''"))


def downgrade() -> None:
    op.drop_index("ix_entry_answers", "entry")
    op.execute("UPDATE entry SET kind = 'note' WHERE kind <> 'system'")
    with op.batch_alter_table("entry") as batch:
        batch.drop_column("key_event")
        batch.drop_column("answers")
        batch.drop_column("attributed_to")
