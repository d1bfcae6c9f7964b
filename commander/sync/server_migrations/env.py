"""Alembic environment of the shared database: always run on the connection ``init_schema``
hands over, inside its transaction (which stays the caller's)."""

from alembic import context

from commander.sync.server_migrations import VERSION_TABLE_SCHEMA

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,  # no autogenerate: revisions are written by hand, in SQL
    version_table_schema=VERSION_TABLE_SCHEMA,
)
with context.begin_transaction():
    context.run_migrations()
