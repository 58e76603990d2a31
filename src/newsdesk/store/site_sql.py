"""The pieces the site's reads share (store.site_repo's listings and pages, store.article_page,
syndication): an article's brief and the query that reads it, effective sector labels read by
article id in batches, a story's lead article, sectors and row, and how read values are made
aware and typed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, case, func, or_, select

from newsdesk.domain.access import Visibility
from newsdesk.domain.enrichment import SectorLabel
from newsdesk.domain.models import Story
from newsdesk.domain.reading import ArticleBrief
from newsdesk.store.access_sql import effective_visibility
from newsdesk.store.article_rows import story_from_row, visibility_or_none
from newsdesk.store.enrichment_repo import LABEL_THRESHOLD, effective_labels
from newsdesk.store.schema import article_sectors, articles, enrichments, sources, stories

_ID_BATCH = 500

# When an article was news: its publication date, or when it was stored if it has none or
# claims a date after it was stored (a feed cannot keep an item on top by dating it ahead).
news_time = case(
    (
        or_(articles.c.published.is_(None), articles.c.published > articles.c.created_at),
        articles.c.created_at,
    ),
    else_=articles.c.published,
)

# A label that counts: an editor's, or an automatic one at least as confident as the threshold
# (labels_of then keeps the editor's alone where an article has both).
counted_label = or_(
    article_sectors.c.by_editor.is_(True), article_sectors.c.score >= LABEL_THRESHOLD
)


_LABELS_OF = select(article_sectors).where(
    article_sectors.c.article_id.in_(bindparam("b_ids", expanding=True)), counted_label
)
_STORY_BY_ID = select(
    stories,
    select(func.count())
    .where(articles.c.story_id == stories.c.id)
    .correlate(stories)
    .scalar_subquery()
    .label("article_count"),
).where(stories.c.id == bindparam("b_id"))


def brief_query() -> Select[Any]:
    return select(
        articles.c.id,
        articles.c.title,
        articles.c.url,
        articles.c.source_id,
        sources.c.name.label("source_name"),
        func.coalesce(articles.c.published, articles.c.created_at).label("shown_at"),
        articles.c.published,
        enrichments.c.summary,
        articles.c.image,
        articles.c.story_id,
        effective_visibility(sources.c.visibility).label("visibility"),
        enrichments.c.summary_reach,
        enrichments.c.lead,
        articles.c.preview_paragraphs,
    ).select_from(
        articles.outerjoin(sources, sources.c.id == articles.c.source_id).outerjoin(
            enrichments, enrichments.c.article_id == articles.c.id
        )
    )


def brief_of(row: Any, sectors: dict[int, list[SectorLabel]] | None = None) -> ArticleBrief:
    labels = (sectors or {}).get(row.id, [])
    return ArticleBrief(
        id=row.id,
        title=row.title,
        url=row.url,
        source_id=row.source_id,
        source_name=row.source_name,
        published=aware_utc(row.shown_at),
        summary=row.summary or "",
        image=row.image,
        story_id=row.story_id,
        sectors=tuple(label.sector_id for label in labels),
        visibility=visibility_of(row.visibility),
        summary_reach=row.summary_reach,
        lead=row.lead or "",
        preview_paragraphs=row.preview_paragraphs,
    )


def visibility_of(value: str | None) -> Visibility:
    """An effective visibility as read; an unknown value reads as the strictest."""
    return visibility_or_none(value) or Visibility.PUBLIC


def aware_utc(value: Any) -> datetime | None:
    """Aware UTC, whatever an aggregate handed back (SQLite may lose the column's type)."""
    if value is None:
        return None
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def label_of(row: Any) -> SectorLabel:
    return SectorLabel(
        sector_id=row.sector_id,
        score=row.score,
        explanation=row.explanation,
        by_editor=row.by_editor,
    )


def id_batches(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), _ID_BATCH):
        yield items[start : start + _ID_BATCH]


def labels_of(connection: Connection, article_ids: Sequence[int]) -> dict[int, list[SectorLabel]]:
    """Each article's effective labels (an editor's, else the confident ones), best first."""
    raw: dict[int, list[SectorLabel]] = defaultdict(list)
    for batch in id_batches(list(dict.fromkeys(article_ids))):
        for row in connection.execute(_LABELS_OF, {"b_ids": list(batch)}):
            raw[row.article_id].append(label_of(row))
    return {article_id: effective_labels(labels) for article_id, labels in raw.items()}


def strongest_sectors(label_lists: Iterable[list[SectorLabel]]) -> tuple[str, ...]:
    sums: dict[str, float] = defaultdict(float)
    for labels in label_lists:
        for label in labels:
            sums[label.sector_id] += label.score
    return tuple(sorted(sums, key=lambda sector: (-sums[sector], sector)))


def story_sectors(connection: Connection, story_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    rows: list[Any] = []
    for batch in id_batches(story_ids):
        rows += connection.execute(
            select(article_sectors, articles.c.story_id)
            .join(articles, articles.c.id == article_sectors.c.article_id)
            .where(articles.c.story_id.in_(batch), counted_label)
        ).all()
    by_article: dict[int, list[SectorLabel]] = defaultdict(list)
    story_of: dict[int, int] = {}
    for row in rows:
        by_article[row.article_id].append(label_of(row))
        story_of[row.article_id] = row.story_id
    per_story: dict[int, list[list[SectorLabel]]] = defaultdict(list)
    for article_id, labels in by_article.items():
        per_story[story_of[article_id]].append(effective_labels(labels))
    return {story_id: strongest_sectors(lists) for story_id, lists in per_story.items()}


def story_leads_of(connection: Connection, story_ids: Sequence[int]) -> dict[int, ArticleBrief]:
    rows: list[Any] = []
    for batch in id_batches(list(dict.fromkeys(story_ids))):
        rows += connection.execute(
            brief_query()
            .where(articles.c.story_id.in_(batch))
            .order_by(func.coalesce(articles.c.published, articles.c.created_at), articles.c.id)
        ).all()
    firsts: dict[int, Any] = {}
    for row in rows:
        firsts.setdefault(row.story_id, row)
    labels = labels_of(connection, [row.id for row in firsts.values()])
    return {story_id: brief_of(row, labels) for story_id, row in firsts.items()}


def story_by_id(connection: Connection, story_id: int | None) -> Story | None:
    if story_id is None:
        return None
    row = connection.execute(_STORY_BY_ID, {"b_id": story_id}).first()
    return None if row is None else story_from_row(row)
