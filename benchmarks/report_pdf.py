"""Report PDFs through the site: the first request (rendered) against the next ones (from
the PDF cache) and a revalidation (304), beside /healthz in the same run; then bursts of
requests at once, counting renders and refusals.

    .venv/bin/python benchmarks/report_pdf.py                       # the demo corpus
    .venv/bin/python benchmarks/report_pdf.py --data /tmp/newsdesk-site-100k --runs 3

In process (the site's app under Starlette's TestClient, as a Pro member), over the data
dir's database (default: `newsdesk demo --no-serve` into a temporary directory, about ten
seconds; benchmarks/site_data.py builds the 100,000-article set). Each run starts with an
empty PDF cache in a temporary data directory and times, for the busiest sector's week and
the most named entity's 28-day dossier: the first request (a render), --repeats more
(served from the cache) and one with If-None-Match (304); medians over --runs runs, with
the load average. "burst distinct" is --burst requests at once for as many weekly
briefings (the weeks before), none kept: at most NEWSDESK_REPORT_PDF_RENDERS render, the
others wait or get 503 at once; "burst same" is --burst requests at once for one PDF not
yet kept: one render, the others wait for it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.domain.access import Plan, Viewer, ViewerKind
from newsdesk.domain.reports import iso_week_of
from newsdesk.enrich.sectors.taxonomy import load_taxonomy
from newsdesk.publish.web.context import current_viewer
from newsdesk.store import SqlStore, open_store

PRO = Viewer(ViewerKind.MEMBER, 1, Plan.PRO)


def demo_data(directory: Path) -> Path:
    """The demo corpus ingested into directory (through `newsdesk demo --no-serve`)."""
    newsdesk = Path(sys.executable).with_name("newsdesk")
    subprocess.run(
        [str(newsdesk), "demo", "--no-serve", "--port", "0", "--data-dir", str(directory)],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "NEWSDESK_CONFIG": str(directory / "absent.toml")},
    )
    return directory


@contextmanager
def site(database: Path, renders: int) -> Iterator[TestClient]:
    """The site over database, its PDF cache in a fresh temporary data directory."""
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),  # type: ignore[call-arg]
            database_url=f"sqlite:///{database}",
            secret_key="benchmark-secret-key",
            pro_quota_scale=0.0,
            report_pdf_renders=renders,
        )
        store = open_store(settings.store.sqlalchemy_url, migrate=False)
        app = build_site(settings, store)
        app.dependency_overrides[current_viewer] = lambda: PRO
        try:
            with TestClient(app) as client:
                yield client
        finally:
            store.close()


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def get(client: TestClient, url: str, **headers: str) -> tuple[int, str]:
    response = client.get(url, headers=headers)
    return response.status_code, response.headers.get("x-pdf-cache", "")


def busiest(store: SqlStore) -> tuple[str, str, list[str], str, str, str]:
    """(sector, its busiest week of the last eight, the weeks before it, entity, from, to)."""
    sectors = [sector.id for sector in load_taxonomy(None).sectors]
    newest = store.newest_published()
    assert newest is not None, "the data dir has no dated article"
    series = store.sector_weekly_counts(sectors, weeks=8, end=newest)
    top = max(series, key=lambda s: max(s.counts))
    at = top.counts.index(max(top.counts))
    week = iso_week_of(newest - timedelta(weeks=len(top.counts) - 1 - at))
    earlier = [iso_week_of(newest - timedelta(weeks=n)) for n in range(len(top.counts) - at, 60)]
    entity = store.entity_listing(limit=1)[0].entity.id
    first, last = newest.date() - timedelta(days=27), newest.date()
    return top.key, week, earlier, entity, first.isoformat(), last.isoformat()


def one_run(client: TestClient, urls: dict[str, str], repeats: int) -> dict[str, float]:
    healthz = statistics.median(seconds(lambda: client.get("/healthz")) for _ in range(5))
    figures = {"healthz": healthz}
    for name, url in urls.items():
        started = time.perf_counter()
        status, cache = get(client, url)
        figures[f"{name} first"] = time.perf_counter() - started
        assert (status, cache) == (200, "miss"), (url, status, cache)
        cached = []
        for _ in range(repeats):
            started = time.perf_counter()
            status, cache = get(client, url)
            cached.append(time.perf_counter() - started)
            assert (status, cache) == (200, "hit"), (url, status, cache)
        figures[f"{name} cached"] = statistics.median(cached)
        revalidate = {"If-None-Match": client.get(url).headers["etag"]}
        status = client.get(url, headers=revalidate).status_code
        assert status == 304, (url, status)
        figures[f"{name} 304"] = seconds(lambda u=url, h=revalidate: client.get(u, headers=h))
    return figures


def burst(client: TestClient, urls: list[str]) -> tuple[Counter[str], float]:
    """len(urls) GETs released at once: their outcomes (miss, hit, 503…) and the seconds."""
    gate = threading.Barrier(len(urls))

    def one(url: str) -> str:
        gate.wait()
        status, cache = get(client, url)
        return cache if status == 200 else str(status)

    with ThreadPoolExecutor(len(urls)) as pool:
        started = time.perf_counter()
        outcomes = Counter(pool.map(one, urls))
        return outcomes, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data dir (default: the demo corpus)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5, help="cached requests per run")
    parser.add_argument("--burst", type=int, default=8, help="requests at once")
    parser.add_argument("--renders", type=int, default=2, help="NEWSDESK_REPORT_PDF_RENDERS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-pdf-demo-") as scratch:
        data = args.data or demo_data(Path(scratch))
        database = data / "newsdesk.db"
        if not database.is_file():
            raise SystemExit(f"no newsdesk.db in {data}")
        store = open_store(f"sqlite:///{database}", migrate=False)
        try:
            sector, week, earlier, entity, first, last = busiest(store)
            articles = store.count_articles()
        finally:
            store.close()
        urls = {
            "sector week": f"/reports/sectors/{sector}/{week}.pdf",
            "dossier": f"/reports/entities/{entity}.pdf?from={first}&to={last}",
        }
        print(f"{articles:,} articles; {sector} {week}; {entity} {first}..{last}")
        print(f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.runs} runs")
        runs = []
        for _ in range(args.runs):
            with site(database, args.renders) as client:
                runs.append(one_run(client, urls, args.repeats))
        print(f"\n{'request':<20} {'median ms':>10} {'× healthz':>10}")
        healthz = statistics.median(run["healthz"] for run in runs)
        for name in runs[0]:
            value = statistics.median(run[name] for run in runs)
            print(f"{name:<20} {value * 1000:10.1f} {value / healthz:10.0f}")
        for name in urls:
            first_s = statistics.median(run[f"{name} first"] for run in runs)
            cached_s = statistics.median(run[f"{name} cached"] for run in runs)
            print(f"{name}: cached is {first_s / cached_s:.0f}× faster than the first request")
        with site(database, args.renders) as client:
            distinct = [f"/reports/sectors/{sector}/{w}.pdf" for w in earlier[: args.burst]]
            outcomes, took = burst(client, distinct)
            print(f"\nburst distinct ({len(distinct)} at once): {dict(outcomes)} in {took:.1f} s")
            outcomes, took = burst(client, [urls["sector week"]] * args.burst)
            print(f"burst same ({args.burst} at once): {dict(outcomes)} in {took:.1f} s")
        print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
