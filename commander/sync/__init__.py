"""Exchange of ops with the shared PostgreSQL: server schema, push/pull, the live loop.

Qt-free and service-free: it works on a SQLAlchemy engine of the local workspace and a
psycopg connection to the server, so the CLI, the GUI worker and the tests drive it alike.
"""
