"""Digest benchmark: personalised digests rendered, and delivered to a local aiosmtpd sink.

For each subscriber count, a child process gets a fresh SQLite database with DAYS days of
stories (STORIES_PER_DAY a day over the nine sectors, with summaries and entities) and that
many active subscribers (random sectors, some watched entities, several time zones), then:

- rendered/s: selection + links + HTML and text rendering for every subscriber and day
  (DigestRun.preview: what the send path renders), median over the days;
- delivered/s: `DigestRun.send_date` per day — outbox claims, rendering, the MIME bytes
  (WireMessageBuilder), SMTP over one pool of --pool connections (one sending thread each) to
  an aiosmtpd sink in a separate process (a sink in the sender's interpreter would take its
  GIL and understate delivery), ledger updates — median over the days;
- peak RSS of the child, to show memory stays flat as the subscriber count grows;
- CPU milliseconds per digest for each phase, which other load on the machine skews far less
  than rates; "one-core ceiling" is 1000 / send-path CPU ms: the delivered/s the sender
  reaches when it has one core to itself (its threads share one GIL), and the sink's CPU per
  message, which the other core must cover.

    .venv/bin/python benchmarks/digest.py --counts 1000,10000 --days 10 --pool 2
    .venv/bin/python benchmarks/digest.py --counts 500,2000 --days 2      # quick
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

START = date(2026, 3, 2)
STORIES_PER_DAY = 40
SECTORS = [
    "oil-gas",
    "rare-earths-commodities",
    "mining-metals",
    "evs-battery-tech",
    "esg-renewables",
    "ai-semiconductors",
    "aerospace-defense",
    "sanctions-regulation",
    "business-politics",
]
ENTITIES = [(f"org:e{n}", f"Entity {n}") for n in range(60)]
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
SUMMARY = (
    "Japan signed an agreement with Namibia to jointly explore for rare earth minerals. "
    "The deal between JOGMEC and Epangelo is part of a strategy to diversify supply. "
    "Details were not disclosed. Analysts expect more such deals this year."
)


# --- the SMTP sink (its own process, so it does not share the sender's interpreter) -------


def _sink_main(port: int, counter: Any, ready: Any) -> None:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            del server, session, envelope
            with counter.get_lock():
                counter.value += 1
            return "250 2.0.0 accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def _process_cpu(pid: int) -> float:
    """CPU seconds of another process (Linux /proc), for the sink's share."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the child: seed, render, send ---------------------------------------------------------


def _seed(store: Any, subscribers: int, days: int, rng: random.Random) -> None:
    from sqlalchemy import insert

    from newsdesk.domain.enrichment import Enrichment, EntityRecord, MentionRecord, SectorLabel
    from newsdesk.domain.models import Article, Source
    from newsdesk.store.schema import subscribers as subscribers_table

    source_ids = [
        store.add_source(Source(url=f"https://pub{n}.example/feed.xml")).id for n in range(8)
    ]
    serial = 0
    for day in range(days):
        midnight = datetime.combine(START + timedelta(days=day), datetime.min.time(), UTC)
        for _ in range(STORIES_PER_DAY):
            at = midnight - timedelta(minutes=rng.randrange(1, 22 * 60))
            sectors = rng.sample(SECTORS, rng.choice([1, 1, 2]))
            entities = rng.sample(ENTITIES, 2)
            story_id = None
            for source_id in rng.sample(source_ids, rng.choice([1, 1, 2, 3, 5])):
                serial += 1
                article = store.save_article(
                    Article(
                        source_id=source_id,
                        url=f"https://pub.example/{serial}",
                        canonical_url=f"https://pub.example/{serial}",
                        title=f"Story {serial}: rare earths, lithium and the {sectors[0]} market",
                        text=SUMMARY,
                        content_hash=f"h{serial}",
                        story_id=story_id,
                        created_at=at,
                    )
                )
                story_id = article.story_id
                store.save_enrichment(
                    Enrichment(
                        article_id=article.id,
                        version="bench",
                        summary=SUMMARY,
                        sectors=tuple(SectorLabel(s, 0.8) for s in sectors),
                        entities=tuple(EntityRecord(i, n, "organisation") for i, n in entities),
                        mentions=tuple(MentionRecord(i, n, 0, len(n)) for i, n in entities),
                    )
                )
    created = datetime(2026, 1, 1, tzinfo=UTC)
    with store.engine.begin() as connection:
        for start in range(0, subscribers, 5000):  # in chunks: seeding memory stays flat too
            rows = [
                {
                    "email": f"reader{n:06d}@readers.example",
                    "status": "active",
                    "sectors": rng.sample(SECTORS, rng.choice([1, 2, 3])),
                    "entities": [e for e, _ in rng.sample(ENTITIES, rng.choice([0, 0, 1, 2]))],
                    "delivery_time": rng.choice(["06:30", "07:00", "08:00"]),
                    "timezone": rng.choice(ZONES),
                    "paused": False,
                    "created_at": created,
                    "confirmed_at": created,
                }
                for n in range(start, min(start + 5000, subscribers))
            ]
            connection.execute(insert(subscribers_table), rows)


