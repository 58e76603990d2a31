"""`newsdesk worker` (run jobs) and `newsdesk workers status` (see them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from newsdesk.cli.common import fail, guarded, opened_store, settings, to_json

if TYPE_CHECKING:
    from newsdesk.domain.retention import RetentionDay
    from newsdesk.queue import QueueReport

app = typer.Typer(help="Workers of the job queue (PostgreSQL).", no_args_is_help=True)
NO_QUEUE = "workers: none (SQLite has no job queue; `newsdesk run` does all the work)"


def worker(
    concurrency: int | None = typer.Option(
        None, "--concurrency", min=1, max=64, help="Jobs at once (NEWSDESK_QUEUE_CONCURRENCY)."
    ),
    queues: str | None = typer.Option(
        None,
        "--queues",
        help="Comma-separated queues to take jobs from (NEWSDESK_QUEUE_QUEUES; default all).",
    ),
) -> None:
    """Run jobs (poll sources, enrich, send digests) until SIGTERM or Ctrl-C, then finish
    the jobs in flight. Needs PostgreSQL; run as many as you like, on any machines."""
    from newsdesk.bootstrap import check_start
    from newsdesk.workers.service import (
        known_queues,
        open_worker_store,
        queue_options,
        require_queue_schema,
        serve_worker,
    )

    config = settings()
    # Workers sign the links of every digest they send: the start-up check of serve and run.
    guarded(lambda: check_start(config))
    chosen = None
    if queues is not None:
        chosen = tuple(q.strip() for q in queues.split(",") if q.strip())
        unknown = sorted(set(chosen) - set(known_queues()))
        if unknown or not chosen:
            fail(
                f"unknown queues {', '.join(unknown) or '(none given)'}; "
                f"known: {', '.join(known_queues())}"
            )
    guarded(lambda: require_queue_schema(config))
    options = queue_options(config, concurrency=concurrency, queues=chosen)
    store = guarded(lambda: open_worker_store(config, options))
    try:
        typer.echo(
            f"newsdesk worker: {options.concurrency} at once, queues "
            f"{','.join(options.queues) or 'all'}",
            err=True,
        )
        guarded(lambda: serve_worker(config, store, options))
    finally:
        store.close()
    typer.echo("newsdesk worker stopped", err=True)


@app.command("status")
def status(
    output: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """Workers (heartbeat age, jobs running), jobs per queue and state, stalled and failed
    jobs, and the last day's retention prune. JSONL: one object per line with "kind" worker,
    queue, stalled, failed or retention. On SQLite (no job queue: `newsdesk run` does the
    work) only the retention prune."""
    from newsdesk.bootstrap import last_retention
    from newsdesk.workers.service import has_job_queue, queue_report, require_queue_schema

    if output not in {"table", "jsonl"}:
        fail("--format must be table or jsonl")
    config = settings()
    report = None
    if has_job_queue(config):
        guarded(lambda: require_queue_schema(config))
        report = guarded(lambda: queue_report(config))
    with opened_store(config, existing=True) as store:
        retention = guarded(lambda: last_retention(store))
    if output == "jsonl":
        for line in [*(_jsonl(report) if report else []), _retention_json(retention)]:
            typer.echo(line)
        return
    if report is None:
        typer.echo(NO_QUEUE)
    else:
        _table(report)
    typer.echo(_retention_line(retention))


def _jsonl(report: QueueReport) -> list[str]:
    lines = [
        to_json(
            {
                "kind": "worker",
                "id": w.id,
                "last_heartbeat": w.last_heartbeat,
                "seconds_since_heartbeat": round(w.seconds_since_heartbeat, 1),
                "stalled": w.stalled,
                "running": w.running,
            }
        )
        for w in report.workers
    ]
    lines += [
        to_json({"kind": "queue", "queue": q, **counts}) for q, counts in report.queues.items()
    ]
    for kind, jobs in (("stalled", report.stalled), ("failed", report.failed)):
        lines += [
            to_json(
                {
                    "kind": kind,
                    "id": j.id,
                    "job": j.job,
                    "queue": j.queue,
                    "args": j.args,
                    "attempts": j.attempts,
                    "worker_id": j.worker_id,
                    "at": j.at,
                }
            )
            for j in jobs
        ]
    return lines


def _table(report: QueueReport) -> None:
    typer.echo(f"workers: {len(report.workers)}")
    for w in report.workers:
        state = "STALLED" if w.stalled else "alive"
        typer.echo(
            f"  #{w.id}  {state:7}  heartbeat {w.seconds_since_heartbeat:6.1f} s ago  "
            f"running {w.running}"
        )
    typer.echo("queues:")
    for name, counts in report.queues.items():
        shown = "  ".join(f"{status} {n}" for status, n in sorted(counts.items()))
        typer.echo(f"  {name:10} {shown}")
    for title, jobs in (("stalled jobs", report.stalled), ("failed jobs (latest)", report.failed)):
        typer.echo(f"{title}: {len(jobs)}")
        for j in jobs:
            typer.echo(
                f"  #{j.id}  {j.job}  {to_json(j.args)}  attempts {j.attempts}  "
                f"{j.at.isoformat() if j.at else ''}"
            )


_STATES = {
    "done": "done",
    "partial": "PARTIAL: stopped at the per-run limit, the next tick continues",
    "unfinished": "UNFINISHED: running, or its process died (see the log); the next day prunes",
    "failed": "FAILED (see the log); the next day prunes again",
}


def _retention_line(day: RetentionDay | None) -> str:
    """The scheduled prune of its last day, in one line: when, how it ended, what went."""
    if day is None:
        return "retention: never ran"
    runs = f"{day.runs} run{'s' if day.runs != 1 else ''}"
    span = f"{day.started_at:%H:%M:%S}"
    if day.finished_at is not None:
        span += f"–{day.finished_at:%H:%M:%S}"
    deleted = ", ".join(f"{table} {count}" for table, count in day.deleted.items())
    return (
        f"retention: {day.day.isoformat()} ({runs}, {span} UTC), {_STATES[day.state]}; "
        f"deleted {deleted}"
    )


def _retention_json(day: RetentionDay | None) -> str:
    if day is None:
        return to_json({"kind": "retention", "state": "never"})
    return to_json(
        {
            "kind": "retention",
            "day": day.day.isoformat(),
            "state": day.state,
            "runs": day.runs,
            "started_at": day.started_at,
            "finished_at": day.finished_at,
            "deleted": day.deleted,
        }
    )
