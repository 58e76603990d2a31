"""Cutting what the site shows down to the access decision: pure functions over domain types.

Every surface builds its response from what these return, never from the stored objects:
a viewer whose decision is PREVIEW gets the title, the paragraphs before the break, and only
derived text that comes from them (summary or lead, entity mentions, fact sentences); the
reasons of "Read more" links, which name what two articles share, are left out. Related
articles and story reports are gated each by their own visibility.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from newsdesk.domain.access import AccessDecision, Visibility
from newsdesk.domain.preview import in_preview, shown_summary
from newsdesk.domain.reading import (
    ArticleBrief,
    ArticleDetail,
    ArticleEntity,
    RelatedArticle,
    StoryDetail,
)


class Decides(Protocol):
    """What gating needs of a reader (publish.web.reader.Reader implements it)."""

    def article(self, visibility: Visibility) -> AccessDecision: ...

    def preview_length(self, own: int | None) -> int: ...


def gated_brief(brief: ArticleBrief, reader: Decides) -> ArticleBrief:
    """A card or list entry: the summary a preview may show unless read in full."""
    if reader.article(brief.visibility).full:
        return brief
    summary = shown_summary(
        full=False,
        summary=brief.summary,
        reach=brief.summary_reach,
        lead=brief.lead,
        length=reader.preview_length(brief.preview_paragraphs),
    )
    return replace(brief, summary=summary)


def gated_briefs(briefs: Iterable[ArticleBrief], reader: Decides) -> tuple[ArticleBrief, ...]:
    return tuple(gated_brief(brief, reader) for brief in briefs)


@dataclass(frozen=True)
class GatedArticle:
    """An article page's content after the decision: detail holds only what may be shown."""

    detail: ArticleDetail
    decision: AccessDecision
    preview_paragraphs: int  # paragraphs of the body a preview shows

    @property
    def full(self) -> bool:
        return self.decision.full


def gated_article(detail: ArticleDetail, reader: Decides) -> GatedArticle:
    decision = reader.article(detail.visibility)
    length = reader.preview_length(detail.article.preview_paragraphs)
    related = tuple(
        RelatedArticle(
            article=gated_brief(item.article, reader),
            score=item.score,
            reason=item.reason if decision.full else "",
        )
        for item in detail.related
    )
    if decision.full:
        return GatedArticle(replace(detail, related=related), decision, length)
    entities = []
    for item in detail.entities:
        seen = tuple(p for p in item.paragraphs if in_preview(p, length))
        if seen:
            entities.append(ArticleEntity(item.entity, mentions=len(seen), paragraphs=seen))
    entities.sort(key=lambda item: (-item.mentions, item.entity.name, item.entity.id))
    gated = replace(
        detail,
        summary=shown_summary(
            full=False,
            summary=detail.summary,
            reach=detail.summary_reach,
            lead=detail.lead,
            length=length,
        ),
        entities=tuple(entities),
        facts=tuple(fact for fact in detail.facts if in_preview(fact.paragraph, length)),
        related=related,
    )
    return GatedArticle(gated, decision, length)


def gated_story(detail: StoryDetail, reader: Decides) -> StoryDetail:
    """Every report gated by its own visibility; the story's summary (drawn from every
    report) only for a reader who reads them all in full, else the first report's."""
    articles = gated_briefs(detail.articles, reader)
    reads_all = all(reader.article(brief.visibility).full for brief in detail.articles)
    if reads_all:
        return replace(detail, articles=articles)
    summary = articles[0].summary if articles else ""
    return replace(detail, articles=articles, story=replace(detail.story, summary=summary))
