"""Communication: templates and drafts (synced, from ops) and the local outbox.

Revision ID: 0004_comms
Revises: 0003_roster
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_comms"
down_revision = "0003_roster"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comms_template",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )
    op.create_table(
        "comms_draft",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("template_key", sa.String(), nullable=False),
        sa.Column("audience", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("discarded", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
    )
    op.create_index("ix_comms_draft_incident", "comms_draft", ["incident_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("template_key", sa.String(), nullable=False),
        sa.Column("audience", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False, server_default=""),
        sa.Column("error", sa.Text(), nullable=False, server_default=""),
        sa.Column("remote_id", sa.String(), nullable=True),
    )
    op.create_index("ix_outbox_state", "outbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_state", "outbox")
    op.drop_table("outbox")
    op.drop_index("ix_comms_draft_incident", "comms_draft")
    op.drop_table("comms_draft")
    op.drop_table("comms_template")
