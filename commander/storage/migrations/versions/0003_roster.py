"""The role roster: role assignments, the people directory, custom roles, security flag.

Revision ID: 0003_roster
Revises: 0002_sync
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_roster"
down_revision = "0002_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "role_assignment",
        sa.Column("op_id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("person", sa.String(), nullable=True),
        sa.Column("person_name", sa.String(), nullable=False),
        sa.Column("previous", sa.String(), nullable=True),
        sa.Column("previous_name", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("node_id", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("base", sa.String(), nullable=True),
    )
    op.create_index("ix_role_assignment_incident", "role_assignment", ["incident_id", "role"])
    op.create_table(
        "person",
        sa.Column("handle", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
    )
    op.create_table(
        "role_def",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("incident") as batch:
        batch.add_column(
            sa.Column("security_related", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("security_related")
    op.drop_table("role_def")
    op.drop_table("person")
    op.drop_index("ix_role_assignment_incident", "role_assignment")
    op.drop_table("role_assignment")
