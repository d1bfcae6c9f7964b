"""Server schema 4: relaying. ``commander.push`` takes a node's ops from another login when
each is signed by the node's pinned Ed25519 key, verified in SQL.

No table changes: the step is the push function and the ``ed25519_*`` helpers, which
``init_schema`` installs from the running code after every upgrade (``push_sql``,
``ed25519_sql``); the revision marks the version clients rely on.

Revision ID: 0004_relaying
Revises: 0003_files
"""

from commander.sync.server_migrations import refuse_downgrade

revision = "0004_relaying"
down_revision = "0003_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    refuse_downgrade()
