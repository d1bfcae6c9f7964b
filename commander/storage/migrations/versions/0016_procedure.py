"""The procedure as workspace data: the loaded procedure file, a synced register.

Revision ID: 0016_procedure
Revises: 0015_runbooksearch
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_procedure"
down_revision = "0015_runbooksearch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procedure_def",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("procedure_def")
