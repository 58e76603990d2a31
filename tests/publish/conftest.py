"""Fixtures of the publish tests: the leak world (the demo plus a Pro piece with a canary)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from leak_world import LeakWorld, build_leak_world

from newsdesk.store import open_store
from site_fixtures import site_settings
from site_viewers import FakeResolver, use_test_viewers


@pytest.fixture(scope="session")
def leak_world(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> LeakWorld:
    return build_leak_world(demo_data_dir, tmp_path_factory.mktemp("leak") / "data")


@pytest.fixture(scope="module")
def leak_site(leak_world: LeakWorld) -> Iterator[tuple[TestClient, FakeResolver]]:
    """The site over the leak world (read-only), resolving test viewers by name."""
    from newsdesk.bootstrap import build_site

    settings = site_settings(leak_world.data_dir)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store)) as client:
            yield client, use_test_viewers(client.app)
    finally:
        store.close()


@pytest.fixture
def leak_client(leak_site: tuple[TestClient, FakeResolver]) -> TestClient:
    return leak_site[0]
