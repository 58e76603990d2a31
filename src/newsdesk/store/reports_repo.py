"""The rows a report is drafted from (domain.reports.ReportData), read in one transaction.

A scope is a sector's ISO week (articles carrying the sector, editor labels winning) or an
entity over a period (articles naming it). Articles come from the published index (undated
ones by when they were stored); their stories, facts, entity mentions and the scope's weekly
volume follow with a fixed number of queries per 500 articles, never one per row.

Each article carries its effective visibility (its own, else its source's, else public:
store.access_sql), so a report drafted for a reader keeps only what the access policy lets
that reader read in full (reports.draft.within over domain.access.decide).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from newsdesk.domain.access import Visibility
from newsdesk.domain.enrichment import EntityRecord
from newsdesk.domain.reports import (
    VOLUME_WEEKS,
    EntityActivity,
    ReportArticle,
    ReportData,
    ReportFact,
    ReportKind,
    ReportScope,
    ReportStory,
    VolumePoint,
)
from newsdesk.store.access_sql import effective_visibility
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.rollups import ENTITY, SECTOR, week_start
from newsdesk.store.schema import (
    articles,
    entities,
    entity_mentions,
    fact_sources,
    facts,
    sources,
    stories,
    weekly_counts,
)
from newsdesk.store.search_repo import labelled_with

ID_BATCH = 500
TOP_ENTITIES = 40  # entities a report considers (movers and newcomers come from these)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _batches(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), ID_BATCH):
        yield list(ids[start : start + ID_BATCH])


def _news_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Published in [start, end), or undated and stored then."""
    return or_(
        and_(articles.c.published >= start, articles.c.published < end),
        and_(
            articles.c.published.is_(None),
            articles.c.created_at >= start,
            articles.c.created_at < end,
        ),
    )


def _in_scope(scope: ReportScope) -> ColumnElement[bool]:
    if scope.kind is ReportKind.SECTOR:
        return articles.c.id.in_(labelled_with([scope.key]))
    naming = select(entity_mentions.c.article_id).where(entity_mentions.c.entity_id == scope.key)
    return articles.c.id.in_(naming)


class ReportsRepository(StoreBase):
    def report_data(self, scope: ReportScope, *, label: str) -> ReportData:
        """Everything a report of scope is drafted from (label: the sector's name; an entity's
        name is read here, label is the fallback)."""
        with read_connection(self.engine) as connection, connection.begin():
            rows = connection.execute(
                select(
                    articles.c.id,
                    articles.c.title,
                    articles.c.url,
                    articles.c.published,
                    articles.c.created_at,
                    articles.c.story_id,
                    articles.c.source_id,
                    sources.c.name.label("source_name"),
                    effective_visibility(sources.c.visibility).label("visibility"),
                )
                .outerjoin(sources, sources.c.id == articles.c.source_id)
                .where(_news_between(scope.start, scope.end), _in_scope(scope))
                .order_by(articles.c.id)
            ).all()
            previous_ids = list(
                connection.execute(
                    select(articles.c.id).where(
                        _news_between(scope.previous_start, scope.start), _in_scope(scope)
                    )
                ).scalars()
            )
            found = {
                row.id: ReportArticle(
                    id=row.id,
                    title=row.title,
                    url=row.url,
                    source_name=row.source_name,
                    published=row.published or row.created_at,
                    story_id=row.story_id,
                    visibility=Visibility(row.visibility),
                )
                for row in rows
            }
            ids = sorted(found)
            if scope.kind is ReportKind.ENTITY:
                name = connection.execute(
                    select(entities.c.name).where(entities.c.id == scope.key)
                ).scalar()
                label = name or label
            report_facts = _facts(connection, ids)
            return ReportData(
                scope=scope,
                label=label,
                articles=found,
                previous_articles=len(previous_ids),
                stories=_stories(connection, rows),
                facts=report_facts,
                entities=_activity(connection, ids, previous_ids, found),
                entity_names=_names(connection, _fact_entity_ids(report_facts)),
                volume=_volume(connection, scope),
            )


def _stories(connection: Connection, rows: Sequence[Any]) -> tuple[ReportStory, ...]:
    members: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row.story_id is not None:
            members[row.story_id].append(row)
    found: list[ReportStory] = []
    for batch in _batches(sorted(members)):
        visibilities: dict[int, set[Visibility]] = defaultdict(set)
        for story_id, visibility in connection.execute(
            select(articles.c.story_id, effective_visibility())
            .where(articles.c.story_id.in_(batch))
            .distinct()
        ):
            visibilities[story_id].add(Visibility(visibility))
        for story in connection.execute(
            select(stories.c.id, stories.c.title, stories.c.summary).where(stories.c.id.in_(batch))
        ):
            own = sorted(members[story.id], key=lambda row: row.id)
            found.append(
                ReportStory(
                    story_id=story.id,
                    title=story.title,
                    summary=story.summary or "",
                    article_ids=tuple(row.id for row in own),
                    sources=len({row.source_id for row in own if row.source_id is not None}) or 1,
                    visibilities=frozenset(visibilities[story.id]),
                )
            )
    found.sort(key=lambda s: (-s.sources, -len(s.article_ids), s.story_id))
    return tuple(found)


