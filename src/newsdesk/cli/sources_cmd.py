"""`newsdesk sources …`: register, inspect, import and export sources."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import typer

from newsdesk.cli.common import (
    check_format,
    fail,
    guarded,
    opened_store,
    parse_visibility,
    settings,
    to_json,
)

app = typer.Typer(help="Sources newsdesk reads from.", no_args_is_help=True)


@app.command("add")
def add(
    url: str = typer.Argument(..., help="Feed, sitemap or page URL (a page's feed is discovered)."),
    name: str | None = typer.Option(None, "--name", help="Display name (default: feed title)."),
    interval: int | None = typer.Option(
        None, "--interval", min=60, help="Seconds between fetches (default from settings)."
    ),
    kind: str | None = typer.Option(
        None, "--kind", help="feed, sitemap or page; skips probing the URL when given."
    ),
    feed_only: bool = typer.Option(
        False, "--feed-only", help="Store items from the feed's own content; never fetch pages."
    ),
    weight: float = typer.Option(1.0, "--weight", min=0.0, help="Editorial weight in ranking."),
    rights: str = typer.Option(
        "excerpt", "--rights", help="What the site shows: full text, excerpt + link, or link only."
    ),
    visibility: str = typer.Option(
        "public",
        "--visibility",
        help="Who reads its articles in full: public, members or pro (others get a preview).",
    ),
) -> None:
    """Register a source. Without --kind the URL is fetched once to see what it serves."""
    from newsdesk.bootstrap import fetch_options, parse_options
    from newsdesk.domain import Source, SourceKind
    from newsdesk.fetch import check_url, parse_allow_entry
    from newsdesk.pipeline.source_setup import probe_source, register_source

    config = settings()
    if not url.lower().startswith(("http://", "https://")):
        fail("a source URL must start with http:// or https://")
    if rights not in ("full", "excerpt", "link"):
        fail("--rights must be full, excerpt or link")
    chosen_visibility = parse_visibility(visibility)
    if not math.isfinite(weight):
        fail("--weight must be a finite number")
    if kind is not None:
        try:
            chosen = SourceKind(kind)
        except ValueError:
            fail("--kind must be feed, sitemap or page")
        # Not fetched now: refused as the fetcher would refuse it (no host, spaces, a private
        # address not on NEWSDESK_FETCH_ALLOW_HOSTS) rather than failing on every poll.
        guarded(lambda: check_url(url, tuple(map(parse_allow_entry, config.fetch.allow_hosts))))
        final_url, title = url, None
    else:
        probed = guarded(
            lambda: asyncio.run(
                probe_source(
                    url, fetch_options=fetch_options(config), parse_options=parse_options(config)
                )
            )
        )
        chosen, final_url, title = probed.kind, probed.url, probed.title
    source = Source(
        url=final_url,
        name=name or title or final_url,
        kind=chosen,
        interval_seconds=interval or config.ingest.default_interval,
        feed_only=feed_only,
        weight=weight,
        rights=rights,
        visibility=chosen_visibility,
    )
    with opened_store(config) as store:
        saved = guarded(lambda: register_source(store, source))
    typer.echo(f"added source #{saved.id}: {saved.name} ({saved.kind.value}) {saved.url}")


@app.command("set")
def set_source(
    source_id: int = typer.Argument(..., help="Source id (see `newsdesk sources list`)."),
    visibility: str | None = typer.Option(
        None,
        "--visibility",
        help="Who reads its articles in full: public, members or pro. Articles with a "
        "visibility of their own keep it.",
    ),
    rights: str | None = typer.Option(None, "--rights", help="full, excerpt or link."),
) -> None:
    """Change a source's visibility or rights; its articles follow on the next request."""
    from dataclasses import replace

    if visibility is None and rights is None:
        fail("nothing to set: give --visibility or --rights")
    if rights is not None and rights not in ("full", "excerpt", "link"):
        fail("--rights must be full, excerpt or link")
    chosen = parse_visibility(visibility) if visibility is not None else None
    config = settings()
    with opened_store(config, existing=True) as store:
        found = store.get_source(source_id)
        if found is None:
            fail(f"no such source: {source_id}")
        changed = replace(
            found,
            visibility=chosen if chosen is not None else found.visibility,
            rights=rights if rights is not None else found.rights,
        )
        guarded(lambda: store.update_source(changed))
    typer.echo(
        f"source #{source_id}: visibility {changed.visibility.value}, rights {changed.rights}"
    )


