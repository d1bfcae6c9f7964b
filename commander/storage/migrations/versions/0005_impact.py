"""Impact samples: the time series the charts plot.

Revision ID: 0005_impact
Revises: 0004_comms
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_impact"
down_revision = "0004_comms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impact_sample",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("at_ms", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("struck", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index(
        "ix_impact_sample_incident", "impact_sample", ["incident_id", "metric", "at_ms"]
    )


def downgrade() -> None:
    op.drop_index("ix_impact_sample_incident", "impact_sample")
    op.drop_table("impact_sample")
