"""Post-incident review: section text, the review's schedule and action items.

Revision ID: 0006_review
Revises: 0005_impact
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_review"
down_revision = "0005_impact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_field",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )
    op.create_index("ix_review_field_incident", "review_field", ["incident_id"])
    op.create_table(
        "review_schedule",
        sa.Column("incident_id", sa.String(), primary_key=True),
        sa.Column("start_ms", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )
    op.create_table(
        "action_item",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("due", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("tracker_url", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.String(), nullable=True),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
    )
    op.create_index("ix_action_item_incident", "action_item", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_action_item_incident", "action_item")
    op.drop_table("action_item")
    op.drop_table("review_schedule")
    op.drop_index("ix_review_field_incident", "review_field")
    op.drop_table("review_field")
