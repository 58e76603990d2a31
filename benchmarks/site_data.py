"""A newsdesk data dir with 100,000 (or a million) enriched articles, for the site benchmarks.

    .venv/bin/python benchmarks/site_data.py --out /tmp/newsdesk-site-100k
    .venv/bin/python benchmarks/site_data.py --out /tmp/newsdesk-site-1m --articles 1000000 \
        --days 365 --template-dir /tmp/newsdesk-site-100k
    .venv/bin/python benchmarks/site_data.py --out /tmp/newsdesk-site-1m-pg --articles 1000000 \
        --days 365 --template-dir /tmp/newsdesk-site-100k --database-url postgresql+psycopg://…
    .venv/bin/python benchmarks/site_data.py --out /tmp/site-small --articles 3000 --distinct 600

Reuters-21578 (../shared/corpus/reuters21578.jsonl.gz) has ~16,000 distinct usable stories.
Each is enriched once by the real Enricher (sectors, entities, facts, summary, related) in a
template database (DIR/enrich-template.db); the articles of the data dir are copies of those
stories, re-dated over the last --days days and spread over a dozen sources, grouped into
stories of one to four re-reports published within a day or two of each other. The template's
enrichment is replicated onto every copy with bulk inserts (SQLAlchemy Core executemany, one
transaction per few thousand rows); "Read more insights" links point to the copy of the related
story published closest before the article. Everything goes through open_store, so the
database has the store's own schema, indexes and migrations (search triggers and columns
included); the analysis roll-ups are then recounted as the migration that added them does.

With --database-url the articles go into that (PostgreSQL) database instead of DIR/newsdesk.db,
by COPY (benchmarks/site_data_load.py); the template stays a SQLite file. --template-dir reuses
the template of another data dir (enriching 16,000 stories takes a while on two cores). The
build prints and records its time per phase and the size of the database.

The result is cached: DIR/site-data.json records what was built; a later run with the same
parameters reuses the data dir while it is younger than --max-age-hours (the dates are relative
to the build; a database behind the newest migration is migrated in place), and the template
while its parameters match. The manifest also lists sample article ids, sectors and search
queries for the load tests.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import os
import random
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shared_data import reuters_corpus, run_benchmark
from site_data_load import after_load, bulk_insert, database_size, human_bytes, tune_for_build
from site_data_replicate import Copy, Template, read_template, replicate_enrichment
from sqlalchemy.engine import make_url

from newsdesk.domain import Source
from newsdesk.pipeline.enrich import Enricher, EnrichOptions
from newsdesk.store import open_store
from newsdesk.store.migrate import current_revision, head_revision, upgrade
from newsdesk.store.rollups import rebuild_rollups
from newsdesk.store.schema import (
    articles,
    stories,
)

MANIFEST = "site-data.json"
TEMPLATE_DB = "enrich-template.db"
TEMPLATE_MANIFEST = "enrich-template.json"
DATA_DB = "newsdesk.db"  # the file name Settings gives the SQLite database in a data dir
MIN_WORDS = 40
TEMPLATE_WINDOW_DAYS = 30  # the Enricher's related-articles window
STORY_SIZES = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4)  # re-reports per story
FORMAT_VERSION = 2  # 2: roll-ups recounted, PostgreSQL targets
TEMPLATE_FORMAT_VERSION = 1

# name, host, weight, rights
SOURCES = (
    ("Reuters Wire", "wire.example.com", 2.0, "excerpt"),
    ("Commodity Desk", "commodities.example.net", 1.5, "full"),
    ("Energy Ledger", "energy-ledger.example.org", 1.5, "excerpt"),
    ("Metals Weekly", "metals.example.com", 1.2, "excerpt"),
    ("Agri Markets", "agri.example.net", 1.0, "full"),
    ("Capital Flows", "capital.example.org", 1.0, "link"),
    ("Trade Monitor", "trade.example.com", 1.0, "excerpt"),
    ("Policy Brief", "policy.example.net", 0.8, "excerpt"),
    ("Markets Today", "markets.example.org", 0.8, "full"),
    ("Shipping Line", "shipping.example.com", 0.7, "excerpt"),
    ("Regional Business", "regional.example.net", 0.6, "link"),
    ("Industry Notes", "industry.example.org", 0.5, "excerpt"),
)
AUTHORS = ("Staff Reporter", "Markets Desk", "A. Correspondent", "Energy Team", "Trade Editor")


@dataclass(frozen=True)
class Doc:
    reuters_id: int
    title: str
    text: str
    html: str


def load_docs(limit: int | None) -> list[Doc]:
    """Distinct Reuters stories with a title and at least MIN_WORDS words, in corpus order."""
    docs: list[Doc] = []
    seen: set[str] = set()
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            body = (record.get("body") or "").strip()
            title = " ".join((record.get("title") or "").split())
            if not title or len(body.split()) < MIN_WORDS:
                continue
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n {3,}", body)]
            paragraphs = [p for p in paragraphs if p]
            if paragraphs and paragraphs[-1].rstrip(" .") in {"Reuter", "REUTER"}:
                paragraphs.pop()
            text = "\n\n".join(paragraphs)
            key = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
            if key in seen or not text:
                continue
            seen.add(key)
            docs.append(
                Doc(
                    reuters_id=int(record["id"]),
                    title=title.title(),
                    text=text,
                    html="".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
                )
            )
            if limit is not None and len(docs) == limit:
                break
    return docs


def article_row(
    article_id: int, doc: Doc, copy_no: int, source: int, published: datetime, story_id: int | None
) -> dict[str, Any]:
    name, host, _, _ = SOURCES[source]
    slug = re.sub(r"[^a-z0-9]+", "-", doc.title.lower()).strip("-")[:60]
    url = f"https://{host}/{published:%Y/%m/%d}/{slug}-{doc.reuters_id}-{copy_no}"
    fetched = published + timedelta(minutes=7)
    return {
        "id": article_id,
        "source_id": source + 1,
        "url": url,
        "canonical_url": url,
        "guid": url,
        "title": doc.title,
        "text": doc.text,
        "html": doc.html,
        "authors": [AUTHORS[(doc.reuters_id + copy_no) % len(AUTHORS)]],
        "published": published,
        "updated": None,
        "language": "en",
        "site_name": name,
        "image": None,
        "content_hash": hashlib.sha256(f"{copy_no}\n{doc.text}".encode()).hexdigest(),
        "fingerprint": None,
        "story_id": story_id,
        "fetched_at": fetched,
        "revised_at": None,
        "created_at": fetched,
        "extra": {},
    }


# --- the enrichment template ----------------------------------------------------------------


def build_template(path: Path, docs: Sequence[Doc], now: datetime, seed: int) -> None:
    """One article per doc (id = doc index + 1), enriched by the real Enricher."""
    path.unlink(missing_ok=True)
    store = open_store(f"sqlite:///{path}")
    try:
        rng = random.Random(seed)
        window = timedelta(days=TEMPLATE_WINDOW_DAYS - 1).total_seconds()
        dates = sorted(now - timedelta(seconds=rng.uniform(0, window)) for _ in docs)
        story_rows = [
            {"id": i + 1, "title": doc.title, "first_seen_at": d, "last_seen_at": d}
            for i, (doc, d) in enumerate(zip(docs, dates, strict=True))
        ]
        bulk_insert(store.engine, stories, story_rows)
        bulk_insert(
            store.engine,
            articles,
            (
                {**article_row(i + 1, doc, 0, i % len(SOURCES), d, i + 1), "source_id": None}
                for i, (doc, d) in enumerate(zip(docs, dates, strict=True))
            ),
        )
        enricher = Enricher(store, EnrichOptions(), clock=lambda: now)
        started = time.perf_counter()
        summary = enricher.run(list(range(1, len(docs) + 1)))
        rate = summary.articles / (time.perf_counter() - started)
        print(
            f"  template: {summary.line()} ({rate:.0f} articles/s through the real Enricher)",
            flush=True,
        )
        if summary.errors:
            print("  first errors:", *summary.errors[:3], sep="\n    ")
    finally:
        store.close()


# --- the data dir ---------------------------------------------------------------------------


def plan_copies(n_docs: int, n_articles: int, days: int, now: datetime, seed: int) -> list[Copy]:
    """n_articles copies of the docs in stories of STORY_SIZES re-reports, ordered by time."""
    rng = random.Random(seed)
    span = timedelta(days=days).total_seconds()
    copies: list[Copy] = []
    story = 0
    doc_order = list(range(n_docs))
    while len(copies) < n_articles:
        rng.shuffle(doc_order)
        for doc in doc_order:
            size = min(rng.choice(STORY_SIZES), n_articles - len(copies))
            first = now - timedelta(seconds=rng.uniform(0, span))
            for position, source in enumerate(rng.sample(range(len(SOURCES)), size)):
                delay = timedelta(hours=rng.uniform(0.5, 20) * position)
                copies.append(Copy(doc, story, source, min(first + delay, now)))
            story += 1
            if len(copies) == n_articles:
                break
    copies.sort(key=lambda c: c.published)
    return copies


def fresh_database(target: str) -> None:
    """Empty the target: delete the SQLite file, or drop the store's tables in PostgreSQL."""
    url = make_url(target)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            name.unlink(missing_ok=True)
        return
    store = open_store(target, migrate=False)
    try:
        # Only the store's own tables (and Alembic's record of them): a shared server keeps
        # whatever else it holds.
        with store.engine.begin() as connection:
            for table in reversed(stories.metadata.sorted_tables):
                connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{table.name}" CASCADE')
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    finally:
        store.close()


