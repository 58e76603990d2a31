"""Fixtures of the report tests: the small world on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from report_world import World, build

from newsdesk.store import SqlStore


@pytest.fixture
def world(store: SqlStore) -> World:
    return build(store)
