"""Checklists and runbooks: edited checklists, ticks per incident, placeholder values.

Revision ID: 0007_checklists
Revises: 0006_review
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_checklists"
down_revision = "0006_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_def",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )
    op.create_table(
        "checklist_tick",
        sa.Column("incident_id", sa.String(), primary_key=True),
        sa.Column("step_key", sa.String(), primary_key=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )
    op.create_table(
        "runbook_value",
        sa.Column("incident_id", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("runbook_value")
    op.drop_table("checklist_tick")
    op.drop_table("checklist_def")
