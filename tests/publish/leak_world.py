"""The world of the leak matrix: the demo site plus one `pro` piece whose canary sentence
(with a canary organisation and a canary figure) comes after the preview break.

The piece is imported through the JSONL import with visibility pro (the first two paragraphs
are its preview, the site's default break) and enriched for real, so the canary reaches
every derived surface: its summary, the story's summary, an entity and a fact of its own,
search, and the "Read more" list of a public report of the same event (re-enriched after the
piece arrived). Built once per test session on a copy of the demo data, with the real members
of site_viewers (one per kind of viewer) that the matrix signs in as.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.bootstrap import dedup_options, enrich_articles, enrich_options, extract_options
from newsdesk.domain.access import Visibility
from newsdesk.domain.reports import iso_week_of
from newsdesk.pipeline.enrich import Enricher
from newsdesk.pipeline.file_import import import_pages, import_source_for
from newsdesk.sources import iter_jsonl
from newsdesk.store import SqlStore, open_store
from site_fixtures import site_settings
from site_viewers import enrol_viewers

CANARY_ENTITY = "org:quillfeather-resources-ltd"
CANARY_NAME = "Quillfeather Resources Ltd"
CANARY_FIGURE = "987.65"
# What a response must (full) or must not (anything less) contain: the canary organisation's
# name and the canary figure. "Quillfeather" alone is not one: a search for it echoes it.
CANARY_MARKERS = ("Quillfeather Resources", CANARY_FIGURE)
CANARY_QUERY = "Quillfeather"
TITLE = "Japan's Namibia rare earths pact: what it means for refiners"
PREVIEW = (
    "Japan and Namibia have agreed to explore for rare earths together, through JOGMEC "
    "and the state miner Epangelo.",
    "The agreement was signed between the Japan Organization for Metals and Energy Security "
    "(JOGMEC) and Namibia's state-owned mining firm, Epangelo, as Japan looks for supply "
    "outside China.",
)
CANARY = (
    "Our analysis: Quillfeather Resources Ltd will invest $987.65 million in Namibia to build "
    "the Oshakati rare earths refinery, which would give Japan a second refined supply outside "
    "China."
)
AFTER = (
    "Rare earth minerals are integral to the production of EV batteries, as they are used "
    "in the magnets that play a crucial role in battery performance."
)


@dataclass(frozen=True)
class LeakWorld:
    data_dir: Path
    pro_id: int  # the pro piece
    story_id: int  # its story
    sector_id: str  # its strongest sector
    reader_id: int  # a public article whose "Read more" lists the pro piece
    week: str = ""  # the ISO week the piece was published in (its sector's weekly briefing)


def build_leak_world(demo_data_dir: Path, target: Path) -> LeakWorld:
    shutil.copytree(demo_data_dir, target)
    settings = site_settings(target)
    store = open_store(settings.store.sqlalchemy_url)
    week = iso_week_of(PUBLISHED)
    try:
        enrol_viewers(store)  # the demo copy has them already; a no-op then
        pro_id = _import_piece(store, settings, target)
        reader_id = _reenrich_a_public_report(store, settings, pro_id)
        detail = store.article_detail(pro_id)
        assert detail is not None and detail.story is not None and detail.sectors
        _check_the_canary_reached_everything(store, pro_id)
        return LeakWorld(
            data_dir=target,
            pro_id=pro_id,
            story_id=int(detail.story.id or 0),
            sector_id=detail.sectors[0].sector_id,
            reader_id=reader_id,
            week=week,
        )
    finally:
        store.close()


PUBLISHED = datetime.now(UTC) - timedelta(hours=1)


def _import_piece(store: SqlStore, settings: object, target: Path) -> int:
    published = PUBLISHED
    record = {
        "url": "https://house.example/analysis/namibia-refiners",
        "title": TITLE,
        "text": "\n\n".join([*PREVIEW, CANARY, AFTER]),
        "published": published.isoformat(),
    }
    path = target.parent / "pro-piece.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    source = import_source_for(store, path)
    summary = import_pages(
        store,
        source,
        iter_jsonl(path),
        extract_options=extract_options(settings),  # type: ignore[arg-type]
        dedup_options=dedup_options(settings),  # type: ignore[arg-type]
        visibility=Visibility.PRO,
    )
    assert summary.failed == 0 and len(summary.changed_ids) == 1, summary.errors
    enrich_articles(store, settings, summary.changed_ids)  # type: ignore[arg-type]
    return summary.changed_ids[0]


def _reenrich_a_public_report(store: SqlStore, settings: object, pro_id: int) -> int:
    """Enrich the demo's Namibia reports again, now that the piece exists, and return one
    whose "Read more" lists it."""
    candidates = [
        article.id
        for article in store.list_articles()
        if article.id is not None and article.id != pro_id and "Namibia" in article.title
    ]
    Enricher(store, enrich_options(settings)).run(candidates)  # type: ignore[arg-type]
    for article_id in candidates:
        detail = store.article_detail(article_id)
        if detail is not None and pro_id in {item.article.id for item in detail.related}:
            return article_id
    raise AssertionError("no public report lists the pro piece under Read more")


def _check_the_canary_reached_everything(store: SqlStore, pro_id: int) -> None:
    """Preconditions: without them a surface could pass by showing nothing to anyone."""
    enrichment = store.get_enrichment(pro_id)
    assert enrichment is not None
    assert CANARY_NAME in enrichment.summary and CANARY_FIGURE in enrichment.summary
    assert enrichment.summary_reach == 2 and CANARY_NAME not in enrichment.lead
    canary_mentions = [m for m in enrichment.mentions if m.entity_id == CANARY_ENTITY]
    assert canary_mentions and all(m.paragraph == 2 for m in canary_mentions)
    assert any(f.paragraph == 2 and CANARY_FIGURE in f.sentence for f in enrichment.facts)