def _facts(connection: Connection, ids: Sequence[int]) -> tuple[ReportFact, ...]:
    statements: dict[str, list[tuple[int, str]]] = defaultdict(list)
    kinds: dict[str, tuple[str, dict[str, object]]] = {}
    for batch in _batches(ids):
        for row in connection.execute(
            select(
                fact_sources.c.fact_key,
                fact_sources.c.article_id,
                fact_sources.c.sentence,
                facts.c.type,
                facts.c.data,
            )
            .join(facts, facts.c.key == fact_sources.c.fact_key)
            .where(fact_sources.c.article_id.in_(batch))
        ):
            statements[row.fact_key].append((row.article_id, row.sentence))
            kinds[row.fact_key] = (row.type, dict(row.data or {}))
    found = [
        ReportFact(
            key=key,
            type=kinds[key][0],
            data=kinds[key][1],
            statements=tuple(sorted(statements[key])),
        )
        for key in statements
    ]
    found.sort(key=lambda fact: (fact.statements[0][0], fact.key))
    return tuple(found)


def _activity(
    connection: Connection,
    ids: Sequence[int],
    previous_ids: Sequence[int],
    found: dict[int, ReportArticle],
) -> tuple[EntityActivity, ...]:
    naming: dict[str, list[int]] = defaultdict(list)
    for entity_id, article_id in _mentions(connection, ids):
        naming[entity_id].append(article_id)
    before: Counter[str] = Counter(
        entity_id for entity_id, _ in _mentions(connection, previous_ids)
    )
    ranked = sorted(naming, key=lambda e: (-len(naming[e]), e))[:TOP_ENTITIES]
    if not ranked:
        return ()
    records = {
        row.id: row for row in connection.execute(select(entities).where(entities.c.id.in_(ranked)))
    }

    def newest_first(article_id: int) -> tuple[datetime, int]:
        return (found[article_id].published or _EPOCH, article_id)

    return tuple(
        EntityActivity(
            entity=EntityRecord(
                id=row.id, name=row.name, type=row.type, aliases=tuple(row.aliases or ())
            ),
            article_ids=tuple(sorted(set(naming[row.id]), key=newest_first, reverse=True)),
            previous=before[row.id],
        )
        for entity_id in ranked
        if (row := records.get(entity_id)) is not None
    )


def _mentions(connection: Connection, ids: Sequence[int]) -> list[tuple[str, int]]:
    """(entity id, article id) once per pair among the given articles."""
    pairs: list[tuple[str, int]] = []
    for batch in _batches(ids):
        pairs.extend(
            (row.entity_id, row.article_id)
            for row in connection.execute(
                select(entity_mentions.c.entity_id, entity_mentions.c.article_id)
                .where(entity_mentions.c.article_id.in_(batch))
                .group_by(entity_mentions.c.entity_id, entity_mentions.c.article_id)
            )
        )
    return pairs


def _fact_entity_ids(report_facts: Sequence[ReportFact]) -> set[str]:
    found: set[str] = set()
    for fact in report_facts:
        for value in fact.data.values():
            values = value if isinstance(value, list) else [value]
            found.update(v for v in values if isinstance(v, str) and ":" in v)
    return found


def _names(connection: Connection, entity_ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(entity_ids)
    names: dict[str, str] = {}
    for start in range(0, len(wanted), ID_BATCH):
        batch = wanted[start : start + ID_BATCH]
        rows = connection.execute(
            select(entities.c.id, entities.c.name).where(entities.c.id.in_(batch))
        )
        names.update((row.id, row.name) for row in rows)
    return names


def _volume(connection: Connection, scope: ReportScope) -> tuple[VolumePoint, ...]:
    """Articles of the scope per week, for the VOLUME_WEEKS weeks ending with its last week."""
    last = week_start(scope.last_day)
    first = last - timedelta(weeks=VOLUME_WEEKS - 1)
    if scope.kind is ReportKind.ENTITY:
        first = min(first, week_start(scope.start))
    kind = SECTOR if scope.kind is ReportKind.SECTOR else ENTITY
    counts: dict[date, int] = {}
    for week, total in connection.execute(
        select(weekly_counts.c.week, func.sum(weekly_counts.c.articles))
        .where(
            weekly_counts.c.kind == kind,
            weekly_counts.c.key == scope.key,
            weekly_counts.c.week.between(first, last),
        )
        .group_by(weekly_counts.c.week)
    ):
        day = week if isinstance(week, date) else date.fromisoformat(str(week)[:10])
        counts[day] = int(total or 0)
    weeks = (last - first).days // 7 + 1
    return tuple(
        VolumePoint(week, counts.get(week, 0))
        for week in (first + timedelta(weeks=n) for n in range(weeks))
    )
