"""Search engines on the same queries: SQLite FTS5 and PostgreSQL full-text search as newsdesk
uses them now (recency tiers), the same ranking over every match (as before), and Tantivy.

    .venv/bin/python benchmarks/search_engines.py --data /tmp/newsdesk-site-1m
    .venv/bin/python benchmarks/search_engines.py --data /tmp/newsdesk-site-1m \\
        --pg-data /tmp/newsdesk-site-1m-pg --database-url postgresql+psycopg://…
    pip install tantivy   # for the Tantivy column (not a newsdesk dependency); else it is skipped

The data dirs are those of benchmarks/site_data.py (the SQLite and the PostgreSQL build of the
same set). Queries: the manifest's 32 (12 entity names, 12 common title words, 8 pairs). Each
engine answers "the best 21 articles with every word", title weighted over text, one query at
a time in this process; the figure is CPU time per query (this process's, plus the PostgreSQL
backend's read from /proc), p50 and p95 over the queries, median of --runs runs. CPU, not wall
time, because the machine is shared: the wall time of one query depends on who else runs.

Tantivy's index is built from the SQLite articles into DIR/tantivy (once; its build time and
size are printed). It ranks every match by BM25 with block-max WAND, so it reads only the
postings that can still enter the top 21.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from site_data_load import human_bytes
from sqlalchemy import text

from newsdesk.store import SqlStore, open_store
from newsdesk.store.search_repo import query_terms

TOP = 21
Runner = Callable[[str], object]


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) of process pid."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(name: str, run: Runner, queries: list[str], runs: int, backend: int | None) -> None:
    """Per-query CPU ms (p50, p95) as the median of runs; the backend's CPU is added as a mean
    per query (its clock ticks are too coarse to time one query)."""
    for query in queries:  # warm the caches
        run(query)
    p50s, p95s, backend_ms = [], [], []
    for _ in range(runs):
        times = []
        backend_before = cpu_of(backend) if backend else 0.0
        for query in queries:
            started = time.process_time()
            run(query)
            times.append((time.process_time() - started) * 1000)
        if backend:
            backend_ms.append((cpu_of(backend) - backend_before) * 1000 / len(queries))
        times.sort()
        p50s.append(statistics.median(times))
        p95s.append(times[min(len(times) - 1, int(len(times) * 0.95))])
    extra = backend_ms and statistics.median(backend_ms)
    line = f"  {name:<44} p50 {statistics.median(p50s):7.2f}  p95 {statistics.median(p95s):7.2f}"
    if backend:
        line += f"  + backend {extra:6.2f} mean"
    print(line, flush=True)


def fts5_every_match(store: SqlStore) -> Runner:
    """SQLite, as before recency tiers: bm25 of every match, sorted, the best 21 kept."""
    statement = text(
        "SELECT rowid, -bm25(articles_fts, 10.0, 1.0) AS score FROM articles_fts "
        "WHERE articles_fts MATCH :match ORDER BY score DESC, rowid DESC LIMIT :top"
    )
    connection = store.engine.connect()

    def run(query: str) -> object:
        terms, _ = query_terms(query)
        match = " ".join(f'"{term}"' for term in terms)
        return connection.execute(statement, {"match": match, "top": TOP}).all()

    return run


def postgres_every_match(store: SqlStore) -> tuple[Runner, int]:
    """PostgreSQL, as before recency tiers: ts_rank_cd of every match (stored documents)."""
    statement = text(
        "SELECT article_id, ts_rank_cd(document, q) AS score FROM article_search, "
        "plainto_tsquery('english'::regconfig, :terms) q WHERE document @@ q "
        "ORDER BY score DESC, article_id DESC LIMIT :top"
    )
    connection = store.engine.connect()
    pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())

    def run(query: str) -> object:
        terms, _ = query_terms(query)
        return connection.execute(statement, {"terms": " ".join(terms), "top": TOP}).all()

    return run, pid


def store_search(store: SqlStore) -> Runner:
    """newsdesk's search as the site calls it: ids, rows, snippets and highlighting."""

    def run(query: str) -> object:
        return store.search(query, limit=TOP - 1)

    return run


def store_backend_pid(store: SqlStore) -> int:
    """The PostgreSQL backend of the store's pooled connection (a pool of one is used)."""
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def tantivy_runner(data: Path, store: SqlStore) -> Runner | None:
    try:
        import tantivy
    except ImportError:
        print("  tantivy: not installed (pip install tantivy); skipped")
        return None
    directory = data / "tantivy"
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, fast=True, indexed=True)
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("text", tokenizer_name="en_stem")
    schema = builder.build()
    if not (directory / "meta.json").exists():
        directory.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(schema, path=str(directory))
        started = time.perf_counter()
        writer = index.writer(heap_size=512_000_000, num_threads=2)
        with store.engine.connect() as connection:
            rows = connection.execution_options(stream_results=True).execute(
                text("SELECT id, title, text FROM articles ORDER BY id")
            )
            for row in rows:
                writer.add_document(tantivy.Document(id=row.id, title=row.title, text=row.text))
        writer.commit()
        writer.wait_merging_threads()
        size = sum(f.stat().st_size for f in directory.iterdir() if f.is_file())
        print(
            f"  tantivy: index built in {time.perf_counter() - started:.0f} s, "
            f"{human_bytes(size)} (2 writer threads)",
            flush=True,
        )
    index = tantivy.Index(schema, path=str(directory))
    index.reload()
    searcher = index.searcher()

    def run(query: str) -> object:
        terms, _ = query_terms(query)
        parsed = index.parse_query(
            " ".join(terms),
            ["title", "text"],
            field_boosts={"title": 10.0},
            conjunction_by_default=True,
        )
        return searcher.search(parsed, limit=TOP, count=False).hits

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a site_data.py data dir")
    parser.add_argument("--pg-data", type=Path, help="the PostgreSQL build's data dir")
    parser.add_argument("--database-url", help="the PostgreSQL build's database")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-tantivy", action="store_true")
    args = parser.parse_args()
    manifest: dict[str, Any] = json.loads((args.data / "site-data.json").read_text())
    queries: list[str] = manifest["search_queries"]
    print(
        f"{manifest['articles']} articles; {len(queries)} queries, top {TOP}; CPU ms per query, "
        f"median of {args.runs} runs; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    sqlite = open_store(f"sqlite:///{args.data / 'newsdesk.db'}", migrate=False)
    print("SQLite FTS5")
    measure("every match ranked (before)", fts5_every_match(sqlite), queries, args.runs, None)
    measure("newsdesk search, recency tiers (now)", store_search(sqlite), queries, args.runs, None)
    if args.database_url:
        postgres = open_store(args.database_url, migrate=False)
        postgres.engine.pool.dispose()
        print("PostgreSQL")
        run, pid = postgres_every_match(postgres)
        measure("every match ranked (before)", run, queries, args.runs, pid)
        measure(
            "newsdesk search, windows + tiers (now)",
            store_search(postgres),
            queries,
            args.runs,
            store_backend_pid(postgres),
        )
    if not args.no_tantivy:
        print("Tantivy (BM25, block-max WAND)")
        runner = tantivy_runner(args.data, sqlite)
        if runner is not None:
            measure("best 21 of every match", runner, queries, args.runs, None)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
