"""Alembic migration environment of the store; run through newsdesk.store.migrate."""
