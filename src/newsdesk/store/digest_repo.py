"""The day's candidate stories for the digest, read in four set queries (not per subscriber).

A story is a candidate when its last_seen_at falls in the window; what the digest shows
about it comes from the story's summary (over all its reports; else the first article summary,
else the first report's text) and its articles: the first report's URL, the union of their
sector labels (an editor's labels replace the automatic ones, per article), the number of
distinct sources and the entities they mention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select

from newsdesk.domain.access import EVERYTHING, ReadScope, Visibility
from newsdesk.domain.preview import preview_length, shown_summary
from newsdesk.store.access_sql import effective_visibility, visible_in
from newsdesk.store.article_rows import visibility_or_none
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import (
    article_sectors,
    articles,
    enrichments,
    entities,
    entity_mentions,
    stories,
)
from newsdesk.text.sentences import leading_paragraphs

LABEL_THRESHOLD = 0.5
EXCERPT_CHARS = 800


@dataclass(frozen=True, slots=True)
class DigestCandidateRow:
    story_id: int
    title: str
    summary: str
    sectors: tuple[str, ...]  # strongest first
    best_sector_score: float
    source_count: int
    article_count: int
    entities: tuple[tuple[str, str], ...]  # (entity id, name)
    lead_url: str
    last_seen_at: datetime


class DigestRepository(StoreBase):
    def digest_candidates(
        self, since: datetime, until: datetime, *, scope: ReadScope = EVERYTHING
    ) -> list[DigestCandidateRow]:
        """Stories whose last_seen_at is in [since, until), with their digest fields as a
        recipient with this scope may read them: the story's summary only if they read every
        report in full (else the first report's preview summary), and only the entities
        named where they may read."""
        window = and_(stories.c.last_seen_at >= since, stories.c.last_seen_at < until)
        in_window = articles.join(stories, articles.c.story_id == stories.c.id)
        with read_connection(self.engine) as connection:
            story_rows = connection.execute(
                select(
                    stories.c.id, stories.c.title, stories.c.summary, stories.c.last_seen_at
                ).where(window)
            ).all()
            article_rows = connection.execute(
                select(
                    articles.c.id,
                    articles.c.story_id,
                    articles.c.source_id,
                    articles.c.url,
                    func.coalesce(articles.c.published, articles.c.created_at).label("at"),
                    func.substr(articles.c.text, 1, EXCERPT_CHARS).label("excerpt"),
                    enrichments.c.summary,
                    enrichments.c.summary_reach,
                    enrichments.c.lead,
                    articles.c.preview_paragraphs,
                    effective_visibility().label("visibility"),
                )
                .select_from(
                    in_window.outerjoin(enrichments, enrichments.c.article_id == articles.c.id)
                )
                .where(window)
            ).all()
            sector_rows = connection.execute(
                select(
                    articles.c.story_id,
                    article_sectors.c.article_id,
                    article_sectors.c.sector_id,
                    article_sectors.c.by_editor,
                    article_sectors.c.score,
                )
                .select_from(
                    in_window.join(article_sectors, article_sectors.c.article_id == articles.c.id)
                )
                .where(window, article_sectors.c.score >= LABEL_THRESHOLD)
            ).all()
            entity_rows = connection.execute(
                select(articles.c.story_id, entities.c.id, entities.c.name)
                .select_from(
                    in_window.join(
                        entity_mentions, entity_mentions.c.article_id == articles.c.id
                    ).join(entities, entities.c.id == entity_mentions.c.entity_id)
                )
                .where(window, visible_in(scope, entity_mentions.c.paragraph))
                .distinct()
            ).all()
        return _assemble(story_rows, article_rows, sector_rows, entity_rows, scope)


def _reads(scope: ReadScope, article: Any) -> bool:
    return scope.reads(visibility_or_none(article.visibility) or Visibility.PUBLIC)


def _lead_summary(scope: ReadScope, lead: Any) -> str:
    """The first report's summary as this scope may see it; its preview text if it has none."""
    full = _reads(scope, lead)
    length = preview_length(lead.preview_paragraphs, scope.preview_paragraphs)
    shown = shown_summary(
        full=full,
        summary=lead.summary or "",
        reach=lead.summary_reach,
        lead=lead.lead or "",
        length=length,
    )
    if shown or full:
        return shown or lead.excerpt
    return "\n".join(leading_paragraphs(lead.excerpt, length))


def _assemble(
    story_rows: Sequence[Any],
    article_rows: Sequence[Any],
    sector_rows: Sequence[Any],
    entity_rows: Sequence[Any],
    scope: ReadScope,
) -> list[DigestCandidateRow]:
    by_story: dict[int, list[Any]] = defaultdict(list)
    for row in article_rows:
        by_story[row.story_id].append(row)
    labels_by_article: dict[int, list[Any]] = defaultdict(list)
    for row in sector_rows:
        labels_by_article[row.article_id].append(row)
    sector_scores: dict[int, dict[str, float]] = defaultdict(dict)
    for labels in labels_by_article.values():
        editor = [label for label in labels if label.by_editor]
        for label in editor or labels:
            scores = sector_scores[label.story_id]
            scores[label.sector_id] = max(scores.get(label.sector_id, 0.0), label.score)
    named: dict[int, dict[str, str]] = defaultdict(dict)
    for row in entity_rows:
        named[row.story_id][row.id] = row.name
    candidates = []
    for story in story_rows:
        story_articles = sorted(by_story.get(story.id, ()), key=lambda a: (a.at, a.id))
        if not story_articles:
            continue
        lead = story_articles[0]
        if all(_reads(scope, a) for a in story_articles):
            summary = (
                story.summary
                or next((a.summary for a in story_articles if a.summary), "")
                or lead.excerpt
            )
        else:
            summary = _lead_summary(scope, lead)
        scores = sector_scores.get(story.id, {})
        ranked = sorted(scores, key=lambda s: (-scores[s], s))
        sources = {a.source_id for a in story_articles if a.source_id is not None}
        unsourced = sum(1 for a in story_articles if a.source_id is None)
        candidates.append(
            DigestCandidateRow(
                story_id=story.id,
                title=story.title,
                summary=summary or "",
                sectors=tuple(ranked),
                best_sector_score=scores[ranked[0]] if ranked else 0.0,
                source_count=max(len(sources) + unsourced, 1),
                article_count=len(story_articles),
                entities=tuple(sorted(named.get(story.id, {}).items())),
                lead_url=lead.url,
                last_seen_at=story.last_seen_at,
            )
        )
    return candidates
