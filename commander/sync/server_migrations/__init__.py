"""Alembic migrations of the shared database's schema (``commander db init``).

Revisions hold the tables, indexes and columns: data outlives code, so each step is frozen as
it was released. The SQL functions (``push``, ``revoke_node``, the Ed25519 helpers,
``put_blob``) are not in revisions: they are generated from the running code
(``commander.sync.push_sql``, ``ed25519_sql``, ``blob_sync``) and ``init_schema`` installs them
with ``CREATE OR REPLACE`` after every upgrade, so the server always runs this version's checks.

The version table is ``commander.alembic_version``. ``REVISIONS`` lists every revision in order
so an up-to-date database is recognised without importing Alembic (a test keeps the list
honest). ``LEGACY_REVISIONS`` maps the ``meta.schema_version`` written before Alembic (1..4) to
the revision that reproduces it: such a database is stamped there, then upgraded.
"""

from typing import NoReturn

from commander.sync.errors import SyncError


def refuse_downgrade() -> NoReturn:
    """Every revision's ``downgrade``: a shared record only moves forward (an older Commander
    refuses a newer schema instead), so going back means restoring the database's backup."""
    raise SyncError("the shared database is never downgraded: restore its backup instead")


REVISIONS = [
    "0001_tables",
    "0002_signed_ops",
    "0003_files",
    "0004_relaying",
]
HEAD = REVISIONS[-1]
LEGACY_REVISIONS = {version: REVISIONS[version - 1] for version in (1, 2, 3, 4)}
VERSION_TABLE_SCHEMA = "commander"