def build_data(
    target: str,
    docs: Sequence[Doc],
    copies: Sequence[Copy],
    template: Template,
    now: datetime,
    phases: dict[str, float],
) -> dict[str, Any]:
    fresh_database(target)
    store = open_store(target)
    engine = store.engine
    tune_for_build(engine)
    try:
        for name, host, weight, rights in SOURCES:
            store.add_source(
                Source(
                    url=f"https://{host}/feed.xml",
                    name=name,
                    weight=weight,
                    rights=rights,
                    last_success_at=now,
                    next_fetch_at=now + timedelta(hours=1),
                    created_at=now - timedelta(days=120),
                )
            )
        # Ids follow publication order, as they do when a live instance ingests.
        story_ids: dict[int, int] = {}
        story_first: dict[int, int] = {}  # story -> its first copy's index
        story_last: dict[int, datetime] = {}
        for index, copy in enumerate(copies):
            if copy.story not in story_ids:
                story_ids[copy.story] = len(story_ids) + 1
                story_first[copy.story] = index
            story_last[copy.story] = copy.published

        def story_rows() -> Iterator[dict[str, Any]]:
            for story, story_id in story_ids.items():
                first = copies[story_first[story]]
                yield {
                    "id": story_id,
                    "title": docs[first.doc].title,
                    "first_seen_at": first.published,
                    "last_seen_at": story_last[story],
                    # Every report of a story here is one text: its summary is the story's.
                    "summary": template.enrichment.get(first.doc, {}).get("summary", ""),
                }

        def article_rows() -> Iterator[dict[str, Any]]:
            copy_numbers: Counter[int] = Counter()
            for article_id, copy in enumerate(copies, start=1):
                copy_numbers[copy.doc] += 1
                yield article_row(
                    article_id,
                    docs[copy.doc],
                    copy_numbers[copy.doc],
                    copy.source,
                    copy.published,
                    story_ids[copy.story],
                )

        started = time.perf_counter()
        bulk_insert(engine, stories, story_rows())
        bulk_insert(engine, articles, article_rows())
        phases["articles_and_stories"] = time.perf_counter() - started
        print(f"  articles and stories: {phases['articles_and_stories']:.1f} s", flush=True)
        started = time.perf_counter()
        counts = replicate_enrichment(engine, copies, story_ids, template, now)
        phases["enrichment_rows"] = time.perf_counter() - started
        print(f"  enrichment rows: {counts} in {phases['enrichment_rows']:.1f} s", flush=True)
        started = time.perf_counter()
        with engine.begin() as connection:
            rebuild_rollups(connection)
        phases["rollups"] = time.perf_counter() - started
        print(f"  analysis roll-ups: {phases['rollups']:.1f} s", flush=True)
        started = time.perf_counter()
        after_load(engine, stories.metadata.sorted_tables)
        phases["analyze"] = time.perf_counter() - started
        print(f"  sequences and statistics: {phases['analyze']:.1f} s", flush=True)
        size = database_size(engine)
        print(f"  database: {human_bytes(size['bytes'])}", flush=True)
        for name, count in size["largest"].items():
            print(f"    {name:<40} {human_bytes(count):>10}")
        return {"database_size": size, **sample_targets(docs, copies, template, now)}
    finally:
        store.close()


