"""Runbook search reads the loaded procedure's steps: triggers that re-index every step run
when another file is loaded, and the steps already run indexed from the loaded file.

Revision ID: 0017_procedure_runbooks
Revises: 0016_procedure
"""

from alembic import op

from commander.storage import search_runbook
from commander.storage.database import dbapi

revision = "0017_procedure_runbooks"
down_revision = "0016_procedure"
branch_labels = None
depends_on = None


def upgrade() -> None:
    db = dbapi(op.get_bind())
    search_runbook.create_triggers(db)
    search_runbook.rebuild_all(db)


def downgrade() -> None:
    db = dbapi(op.get_bind())
    for name in search_runbook.PROCEDURE_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
