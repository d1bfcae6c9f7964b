"""Alembic migrations of the workspace schema.

``REVISIONS`` lists every revision in order so opening an up-to-date workspace can check its
version without importing Alembic (start-up time matters; a test keeps the list honest).
"""

REVISIONS = [
    "0001_initial",
    "0002_deadlines",
    "0002_sync",
    "0003_roster",
    "0004_comms",
    "0005_impact",
    "0006_review",
    "0007_checklists",
    "0008_alerts",
    "0009_outbox_lease",
    "0010_signed_ops",
    "0011_capture_kinds",
    "0012_search",
    "0013_attachments",
    "0014_question_indexes",
    "0015_runbooksearch",
    "0016_procedure",
    "0017_procedure_runbooks",
]
HEAD = REVISIONS[-1]