def sample_targets(
    docs: Sequence[Doc], copies: Sequence[Copy], template: Template, now: datetime
) -> dict[str, Any]:
    """What the load tests request: recent article ids, sectors, and search queries."""
    rng = random.Random(7)
    recent = [i for i, c in enumerate(copies, start=1) if c.published >= now - timedelta(days=7)]
    enriched = [i for i in recent if copies[i - 1].doc in template.enrichment]
    sectors = Counter(s["sector_id"] for labels in template.sectors.values() for s in labels)
    mentioned = Counter(m["entity_id"] for mentions in template.mentions.values() for m in mentions)
    names = {e["id"]: e["name"] for e in template.entities}
    common_entities = [names[e] for e, _ in mentioned.most_common(40) if e in names]
    words = Counter(
        w.lower() for doc in docs for w in re.findall(r"[A-Za-z]{5,}", doc.title) if w.isalpha()
    )
    title_words = [w for w, _ in words.most_common(80)][10:]
    queries = [
        *rng.sample(common_entities, min(12, len(common_entities))),
        *rng.sample(title_words, min(12, len(title_words))),
        *(
            f"{a} {b}"
            for a, b in zip(
                rng.sample(title_words, min(8, len(title_words))),
                rng.sample(title_words, min(8, len(title_words))),
                strict=True,
            )
        ),
    ]
    return {
        "article_ids": rng.sample(enriched, min(200, len(enriched))),
        "sectors": [s for s, _ in sectors.most_common()],
        "search_queries": queries,
    }


