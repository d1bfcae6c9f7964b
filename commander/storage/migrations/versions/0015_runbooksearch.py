"""Runbook steps in the search index: the triggers that note them, and every step already run.

Revision ID: 0015_runbooksearch
Revises: 0014_question_indexes
"""

from alembic import op

from commander.storage import search_runbook
from commander.storage.database import dbapi

revision = "0015_runbooksearch"
down_revision = "0014_question_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_runbook.install(dbapi(op.get_bind()))


def downgrade() -> None:
    search_runbook.uninstall(dbapi(op.get_bind()))
