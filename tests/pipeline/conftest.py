"""Fixtures for pipeline tests: the fixture site lives in conftest_site (shared with CLI tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest_site import FixtureSite, serve_fixture_site

__all__ = ["FixtureSite"]


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with serve_fixture_site() as server:
        yield server
