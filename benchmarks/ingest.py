"""End-to-end ingest benchmark on Reuters-21578 served from loopback.

Turns N stories of ../shared/corpus/reuters21578.jsonl.gz into HTML pages and RSS feeds,
serves them from a separate process on several loopback addresses (one "host" per feed group,
as real sources are), runs `newsdesk ingest --all` in a subprocess against a fresh SQLite
database, and prints end-to-end articles/s, bare `trafilatura.extract` pages/s over the same
pages in the same run, their ratio, the ingest process's peak RSS and the peak memory of the
ingest process together with its extraction workers.

The stage table gives CPU milliseconds per article: the ingest summary's `cpu_seconds` (the
ingest process's own steps, "main: …", and the extraction steps in the workers, "extract: …"),
and the ingest process's whole CPU time (ingest and enrichment) from getrusage.

    .venv/bin/python benchmarks/ingest.py --stories 2000 --repeat 3
    .venv/bin/python benchmarks/ingest.py --stories 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from shared_data import reuters_corpus, run_benchmark

HOSTS = [f"127.0.0.{i}" for i in range(2, 6)]
FEED_SIZE = 250


def load_stories(n: int) -> list[dict[str, str]]:
    stories = []
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            body = (record.get("body") or "").strip()
            if len(body.split()) < 60 or not record.get("title"):
                continue
            stories.append(record)
            if len(stories) == n:
                return stories
    # Reuters has ~13,800 usable stories: reach larger N with re-dated follow-up copies, which
    # the pipeline stores as new articles linked to the original's story.
    originals = list(stories)
    round_no = 1
    while len(stories) < n:
        stories.extend(
            {
                **record,
                "id": f"{record['id']}-r{round_no}",
                "title": f"{record['title']} (update {round_no})",
                "body": f"Follow-up {round_no}: " + record["body"].replace(".", ",", 1),
            }
            for record in originals[: n - len(stories)]
        )
        round_no += 1
    return stories


def page_html(story: dict[str, str], site: str) -> str:
    title = html.escape(story["title"].title())
    paragraphs = "".join(
        f"<p>{html.escape(' '.join(p.split()))}</p>" for p in story["body"].split("\n    ") if p
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | {site}"
        f"</title></head><body><header><nav><a href='/'>Home</a> <a href='/markets'>Markets</a>"
        f" <a href='/energy'>Energy</a></nav></header><main><article><h1>{title}</h1>"
        f"<p class='byline'>By Staff Reporter</p>{paragraphs}</article>"
        "<aside class='newsletter'><h2>Sign up for our daily briefing</h2><p>The markets in "
        "five minutes, every morning.</p><form><input name='email'></form></aside>"
        "<section class='related'><h2>Read more</h2><ul><li><a href='/a'>Oil prices edge up"
        "</a></li><li><a href='/b'>Grain exports slow</a></li></ul></section></main>"
        f"<footer><p>© {site}. All rights reserved.</p></footer></body></html>"
    )


def build_site(stories: list[dict[str, str]], port: int) -> dict[tuple[str, str], bytes]:
    """(host, path) -> body, for every page and feed."""
    now = datetime.now(UTC)
    files: dict[tuple[str, str], bytes] = {}
    for start in range(0, len(stories), FEED_SIZE):
        group = stories[start : start + FEED_SIZE]
        feed_no = start // FEED_SIZE
        host = HOSTS[feed_no % len(HOSTS)]
        items = []
        for offset, story in enumerate(group):
            path = f"/f{feed_no}/story-{story['id']}.html"
            files[(host, path)] = page_html(story, f"Wire {feed_no}").encode()
            published = format_datetime(now - timedelta(minutes=start + offset))
            items.append(
                f"<item><title>{html.escape(story['title'].title())}</title>"
                f"<link>http://{host}:{port}{path}</link><guid>reuters-{story['id']}</guid>"
                f"<pubDate>{published}</pubDate></item>"
            )
        files[(host, f"/f{feed_no}/feed.xml")] = (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Wire {feed_no}</title><link>http://{host}/</link>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()
    return files


def serve(host: str, port: int, files: dict[tuple[str, str], bytes], ready: object) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes

        def do_GET(self) -> None:
            body = files.get((host, self.path.split("?", 1)[0]))
            if self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            kind = "application/rss+xml" if self.path.endswith(".xml") else "text/html"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    ready.set()  # type: ignore[attr-defined]
    server.serve_forever()


BARE_CPU_MS: list[float] = []  # CPU ms per page of each bare run (load-independent-ish)


def bare_extraction_rate(pages: list[bytes]) -> float:
    import trafilatura

    started, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        trafilatura.extract(page.decode())
    BARE_CPU_MS.append(1000 * (time.process_time() - cpu) / len(pages))
    return len(pages) / (time.perf_counter() - started)


def newsdesk_extraction_rate(pages: list[bytes]) -> float:
    """newsdesk's own extraction (ensemble, metadata, sanitized HTML) on the same pages."""
    from newsdesk.extract import ExtractOptions, extract_article

    options = ExtractOptions(date_search="off")  # as ingest runs it for dated feed items
    started = time.perf_counter()
    for page in pages:
        extract_article(page.decode(), url="http://127.0.0.2/x.html", options=options)
    return len(pages) / (time.perf_counter() - started)


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found.extend(int(child) for child in children)
        queue.extend(int(child) for child in children)
    return found


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; PSS shares pages between the processes mapping them."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class TreeMemory:
    """Peak memory of a process and all its descendants (extraction and analysis workers,
    forkserver), sampled every 0.2 s: the sum of RSS counts shared pages once per process, PSS
    does not. Also the descendants' CPU seconds (each one's last sample, so a worker's last
    0.2 s may be missed)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.descendant_cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            descendants = _descendants(self.pid)
            for pid in descendants:
                cpu = _cpu_seconds(pid)
                if cpu is not None:
                    self.descendant_cpu[pid] = cpu
            sizes = [_memory_kb(pid) for pid in [self.pid, *descendants]]
            self.peak_rss_kb = max(self.peak_rss_kb, sum(rss for rss, _ in sizes))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss for _, pss in sizes))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_ingest(
    feed_urls: list[str], port: int, workers: int | None
) -> tuple[dict[str, object], float, TreeMemory]:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "NEWSDESK_DATA_DIR": data_dir,
            "NEWSDESK_FETCH_ALLOW_HOSTS": ",".join(f"{h}:{port}" for h in HOSTS),
            "NEWSDESK_FETCH_HOST_DELAY": "0",
            "NEWSDESK_FETCH_RESPECT_ROBOTS": "true",
            "NEWSDESK_LOG_LEVEL": "ERROR",
        }
        env.pop("NEWSDESK_DATABASE_URL", None)
        env.pop("NEWSDESK_INGEST_WORKERS", None)
        if workers is not None:
            env["NEWSDESK_INGEST_WORKERS"] = str(workers)
        newsdesk = [sys.executable, "-m", "newsdesk.cli"]
        subprocess.run([*newsdesk, "init"], env=env, check=True, capture_output=True)
        for url in feed_urls:
            subprocess.run(
                [*newsdesk, "sources", "add", url, "--kind", "feed"],
                env=env,
                check=True,
                capture_output=True,
            )
        code = (
            "import resource, runpy, sys; sys.argv = ['newsdesk', 'ingest', '--all', '--format',"
            " 'json']\ntry:\n    runpy.run_module('newsdesk.cli', run_name='__main__')\n"
            "finally:\n    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
            "    print('MAXRSS', usage.ru_maxrss, file=sys.stderr)\n"
            "    print('CPU', usage.ru_utime + usage.ru_stime, file=sys.stderr)"
        )
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        memory = TreeMemory(process.pid)
        stdout, stderr = process.communicate()
        elapsed = time.perf_counter() - started
        memory.stop()
        if process.returncode != 0:
            raise SystemExit(f"ingest failed:\n{stdout}\n{stderr}")
        summary = json.loads(stdout.strip().splitlines()[-1])
        if summary["failed"]:
            print("first errors:", *summary["errors"][:3], sep="\n  ", file=sys.stderr)
        rss_kb = next(
            int(line.split()[1]) for line in stderr.splitlines() if line.startswith("MAXRSS")
        )
        summary["wall_seconds"] = elapsed
        summary["process_cpu_seconds"] = next(
            float(line.split()[1]) for line in stderr.splitlines() if line.startswith("CPU ")
        )
        return summary, rss_kb / 1024, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument(
        "--workers", type=int, default=None, help="NEWSDESK_INGEST_WORKERS (default: its default)"
    )
    args = parser.parse_args()

    stories = load_stories(args.stories)
    files = build_site(stories, args.port)
    pages = [body for (_, path), body in files.items() if path.endswith(".html")]
    feeds = sorted(
        f"http://{host}:{args.port}{path}" for (host, path) in files if path.endswith(".xml")
    )
    ctx = multiprocessing.get_context("fork")
    servers = []
    for host in HOSTS:
        ready = ctx.Event()
        proc = ctx.Process(target=serve, args=(host, args.port, files, ready), daemon=True)
        proc.start()
        ready.wait(10)
        servers.append(proc)
    try:
        e2e_rates, bare_rates, own_rates, stage_rates, rss = [], [], [], [], []
        tree_rss, tree_pss, other_seconds = [], [], []
        stage_ms: dict[str, list[float]] = {}
        for run in range(args.repeat):
            summary, peak_mb, tree = run_ingest(feeds, args.port, args.workers)
            stored = int(summary["new"]) + int(summary["duplicate"])  # type: ignore[call-overload]
            rate = len(pages) / float(summary["wall_seconds"])  # type: ignore[arg-type]
            # The fetch → extract → dedup → store part alone, as the ingest summary times it;
            # the rest of the wall time is process start-up and enrichment.
            stage_rates.append(len(pages) / float(summary["seconds"]))  # type: ignore[arg-type]
            bare = bare_extraction_rate(pages)
            own = newsdesk_extraction_rate(pages)
            own_rates.append(own)
            e2e_rates.append(rate)
            bare_rates.append(bare)
            rss.append(peak_mb)
            tree_rss.append(tree.peak_rss_kb / 1024)
            tree_pss.append(tree.peak_pss_kb / 1024)
            other = float(summary["wall_seconds"]) - float(summary["seconds"])  # type: ignore[arg-type]
            other_seconds.append(other)
            cpu = dict(summary.get("cpu_seconds") or {})  # type: ignore[call-overload]
            cpu["= main: all ingest-stage steps"] = sum(
                float(v) for k, v in cpu.items() if k.startswith("main: ")
            )
            cpu["= extract: all steps"] = sum(
                float(v) for k, v in cpu.items() if k.startswith("extract: ")
            )
            cpu["ingest process, all (incl. enrichment)"] = summary["process_cpu_seconds"]
            workers_cpu = sum(tree.descendant_cpu.values())
            cpu["workers, all (extraction + enrichment analysis)"] = workers_cpu
            # The workers' CPU beyond their extraction steps: enrichment's analysis (when it
            # runs in workers), the workers' start-up and the hand-off of pages and results.
            cpu["= workers beyond extract steps"] = max(
                0.0, workers_cpu - cpu["= extract: all steps"]
            )
            for stage, seconds in cpu.items():
                stage_ms.setdefault(stage, []).append(1000 * float(seconds) / len(pages))
            print(
                f"run {run + 1}: {len(pages)} pages, stored {summary['new']} new + "
                f"{summary['duplicate']} duplicate ({stored}), failed {summary['failed']}, "
                f"{summary['wall_seconds']:.1f} s → {rate:.1f} articles/s; bare trafilatura "
                f"{bare:.1f} pages/s; newsdesk extraction {own:.1f} pages/s; "
                f"ingest stage {summary['seconds']:.1f} s, start-up + enrichment {other:.1f} s; "
                f"peak RSS {peak_mb:.0f} MB (with workers: RSS {tree_rss[-1]:.0f} MB, "
                f"PSS {tree_pss[-1]:.0f} MB)",
                flush=True,
            )
        e2e, bare = statistics.median(e2e_rates), statistics.median(bare_rates)
        print()
        print(f"stories                      {len(pages)}")
        print(
            f"end-to-end articles/s        {e2e:.1f}   (median of {args.repeat}; incl. enrichment)"
        )
        stage = statistics.median(stage_rates)
        print(f"ingest stage articles/s      {stage:.1f}   (fetch → extract → dedup → store)")
        print(f"bare trafilatura pages/s     {bare:.1f}   (median of {args.repeat})")
        own = statistics.median(own_rates)
        print(f"ratio end-to-end / bare      {e2e / bare:.2f}   (wall; issue 16: ≥ 0.2)")
        print(f"newsdesk extraction pages/s  {own:.1f}   (median of {args.repeat})")
        print(f"ratio end-to-end / newsdesk extraction  {e2e / own:.2f}")
        print(f"ratio ingest stage / bare    {stage / bare:.2f}   (wall; issue 16: ≥ 0.25)")
        print(
            f"start-up + enrichment (s)    {statistics.median(other_seconds):.1f}   "
            "(wall time outside the ingest stage)"
        )
        print(f"peak RSS of ingest (MB)      {max(rss):.0f}   (issue 16: < 400 at 20,000)")
        print(
            f"peak with workers (MB)       RSS {max(tree_rss):.0f}, PSS {max(tree_pss):.0f}"
            "   (ingest process + extraction workers, sampled every 0.2 s)"
        )
        print("\nCPU ms per article (median of runs)")
        for stage in sorted(stage_ms):
            print(f"  {stage:<42}{statistics.median(stage_ms[stage]):>8.2f}")
        bare_ms = statistics.median(BARE_CPU_MS)
        print(f"  {'bare trafilatura.extract, per page':<42}{bare_ms:>8.2f}")
        # On two free cores the ingest stage runs at the pace of its slower side: the ingest
        # process alone, or everything shared by both cores. A capacity estimate from CPU
        # time, which a busy machine inflates far less than it slows wall time.
        main = statistics.median(stage_ms["= main: all ingest-stage steps"])
        extract = statistics.median(stage_ms["= extract: all steps"])
        per_article = max(main, (main + extract) / 2)
        print(
            f"CPU-bound ingest stage on 2 free cores: {1000 / per_article:.0f} articles/s, "
            f"{bare_ms / per_article:.2f}× bare trafilatura's {1000 / bare_ms:.0f} pages/s on one"
        )
        # End to end: the ingest stage as above, then enrichment, whose analysis may run in
        # workers beside the ingest process's ranking and writes (the workers' CPU beyond
        # their extraction steps counted there: an over-estimate by their start-up).
        process = statistics.median(stage_ms["ingest process, all (incl. enrichment)"])
        analysis = statistics.median(stage_ms["= workers beyond extract steps"])
        enrich_main = max(0.0, process - main)
        end_to_end = per_article + max(enrich_main, (enrich_main + analysis) / 2)
        print(
            f"CPU-bound end to end on 2 free cores: {1000 / end_to_end:.0f} articles/s, "
            f"{bare_ms / end_to_end:.2f}× bare; the ingest process alone (its serial CPU, "
            f"{process:.2f} ms/article) caps it at {bare_ms / process:.2f}×"
        )
    finally:
        for proc in servers:
            proc.kill()


if __name__ == "__main__":
    run_benchmark(main)
