"""Building a runner the way bootstrap does, but pointed at the fixture site."""

from __future__ import annotations

import asyncio
from pathlib import Path

from newsdesk.dedup import DedupOptions
from newsdesk.domain import Source, SourceKind
from newsdesk.extract import ExtractOptions
from newsdesk.fetch import FetchOptions
from newsdesk.pipeline.ingest import IngestOptions, IngestRunner, IngestSummary
from newsdesk.sources import ParseOptions
from newsdesk.store import SqlStore, open_store


def options_for(port: int, **fetch: object) -> IngestOptions:
    settings: dict[str, object] = {
        "user_agent": "newsdesk-test/1.0 (+https://example.invalid/contact)",
        "timeout": 5.0,
        "retries": 0,
        "host_delay": 0.0,
        "allow_hosts": (f"127.0.0.1:{port}",),
    }
    settings.update(fetch)
    return IngestOptions(
        fetch=FetchOptions(**settings),  # type: ignore[arg-type]
        extract=ExtractOptions(),
        parse=ParseOptions(),
        dedup=DedupOptions(),
    )


def sqlite_store(tmp_path: Path) -> SqlStore:
    return open_store(f"sqlite:///{tmp_path / 'newsdesk.db'}")


def add_feed(store: SqlStore, url: str, name: str = "", **fields: object) -> Source:
    return store.add_source(Source(url=url, name=name or url, kind=SourceKind.FEED, **fields))  # type: ignore[arg-type]


def ingest(store: SqlStore, options: IngestOptions, *, force: bool = True) -> IngestSummary:
    return asyncio.run(IngestRunner(store, options).run(force=force))
