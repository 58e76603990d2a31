"""What enrichment stores for one article: sectors, entities, facts, summary, related."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SectorLabel:
    sector_id: str
    score: float  # 0..1; a label counts at >= 0.5
    explanation: str = ""
    by_editor: bool = False  # an editor's correction, never overwritten by re-enrichment


@dataclass(frozen=True)
class EntityRecord:
    """A canonical entity, e.g. id "org:jogmec", type "organisation"."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class MentionRecord:
    entity_id: str
    text: str
    start: int  # character offsets into the article's title or text (see field)
    end: int
    field: str = "text"  # "text" or "title"
    role: str | None = None
    # index of the text paragraph it is in (domain.preview.TITLE_PARAGRAPH for the title)
    paragraph: int | None = None


@dataclass(frozen=True)
class FactRecord:
    """A typed fact; `key` identifies the same fact across articles."""

    key: str
    type: str  # agreement, investment, quantity, policy
    data: dict[str, object] = field(default_factory=dict)  # the type's fields, JSON-ready
    sentence: str = ""
    start: int = 0
    end: int = 0
    paragraph: int | None = None  # index of the text paragraph the sentence is in


@dataclass(frozen=True)
class RelatedLink:
    article_id: int
    score: float
    reason: str


@dataclass(frozen=True)
class Enrichment:
    article_id: int
    version: str  # taxonomy/model/extractor versions; a change means re-enrich
    language: str | None = None
    summary: str = ""
    summary_reach: int | None = None  # the last paragraph the summary draws on
    lead: str = ""  # a summary of the first paragraph alone: what any preview may show
    sectors: tuple[SectorLabel, ...] = ()
    entities: tuple[EntityRecord, ...] = ()
    mentions: tuple[MentionRecord, ...] = ()
    facts: tuple[FactRecord, ...] = ()
    related: tuple[RelatedLink, ...] = ()


@dataclass(frozen=True)
class EntitySummary:
    entity: EntityRecord
    mentions: int  # across all articles
    articles: int


@dataclass(frozen=True)
class FactSummary:
    fact: FactRecord  # the first report of the fact
    article_ids: tuple[int, ...]  # every article that states it, first report first
