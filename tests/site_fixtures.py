"""Site fixtures, a pytest plugin of tests/conftest.py for the publish and deliver tests: the
demo corpus ingested once per session, an ASGI client over it, the site served by uvicorn on
loopback, and headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.store import SqlStore, open_store
from ports import bound_socket, port_of
from research_data import require_browser
from site_viewers import enrol_viewers

T = TypeVar("T")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


ADMIN_PASSWORD = "test-admin-password"
ADMIN_AUTH = ("admin", ADMIN_PASSWORD)


def free_port() -> int:
    """A port free a moment ago. It races (another process may take it before the server
    binds it): tests/ports.py has the ways that do not."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def site_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "secret_key": "test-secret-key",
        "admin_password": ADMIN_PASSWORD,
        "fetch_host_delay": 0.0,
        # Site tests make hundreds of requests from one address: quotas are off but in their
        # own tests (test_publish_quotas.py).
        "pro_quota_scale": 0.0,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def ingest_demo(data_dir: Path, *, now: datetime | None = None) -> None:
    """The demo corpus (its clock at now, default the wall clock) ingested into data_dir
    through the real fetch path and enriched, as `newsdesk demo` does: a backfill, each
    article seen when it was published."""
    from newsdesk.bootstrap import enrich_articles, ingest_options
    from newsdesk.demo import DemoSourceServer
    from newsdesk.domain import Source
    from newsdesk.pipeline.ingest import IngestRunner
    from newsdesk.pipeline.source_setup import register_source

    server = DemoSourceServer(now=now)  # on a port of its choosing
    server.start()
    try:
        settings = site_settings(
            data_dir, fetch_allow_hosts=server.base_url.removeprefix("http://")
        )
        store = open_store(settings.store.sqlalchemy_url)
        try:
            for name, url, kind in server.source_urls():
                register_source(store, Source(url=url, name=name, kind=kind))
            options = replace(ingest_options(settings), seen_at_publication=True)
            runner = IngestRunner(store, options)
            summary = _run_in_thread(runner.run)
            assert summary.failed == 0
            enrich_articles(store, settings, summary.changed_ids)
        finally:
            store.close()
    finally:
        server.stop()


def demo_built_at() -> datetime | None:
    """When the session's demo is dated as built: now (None), or NEWSDESK_TEST_DEMO_AGE_MINUTES
    before now. A slow run reads the demo hours after building it; an age replays that at once,
    so a test that assumes what is "recent" can be checked against a clock that moved on: two
    hours, or past midnight, a Monday or the 1st."""
    age = os.environ.get("NEWSDESK_TEST_DEMO_AGE_MINUTES", "")
    if not age:
        return None
    return datetime.now(UTC) - timedelta(minutes=int(age))


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the demo corpus, ingested through the real fetch path and enriched."""
    data_dir = tmp_path_factory.mktemp("demo-site")
    ingest_demo(data_dir, now=demo_built_at())
    store = open_store(site_settings(data_dir).store.sqlalchemy_url)
    try:
        enrol_viewers(store)  # the members the site tests sign in as (site_viewers)
    finally:
        store.close()
    return data_dir


def _run_in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """asyncio.run in a thread of its own: Playwright's sync API owns this thread's loop."""
    results: list[T] = []
    worker = threading.Thread(target=lambda: results.append(asyncio.run(make())))
    worker.start()
    worker.join()
    if not results:
        raise RuntimeError("demo ingest failed; see the thread's traceback above")
    return results[0]


@pytest.fixture
def demo_copy(demo_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data dir, for tests that write (forms, admin edits)."""
    target = tmp_path / "demo-copy"
    shutil.copytree(demo_data_dir, target)
    return target


def _client(data_dir: Path) -> Iterator[tuple[TestClient, SqlStore, Settings]]:
    from newsdesk.bootstrap import build_site

    settings = site_settings(data_dir)
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store)) as client:
            yield client, store, settings
    finally:
        store.close()


@pytest.fixture
def demo_client(demo_data_dir: Path) -> Iterator[TestClient]:
    """An ASGI client over the shared demo data: read-only tests only."""
    for client, _, _ in _client(demo_data_dir):
        yield client


@pytest.fixture
def writable_demo(demo_copy: Path) -> Iterator[tuple[TestClient, SqlStore, Settings]]:
    """(client, store, settings) over a private copy of the demo data."""
    yield from _client(demo_copy)


@pytest.fixture(scope="session")
def live_site(demo_data_dir: Path) -> Iterator[str]:
    """The demo site served by uvicorn on loopback; yields its base URL."""
    yield from serve_site(demo_data_dir)


def serve_site(data_dir: Path, **overrides: object) -> Iterator[str]:
    """The site over data_dir (settings overridden as given) served by uvicorn on loopback,
    as `newsdesk serve` builds it; yields its base URL and stops it afterwards."""
    import uvicorn

    from newsdesk.bootstrap import build_site

    sock = bound_socket()  # uvicorn listens on it: no other process can take the port
    port = port_of(sock)
    settings = site_settings(data_dir, base_url=f"http://127.0.0.1:{port}", **overrides)
    store = open_store(settings.store.sqlalchemy_url)
    server = uvicorn.Server(
        uvicorn.Config(
            build_site(settings, store), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Headless Chromium from the Debian package, one browser per test module.

    Not per session: while Playwright's sync API is active it keeps an event loop running on
    this thread, and every later test that calls asyncio.run would fail."""
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser page; a screenshot of where it ended is kept in test-artifacts/."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    browser_page = context.new_page()
    errors: list[str] = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield browser_page
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
        browser_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _site_builder(
    database_url: str, data_dir: Path, stores: list[SqlStore]
) -> Callable[..., tuple[Any, SqlStore, Settings]]:
    from newsdesk.bootstrap import build_site

    def build(**overrides: object) -> tuple[Any, SqlStore, Settings]:
        settings = site_settings(data_dir, database_url=database_url, **overrides)
        store = open_store(database_url)
        stores.append(store)
        return build_site(settings, store), store, settings

    return build


@pytest.fixture
def empty_site(
    database_url: str, tmp_path: Path
) -> Iterator[Callable[..., tuple[Any, SqlStore, Settings]]]:
    """build(**settings) -> (app, store, settings): the whole app (publish and deliver) over
    an empty database on each backend, as `newsdesk serve` builds it."""
    stores: list[SqlStore] = []
    yield _site_builder(database_url, tmp_path / "data", stores)
    for store in stores:
        store.close()


@pytest.fixture(scope="module")
def shared_empty_site(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, SqlStore, Settings]]:
    """(app, store, settings) over an empty database, one per module and backend: for tests
    that neither write nor depend on rate-limit state."""
    stores: list[SqlStore] = []
    yield _site_builder(module_database_url, tmp_path_factory.mktemp("data"), stores)()
    for store in stores:
        store.close()
