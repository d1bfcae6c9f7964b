"""Open questions and key events read through indexes of their own.

The Questions tab, the briefing, the war-room display and the review ask for an incident's
unanswered questions and its key events after every change; on a 100,000-entry timeline the
incident's order index made each a scan of every entry (tens of milliseconds on every Enter).
Partial indexes hold only the questions and only the key events, in timeline order.

Revision ID: 0014_question_indexes
Revises: 0013_attachments
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_question_indexes"
down_revision = "0013_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_entry_questions",
        "entry",
        ["incident_id", "occurred_at", "hlc"],
        sqlite_where=sa.text("kind = 'question'"),
    )
    op.create_index(
        "ix_entry_key_events",
        "entry",
        ["incident_id", "occurred_at", "hlc"],
        sqlite_where=sa.text("key_event = 1"),
    )


def downgrade() -> None:
    op.drop_index("ix_entry_key_events", "entry")
    op.drop_index("ix_entry_questions", "entry")
