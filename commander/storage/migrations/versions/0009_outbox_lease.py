"""Outbox leases: which process is sending a message, and until when it may.

A message being sent carries its sender's id and the time its claim runs out, so a second
deliverer (the window and ``commander outbox --deliver`` at once) never sends it again while
the first is still at it, and a message whose sender died is retried once the lease expires.
Local machine state, like the rest of the outbox: never an op.

Revision ID: 0009_outbox_lease
Revises: 0008_alerts
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_outbox_lease"
down_revision = "0008_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("lease_owner", sa.String(), nullable=True))
    op.add_column("outbox", sa.Column("lease_expires_at", sa.Integer(), nullable=True))
    # A message left "sending" by a release without leases: its lease has already run out.
    op.execute("UPDATE outbox SET lease_expires_at = 0 WHERE state = 'sending'")


def downgrade() -> None:
    op.execute("UPDATE outbox SET state = 'queued' WHERE state = 'sending'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_owner")
