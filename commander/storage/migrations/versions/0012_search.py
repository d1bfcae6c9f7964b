"""Search: the full-text index over every incident, its triggers, built for what exists.

Revision ID: 0012_search
Revises: 0011_capture_kinds
"""

from alembic import op

from commander.storage import search_index
from commander.storage.database import dbapi

revision = "0012_search"
down_revision = "0011_capture_kinds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.install(dbapi(op.get_bind()))


def downgrade() -> None:
    search_index.uninstall(dbapi(op.get_bind()))