# --- caching --------------------------------------------------------------------------------


def database_target(out: Path, database_url: str | None) -> str:
    """Where the articles go: database_url, else the data dir's own SQLite file."""
    return database_url or f"sqlite:///{out / DATA_DB}"


def database_exists(target: str) -> bool:
    url = make_url(target)
    if url.get_backend_name() == "sqlite":
        return Path(url.database or "").exists()
    return current_revision(target) is not None


def fresh_manifest(
    out: Path, target: str, wanted: dict[str, Any], max_age_hours: float
) -> dict[str, Any]:
    """The cached manifest if the data can be reused as it is, else {}."""
    try:
        manifest: dict[str, Any] = json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    if manifest.get("parameters") != wanted or not database_exists(target):
        return {}
    built = datetime.fromisoformat(manifest["built_at"])
    if datetime.now(UTC) - built > timedelta(hours=max_age_hours):
        return {}
    if current_revision(target) != head_revision():
        # As a live instance would be: migrated in place, data kept.
        print(f"migrating {make_url(target)!r} to {head_revision()}", flush=True)
        upgrade(target)
    return manifest


def template_is_current(template_dir: Path, wanted: dict[str, Any]) -> bool:
    try:
        built = json.loads((template_dir / TEMPLATE_MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    # Only its enrichment tables are read, so a newer schema elsewhere does not matter.
    return bool(built == wanted and (template_dir / TEMPLATE_DB).exists())


def ensure_site_data(
    out: Path,
    *,
    articles_wanted: int = 100_000,
    distinct: int | None = None,
    days: int = 90,
    seed: int = 1,
    max_age_hours: float = 24.0,
    rebuild: bool = False,
    database_url: str | None = None,
    template_dir: Path | None = None,
    reuse_only: bool = False,
) -> dict[str, Any]:
    """Build (or reuse) the data at out (or in database_url); returns its manifest.
    reuse_only: exit instead of building (a build replaces what is there)."""
    out.mkdir(parents=True, exist_ok=True)
    target = database_target(out, database_url)
    parameters = {
        "articles": articles_wanted,
        "distinct": distinct,
        "days": days,
        "seed": seed,
        "format": FORMAT_VERSION,
        "database": make_url(target).render_as_string(hide_password=True),
    }
    template_parameters = {"distinct": distinct, "seed": seed, "format": TEMPLATE_FORMAT_VERSION}
    if not rebuild:
        cached = fresh_manifest(out, target, parameters, max_age_hours)
        if cached:
            print(f"reusing {out} (built {cached['built_at']})", flush=True)
            return cached
    if reuse_only:
        raise SystemExit(
            f"{out} cannot be reused with these parameters ({parameters}, at most "
            f"{max_age_hours} hours old) and --reuse-only forbids building it"
        )
    started = time.perf_counter()
    phases: dict[str, float] = {}
    now = datetime.now(UTC).replace(microsecond=0)
    docs = load_docs(distinct)
    print(f"{len(docs)} distinct Reuters stories", flush=True)
    template_dir = template_dir or out
    template_dir.mkdir(parents=True, exist_ok=True)
    if (rebuild and template_dir == out) or not template_is_current(
        template_dir, template_parameters
    ):
        print("enriching them once through the real Enricher …", flush=True)
        (template_dir / TEMPLATE_MANIFEST).unlink(missing_ok=True)
        build_template(template_dir / TEMPLATE_DB, docs, now, seed)
        (template_dir / TEMPLATE_MANIFEST).write_text(json.dumps(template_parameters))
        phases["template"] = time.perf_counter() - started
    template = read_template(template_dir / TEMPLATE_DB)
    print(f"building {articles_wanted} articles over {days} days …", flush=True)
    copies = plan_copies(len(docs), articles_wanted, days, now, seed)
    samples = build_data(target, docs, copies, template, now, phases)
    manifest = {
        "parameters": parameters,
        "built_at": now.isoformat(),
        "revision": head_revision(),
        "articles": len(copies),
        "stories": len({c.story for c in copies}),
        "distinct_docs": len(docs),
        "build_seconds": round(time.perf_counter() - started, 1),
        "phase_seconds": {name: round(seconds, 1) for name, seconds in phases.items()},
        "load_average": os.getloadavg()[0],
        **samples,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2))
    print(f"built {out} in {manifest['build_seconds']} s", flush=True)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/newsdesk-site-100k"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=None, help="Reuters stories used")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-age-hours", type=float, default=24.0)
    parser.add_argument("--rebuild", action="store_true", help="ignore the cache")
    parser.add_argument(
        "--database-url", help="build in this (PostgreSQL) database instead of DIR/newsdesk.db"
    )
    parser.add_argument(
        "--template-dir", type=Path, help="where the enriched template is (default: --out)"
    )
    args = parser.parse_args()
    manifest = ensure_site_data(
        args.out,
        articles_wanted=args.articles,
        distinct=args.distinct,
        days=args.days,
        seed=args.seed,
        max_age_hours=args.max_age_hours,
        rebuild=args.rebuild,
        database_url=args.database_url,
        template_dir=args.template_dir,
    )
    size = manifest.get("database_size", {}).get("bytes")
    print(
        f"{manifest['articles']} articles, {manifest['stories']} stories from "
        f"{manifest['distinct_docs']} Reuters stories in {manifest['build_seconds']} s"
        + (f", database {human_bytes(size)}" if size else "")
        + f"; NEWSDESK_DATA_DIR={args.out}"
        + (f" NEWSDESK_DATABASE_URL={args.database_url}" if args.database_url else "")
    )


if __name__ == "__main__":
    run_benchmark(main)
