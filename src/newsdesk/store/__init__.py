"""newsdesk.store stage: SQLAlchemy Core storage over SQLite (WAL) or PostgreSQL."""

from newsdesk.store.engine import create_engine_for, read_connection, sqlite_file
from newsdesk.store.migrate import check_schema, current_revision, upgrade
from newsdesk.store.sql_store import SqlStore, open_store

__all__ = [
    "SqlStore",
    "check_schema",
    "create_engine_for",
    "current_revision",
    "open_store",
    "read_connection",
    "sqlite_file",
    "upgrade",
]
