"""Server schema 3: attached files by SHA-256 (written only through ``commander.put_blob``,
which ``init_schema`` installs from ``commander.sync.blob_sync``).

Revision ID: 0003_files
Revises: 0002_signed_ops
"""

from alembic import op

from commander.sync.server_migrations import refuse_downgrade

revision = "0003_files"
down_revision = "0002_signed_ops"
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE IF NOT EXISTS commander.blob (
    sha256 text PRIMARY KEY,
    size bigint NOT NULL,
    data bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
)""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    refuse_downgrade()