def _cpu() -> float:
    """CPU seconds of this process (all threads): unlike rates, not skewed by other load."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child(args: argparse.Namespace) -> None:
    from newsdesk.deliver.digest import DigestOptions, DigestRun
    from newsdesk.domain.signing import SigningKeys
    from newsdesk.mail.smtp import SmtpOptions, SmtpSender
    from newsdesk.store import open_store

    store = open_store(f"sqlite:///{args.db}")
    _seed(store, args.subscribers, args.days, random.Random(7))
    options = DigestOptions(
        base_url="https://insights.example",
        signing=SigningKeys("bench-secret"),
        site_name="Insights",
        mail_from="Top Insights Today <insights@news.example>",
        sector_names={s: s.replace("-", " ").title() for s in SECTORS},
        workers=args.pool,
    )
    smtp = SmtpOptions(host="127.0.0.1", port=args.port)
    rendered_rates = []
    render_cpu = _cpu()
    rendered_total = 0
    for day in range(args.days):
        digest_date = START + timedelta(days=day)
        run = DigestRun(store, options, lambda: SmtpSender(smtp))
        count = 0
        started = time.perf_counter()
        for subscriber in store.iter_deliverable_subscribers():
            count += run.preview(subscriber, digest_date) is not None
        rendered_rates.append(count / (time.perf_counter() - started))
        rendered_total += count
    render_cpu = _cpu() - render_cpu
    delivered_rates = []
    sent_total = 0
    send_cpu = _cpu()
    for day in range(args.days):
        digest_date = START + timedelta(days=day)
        run = DigestRun(store, options, lambda: SmtpSender(smtp))
        started = time.perf_counter()
        report = run.send_date(digest_date)
        elapsed = time.perf_counter() - started
        sent_total += report.sent
        delivered_rates.append(report.sent / elapsed)
    send_cpu = _cpu() - send_cpu
    store.close()
    print(
        json.dumps(
            {
                "subscribers": args.subscribers,
                "days": args.days,
                "sent": sent_total,
                "render_cpu_ms": 1000 * render_cpu / max(rendered_total, 1),
                "send_cpu_ms": 1000 * send_cpu / max(sent_total, 1),
                "rendered_per_s": statistics.median(rendered_rates),
                "delivered_per_s": statistics.median(delivered_rates),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,10000", help="subscriber counts, comma-separated")
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--pool", type=int, default=2, help="SMTP connections")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--subscribers", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    port = _free_port()
    counter = multiprocessing.Value("i", 0)
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=_sink_main, args=(port, counter, ready), daemon=True)
    sink.start()
    ready.wait(30)
    try:
        for count in (int(c) for c in args.counts.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                before = counter.value
                sink_cpu = _process_cpu(sink.pid or 0)
                result = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        f"--subscribers={count}",
                        f"--days={args.days}",
                        f"--pool={args.pool}",
                        f"--port={port}",
                        f"--db={Path(tmp) / 'bench.db'}",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                figures = json.loads(result.stdout.strip().splitlines()[-1])
                figures["sink_received"] = counter.value - before
                sink_ms = 1000 * (_process_cpu(sink.pid or 0) - sink_cpu)
                sink_ms /= max(figures["sink_received"], 1)
                print(
                    f"{count:>7} subscribers x {args.days} days: "
                    f"{figures['sent']} digests delivered (sink got {figures['sink_received']}); "
                    f"rendered {figures['rendered_per_s']:.0f}/s, "
                    f"delivered {figures['delivered_per_s']:.0f}/s (pool {args.pool}), "
                    f"peak RSS {figures['peak_rss_mib']:.0f} MiB (medians over days); "
                    f"CPU per digest: render {figures['render_cpu_ms']:.2f} ms, "
                    f"send path {figures['send_cpu_ms']:.2f} ms "
                    f"(one-core ceiling {1000 / figures['send_cpu_ms']:.0f}/s), "
                    f"sink {sink_ms:.2f} ms/message; "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
    finally:
        sink.terminate()


if __name__ == "__main__":
    main()
