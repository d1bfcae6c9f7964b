"""Alerts: the local cache of polled and ingested alerts, and alert-incident links.

Revision ID: 0008_alerts
Revises: 0007_checklists
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_alerts"
down_revision = "0007_checklists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("fingerprint", sa.String(), primary_key=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("annotations", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.Integer(), nullable=False),
        sa.Column("ends_at", sa.Integer(), nullable=True),
        sa.Column("generator_url", sa.Text(), nullable=False),
        sa.Column("silenced_by", sa.Text(), nullable=False),
        sa.Column("inhibited_by", sa.Text(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("first_seen", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.Integer(), nullable=False),
    )
    op.create_table(
        "alert_link",
        sa.Column("incident_id", sa.String(), primary_key=True),
        sa.Column("fingerprint", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("fired_at", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.Integer(), nullable=False),
        sa.Column("resolved_at", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(), nullable=False),
    )
    op.create_index("ix_alert_link_fingerprint", "alert_link", ["fingerprint"])


def downgrade() -> None:
    op.drop_index("ix_alert_link_fingerprint", "alert_link")
    op.drop_table("alert_link")
    op.drop_table("alert")
