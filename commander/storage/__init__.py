"""The local SQLite workspace: op log, materialized tables, migrations."""
