"""Attachments: files by SHA-256 (``blob``) and the entries that carry them (``attachment``).

Revision ID: 0013_attachments
Revises: 0012_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_attachments"
down_revision = "0012_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "attachment",
        sa.Column("entry_id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
    )
    op.create_index("ix_attachment_incident", "attachment", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_attachment_incident", "attachment")
    op.drop_table("attachment")
    op.drop_table("blob")
