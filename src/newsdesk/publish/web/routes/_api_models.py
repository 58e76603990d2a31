"""Response models of the reading API (/api/v1/articles, stories, sectors), so /openapi.json
documents every field. Built from the domain types by the from_* functions below.

Not a route module (the leading underscore keeps create_app from including it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from newsdesk.domain.reading import ArticleBrief, StoryDetail, StoryListing
from newsdesk.publish.gating import GatedArticle
from newsdesk.publish.web.options import SiteOptions


class SectorRef(BaseModel):
    id: str
    name: str


class SourceRef(BaseModel):
    id: int | None
    name: str | None


class ArticleItem(BaseModel):
    id: int = Field(description="Stable article id")
    title: str = Field(description="Plain text; escape it for the context you put it in")
    url: str = Field(description="The original article")
    link: str = Field(description="The article's page on this site")
    source: SourceRef
    published: datetime | None = Field(description="Publication time (stored time if undated)")
    summary: str = Field(description="Plain-text summary")
    story_id: int | None
    sectors: list[SectorRef]
    visibility: Literal["public", "members", "pro"] = Field(
        description="Who may read it in full: everyone, signed-in members, or Pro"
    )


class ArticlePage(BaseModel):
    items: list[ArticleItem]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null at end")


class EntityItem(BaseModel):
    id: str
    name: str
    type: str
    mentions: int = Field(description="Mentions within this article")
    link: str


class FactItem(BaseModel):
    key: str
    type: str
    data: dict[str, Any]
    sentence: str = Field(description="The sentence of this article that states the fact")


class RelatedItem(BaseModel):
    article: ArticleItem
    score: float
    reason: str


class StoryRef(BaseModel):
    id: int
    title: str
    articles: int
    link: str


class ArticleFull(ArticleItem):
    authors: list[str]
    language: str | None
    rights: Literal["full", "excerpt", "link"] = Field(
        description="What the source allows: the full text, an excerpt, or a link only"
    )
    access: Literal["full", "preview"] = Field(
        description="What you get: the full text, or a preview up to the break (the summary, "
        "entities and facts then come from the preview only)"
    )
    body_html: str = Field(
        description="Sanitized HTML allowed by the rights and your access (may be empty)"
    )
    entities: list[EntityItem]
    facts: list[FactItem]
    related: list[RelatedItem] = Field(description='"Read more insights", best first')
    story: StoryRef | None


class StoryItem(BaseModel):
    id: int = Field(description="Stable story id")
    title: str
    first_seen_at: datetime
    last_seen_at: datetime
    articles: int
    sources: int
    link: str
    lead: ArticleItem | None = Field(description="The story's first report")
    sectors: list[SectorRef]


class StoryPageOut(BaseModel):
    items: list[StoryItem]
    next_cursor: str | None


class StoryFull(BaseModel):
    id: int
    title: str
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    sources: int
    link: str
    summary: str = Field(description="Plain-text summary over all its reports (may be empty)")
    sectors: list[SectorRef]
    articles: list[ArticleItem] = Field(description="Every report, the first one first")


class SectorItem(BaseModel):
    id: str
    name: str
    description: str
    link: str
    stories: str = Field(description="The sector's stories in this API")
    feeds: dict[str, str] = Field(description="RSS, Atom and JSON Feed URLs")


class SectorList(BaseModel):
    items: list[SectorItem]


def _url(options: SiteOptions, path: str) -> str:
    return options.base_url.rstrip("/") + path


def sector_refs(options: SiteOptions, sector_ids: tuple[str, ...] | list[str]) -> list[SectorRef]:
    names = {sector.id: sector.name for sector in options.sectors}
    return [
        SectorRef(id=sector_id, name=names.get(sector_id, sector_id)) for sector_id in sector_ids
    ]


def from_brief(options: SiteOptions, brief: ArticleBrief) -> ArticleItem:
    return ArticleItem(
        id=brief.id,
        title=brief.title,
        url=brief.url,
        link=_url(options, f"/articles/{brief.id}"),
        source=SourceRef(id=brief.source_id, name=brief.source_name),
        published=brief.published,
        summary=brief.summary,
        story_id=brief.story_id,
        sectors=sector_refs(options, brief.sectors),
        visibility=brief.visibility.value,
    )


def from_detail(
    options: SiteOptions, gated: GatedArticle, rights: str, body_html: str
) -> ArticleFull:
    detail = gated.detail
    article = detail.article
    assert article.id is not None  # stored articles always have one
    story = detail.story
    return ArticleFull(
        id=article.id,
        title=article.title,
        url=article.url,
        link=_url(options, f"/articles/{article.id}"),
        source=SourceRef(
            id=article.source_id,
            name=detail.source.name if detail.source else article.site_name,
        ),
        published=article.published or article.created_at,
        summary=detail.summary,
        story_id=article.story_id,
        sectors=sector_refs(options, [label.sector_id for label in detail.sectors]),
        authors=list(article.authors),
        language=article.language,
        rights=rights,
        visibility=detail.visibility.value,
        access="full" if gated.full else "preview",
        body_html=body_html,
        entities=[
            EntityItem(
                id=item.entity.id,
                name=item.entity.name,
                type=item.entity.type,
                mentions=item.mentions,
                link=_url(options, f"/entities/{item.entity.id}"),
            )
            for item in detail.entities
        ],
        facts=[
            FactItem(key=fact.key, type=fact.type, data=dict(fact.data), sentence=fact.sentence)
            for fact in detail.facts
        ],
        related=[
            RelatedItem(
                article=from_brief(options, item.article), score=item.score, reason=item.reason
            )
            for item in detail.related
        ],
        story=None
        if story is None or story.id is None
        else StoryRef(
            id=story.id,
            title=story.title,
            articles=story.article_count,
            link=_url(options, f"/stories/{story.id}"),
        ),
    )


def from_listing(options: SiteOptions, listing: StoryListing) -> StoryItem:
    return StoryItem(
        id=listing.id,
        title=listing.lead.title if listing.lead else listing.title,
        first_seen_at=listing.first_seen_at,
        last_seen_at=listing.last_seen_at,
        articles=listing.articles,
        sources=listing.sources,
        link=_url(options, f"/stories/{listing.id}"),
        lead=from_brief(options, listing.lead) if listing.lead else None,
        sectors=sector_refs(options, listing.sectors),
    )


def from_story_detail(options: SiteOptions, detail: StoryDetail) -> StoryFull:
    story = detail.story
    assert story.id is not None  # stored stories always have one
    return StoryFull(
        id=story.id,
        title=detail.articles[0].title if detail.articles else story.title,
        first_seen_at=story.first_seen_at,
        last_seen_at=story.last_seen_at,
        sources=detail.sources,
        link=_url(options, f"/stories/{story.id}"),
        summary=story.summary,
        sectors=sector_refs(options, detail.sectors),
        articles=[from_brief(options, brief) for brief in detail.articles],
    )


def sector_item(options: SiteOptions, sector_id: str, name: str, description: str) -> SectorItem:
    return SectorItem(
        id=sector_id,
        name=name,
        description=description,
        link=_url(options, f"/sectors/{sector_id}"),
        stories=_url(options, f"/api/v1/sectors/{sector_id}/stories"),
        feeds={
            kind: _url(options, f"/feeds/sectors/{sector_id}.{ext}")
            for kind, ext in (("rss", "xml"), ("atom", "atom"), ("json", "json"))
        },
    )
