"""The table of the procedure file the workspace runs. Registered on ``tables.metadata`` like
every table."""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from commander.storage.tables import metadata

# The procedure file the workspace runs (workspace-wide, synced): last writer wins. No row: the
# built-in seed procedure.
procedure_def_table = Table(
    "procedure_def",
    metadata,
    Column("key", String, primary_key=True),
    Column("content", Text, nullable=False),  # JSON: text, source, name, version, digest
    Column("updated_at", Integer, nullable=False),
    Column("author", String, nullable=False),
)
WORKSPACE_PROCEDURE = "workspace"  # the one row's key: the file the whole workspace runs
