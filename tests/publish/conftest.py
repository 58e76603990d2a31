"""Fixtures of the publish tests: the leak world (the demo plus a Pro piece with a canary, and
the real members of site_viewers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from leak_world import LeakWorld, build_leak_world

from newsdesk.store import open_store
from site_fixtures import site_settings


@pytest.fixture(scope="session")
def leak_world(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> LeakWorld:
    return build_leak_world(demo_data_dir, tmp_path_factory.mktemp("leak") / "data")


@pytest.fixture(scope="module")
def leak_client(leak_world: LeakWorld) -> Iterator[TestClient]:
    """The site over the leak world (read-only), as bootstrap builds it: viewers are resolved
    by the members package from real sessions, API keys and feed tokens."""
    from newsdesk.bootstrap import build_site

    settings = site_settings(leak_world.data_dir)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store)) as client:
            yield client
    finally:
        store.close()
