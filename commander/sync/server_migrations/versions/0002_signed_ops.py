"""Server schema 2: signed ops, each node bound to its first login with its public key
pinned, revocation, and each author name bound to its first login.

Revision ID: 0002_signed_ops
Revises: 0001_tables
"""

from alembic import op

from commander.sync.server_migrations import refuse_downgrade

revision = "0002_signed_ops"
down_revision = "0001_tables"
branch_labels = None
depends_on = None

STATEMENTS = [
    "ALTER TABLE commander.op ADD COLUMN IF NOT EXISTS signature text NOT NULL DEFAULT ''",
    "ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS login text",
    "ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS public_key text",
    "ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS revoked_at timestamptz",
    "ALTER TABLE commander.node_head ADD COLUMN IF NOT EXISTS revoked_after_seq bigint",
    """CREATE TABLE IF NOT EXISTS commander.author_login (
    author text PRIMARY KEY,
    login text NOT NULL,
    node_id text NOT NULL,
    bound_at timestamptz NOT NULL DEFAULT now()
)""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    refuse_downgrade()