@app.command("list")
def list_sources(
    output_format: str = typer.Option("table", "--format", help="table or jsonl."),
) -> None:
    """List sources with their health."""
    check_format(output_format, "table", "jsonl")
    config = settings()
    with opened_store(config, existing=True) as store:
        sources = store.list_sources()
    if output_format == "jsonl":
        for s in sources:
            typer.echo(
                to_json(
                    {
                        "id": s.id,
                        "url": s.url,
                        "name": s.name,
                        "kind": s.kind.value,
                        "enabled": s.enabled,
                        "disabled_reason": s.disabled_reason,
                        "interval_seconds": s.interval_seconds,
                        "feed_only": s.feed_only,
                        "weight": s.weight,
                        "rights": s.rights,
                        "visibility": s.visibility.value,
                        "last_success_at": s.last_success_at,
                        "consecutive_failures": s.consecutive_failures,
                        "last_error": s.last_error,
                        "next_fetch_at": s.next_fetch_at,
                    }
                )
            )
        return
    if not sources:
        typer.echo("no sources yet: add one with `newsdesk sources add URL`")
    for s in sources:
        state = "ok" if s.enabled else f"disabled ({s.disabled_reason})"
        last = s.last_success_at.isoformat(timespec="minutes") if s.last_success_at else "never"
        typer.echo(f"#{s.id:<4} {s.kind.value:<8} {s.name}  <{s.url}>")
        typer.echo(
            f"      {state}; rights {s.rights}; visibility {s.visibility.value}; "
            f"last success {last}; "
            f"failures in a row {s.consecutive_failures}"
            + (f"; last error: {s.last_error}" if s.last_error else "")
        )


@app.command("remove")
def remove(source: str = typer.Argument(..., help="Source id or URL.")) -> None:
    """Remove a source and its fetch log; its articles are kept."""
    config = settings()
    with opened_store(config, existing=True) as store:
        found = (
            store.get_source(int(source))
            if source.isascii() and source.isdigit()
            else store.get_source_by_url(source)
        )
        if found is None or found.id is None:
            fail(f"no such source: {source}")
        store.remove_source(found.id)
    typer.echo(f"removed source #{found.id}: {found.name}")


@app.command("import")
def import_opml(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Import the feeds of an OPML file (existing ones are skipped)."""
    from newsdesk.domain import NewsdeskError, Source, SourceKind
    from newsdesk.fetch import check_url, parse_allow_entry
    from newsdesk.pipeline.source_setup import register_source
    from newsdesk.sources import parse_opml

    config = settings()
    outlines = guarded(lambda: parse_opml(path.read_bytes()))
    allow = tuple(map(parse_allow_entry, config.fetch.allow_hosts))
    added = skipped = 0
    with opened_store(config) as store:
        for outline in outlines:
            try:  # refused as `sources add` refuses it: the fetcher would, on every poll
                check_url(outline.xml_url, allow)
            except NewsdeskError as error:
                typer.echo(f"{path}: skipped {outline.xml_url!r}: {error}", err=True)
                skipped += 1
                continue
            try:
                register_source(
                    store,
                    Source(
                        url=outline.xml_url,
                        name=outline.title or outline.xml_url,
                        kind=SourceKind.FEED,
                        interval_seconds=config.ingest.default_interval,
                    ),
                )
                added += 1
            except NewsdeskError:
                skipped += 1
    typer.echo(f"imported {added} sources, skipped {skipped} (already present or refused)")


@app.command("export")
def export_opml(
    output: Path | None = typer.Option(None, "--output", help="File to write (default stdout)."),
) -> None:
    """Export feed sources as OPML 2.0."""
    from newsdesk.sources import export_opml as render

    config = settings()
    with opened_store(config, existing=True) as store:
        body = render(store.list_sources(), title="newsdesk sources")
    if output is None:
        typer.echo(body.decode("utf-8"), nl=False)
    else:
        guarded(lambda: output.write_bytes(body))
        typer.echo(f"wrote {output}", err=True)
