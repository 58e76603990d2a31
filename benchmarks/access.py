"""What the access policy costs an article page at 100,000 articles, and signed-in against
anonymous article-page throughput in the same run (issue 12's figures).

    .venv/bin/python benchmarks/access.py                           # data of site_data.py
    .venv/bin/python benchmarks/access.py --data /tmp/site-small --articles 2000 --distinct 200

Uses (or builds) the data dir of benchmarks/site_data.py; makes a third of its sources `pro`
and a sixth `members` (articles follow their source), and enrols a free and a Pro member
with a session each, through the members' store API. Then, in process:

1. The access part of an article page, per page, over --pages articles spread over the
   whole id range: resolving the session cookie into a Viewer from the store (what every
   signed-in request pays), and decide() plus cutting the page's item (gated_article: body,
   summary, entities, facts, related teasers) for an anonymous, a free and a Pro viewer.
   p50/p95 in microseconds, medians over --runs runs.
2. Article pages per second through the whole app (ASGI, no network), anonymous and signed
   in as the Pro member, the two interleaved page by page in each run so the machine's load
   hits both alike; the ratio of the medians is the figure (target: within 20 %).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from site_data import ensure_site_data
from starlette.requests import Request

from newsdesk.bootstrap import build_site, members_options
from newsdesk.config import Settings
from newsdesk.domain.access import ANONYMOUS, DEFAULT_POLICY, Plan, Viewer, Visibility
from newsdesk.members.secrets import digest
from newsdesk.members.viewer import MemberViewerResolver
from newsdesk.publish.gating import gated_article
from newsdesk.publish.web.reader import Reader
from newsdesk.store import SqlStore, open_store

FREE_SESSION = "benchmark-session-free"
PRO_SESSION = "benchmark-session-pro"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def prepare(store: SqlStore, now: datetime) -> None:
    """Pro and members sources, and the two members (idempotent)."""
    for index, source in enumerate(store.list_sources()):
        wanted = (Visibility.PRO, Visibility.MEMBERS, Visibility.PUBLIC, Visibility.PRO)[index % 4]
        if source.visibility is not wanted:
            store.update_source(replace(source, visibility=wanted))
    if store.member_by_email("pro@benchmark.example") is not None:
        return
    month = now + timedelta(days=365)
    for email, token in (
        ("free@benchmark.example", FREE_SESSION),
        ("pro@benchmark.example", PRO_SESSION),
    ):
        member = store.ensure_member(email, now=now)
        if token == PRO_SESSION:
            store.grant_plan(
                member.id,
                Plan.PRO,
                until=month,
                source="cli",
                reason="bench",
                actor="bench",
                now=now,
            )
        store.create_session(
            member.id, digest(token), now=now, expires_at=month, user_agent="bench", ip=None
        )


def request_with(cookie: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "query_string": b"",
            "headers": [(b"cookie", f"nd_session={cookie}".encode())],
            "path_params": {},
        }
    )


def micro(call: object, repeat: int = 1) -> float:
    started = time.perf_counter_ns()
    for _ in range(repeat):
        call()  # type: ignore[operator]
    return (time.perf_counter_ns() - started) / 1000 / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/newsdesk-site-100k"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--articles", type=int, default=100_000, help="site_data.py's size")
    parser.add_argument("--distinct", type=int, default=None, help="Reuters stories used")
    args = parser.parse_args()
    manifest = ensure_site_data(args.data, articles_wanted=args.articles, distinct=args.distinct)
    # Quotas are counted as in production, at a scale no run reaches (a 429 is no page).
    settings = Settings(data_dir=args.data, pro_quota_scale=1000)  # type: ignore[call-arg]
    store = open_store(settings.store.sqlalchemy_url)
    now = datetime.now(UTC)
    prepare(store, now)
    count = store.count_articles()
    rng = random.Random(12)
    ids = sorted(rng.sample(range(1, store.max_article_id() + 1), args.pages))
    details = [d for d in (store.article_detail(i) for i in ids) if d is not None]
    shares = {v: sum(d.visibility is v for d in details) for v in Visibility}
    resolver = MemberViewerResolver(store, members_options(settings))
    pro_viewer = resolver(request_with(PRO_SESSION))
    free_viewer = resolver(request_with(FREE_SESSION))
    assert pro_viewer.plan is Plan.PRO
    assert free_viewer.plan is Plan.FREE
    viewers: dict[str, Viewer] = {"anonymous": ANONYMOUS, "free": free_viewer, "pro": pro_viewer}

    print(f"{count} articles in {args.data} (built {manifest['built_at']}); {len(details)} pages")
    print("visibility of the pages: " + ", ".join(f"{v.value} {n}" for v, n in shares.items()))
    print(f"load: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores\n")

    rows: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.runs):
        costs = [micro(lambda: resolver(request_with(PRO_SESSION))) for _ in details]
        rows.setdefault("resolve the session (store)", []).append(
            (percentile(costs, 0.5), percentile(costs, 0.95))
        )
        for name, viewer in viewers.items():
            costs = []
            for detail in details:
                reader = Reader.of(viewer, now, DEFAULT_POLICY)
                costs.append(micro(lambda: gated_article(detail, reader), repeat=5))  # noqa: B023
            rows.setdefault(f"decide + cut the page ({name})", []).append(
                (percentile(costs, 0.5), percentile(costs, 0.95))
            )
    print("access cost per article page (in process)      p50 µs    p95 µs")
    for label, values in rows.items():
        p50 = statistics.median(v[0] for v in values)
        p95 = statistics.median(v[1] for v in values)
        print(f"  {label:<44}{p50:>8.1f}  {p95:>8.1f}")

    client = TestClient(build_site(settings, store))
    signed_in = {"cookie": f"nd_session={PRO_SESSION}"}
    for path in (f"/articles/{ids[0]}", f"/articles/{ids[-1]}"):  # warm up both
        client.get(path)
        client.get(path, headers=signed_in)
    rates: dict[str, list[float]] = {"anonymous": [], "signed in (pro)": []}
    for _ in range(args.runs):
        spent = {"anonymous": 0.0, "signed in (pro)": 0.0}
        for article_id in ids:
            for label, headers in (("anonymous", {}), ("signed in (pro)", signed_in)):
                started = time.perf_counter()
                response = client.get(f"/articles/{article_id}", headers=headers)
                spent[label] += time.perf_counter() - started
                assert response.status_code == 200, response.status_code
        for label, seconds in spent.items():
            rates[label].append(len(ids) / seconds)
    print("\narticle pages per second (whole app, in process, interleaved)")
    medians = {label: statistics.median(values) for label, values in rates.items()}
    for label, rate in medians.items():
        print(f"  {label:<20}{rate:>8.1f}  (runs: {', '.join(f'{r:.0f}' for r in rates[label])})")
    ratio = medians["signed in (pro)"] / medians["anonymous"]
    verdict = "within" if ratio >= 0.8 else "NOT within"
    print(f"  signed in / anonymous: {ratio:.2f} ({verdict} the 20 % target)")
    print(f"load: {os.getloadavg()[0]:.2f} (1 min) at the end")
    store.close()


if __name__ == "__main__":
    main()
