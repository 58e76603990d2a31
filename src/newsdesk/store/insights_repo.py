"""Reads behind the analysis pages: entities, their timelines and co-mentions, facts, trends.

Weekly counts and entity totals come from the roll-ups (weekly_counts, entity_counts, kept by
store/rollups.py); the rest is aggregated in SQL over indexed columns (entity_mentions by
entity and article, articles by published); Python only reshapes the few rows returned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Text,
    and_,
    cast,
    distinct,
    func,
    select,
    true,
)

from newsdesk.domain.access import EVERYTHING, ReadScope
from newsdesk.domain.enrichment import EntityRecord
from newsdesk.domain.insights import (
    CoMention,
    EntityListing,
    FactFilters,
    FactRow,
    MentionedArticle,
    WeeklySeries,
)
from newsdesk.domain.paging import Cursor
from newsdesk.store.access_sql import visible_in, visible_row
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.pagination import after, cut, newest_first
from newsdesk.store.rollups import ENTITY, SECTOR, week_start
from newsdesk.store.schema import (
    articles,
    entities,
    entity_counts,
    entity_mentions,
    fact_reports,
    fact_sources,
    facts,
    sources,
    weekly_counts,
)
from newsdesk.store.search_repo import newest_published
from newsdesk.store.site_sql import news_time

CO_MENTION_WINDOW = 1000  # co-mentions are counted over the entity's newest articles only
BUSY_ENTITY = 300  # named in this many articles: its timeline walks the published index
TOP_CANDIDATES = 100  # entities examined at a time when looking for the window's most named


class InsightsRepository(StoreBase):
    def entity_listing(
        self,
        *,
        entity_type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        scope: ReadScope = EVERYTHING,
    ) -> list[EntityListing]:
        """Entities with mentions, most mentioned first, ties by name (from entity_counts);
        only those the scope sees a mention of. The counts are of every mention."""
        query = (
            select(entities, entity_counts.c.mentions)
            .join(entity_counts, entity_counts.c.entity_id == entities.c.id)
            .where(entity_visible(scope))
            .order_by(entity_counts.c.mentions.desc(), entities.c.name, entities.c.id)
            .limit(limit)
            .offset(offset)
        )
        if entity_type is not None:
            query = query.where(entities.c.type == entity_type)
        with read_connection(self.engine) as connection:
            return [
                EntityListing(entity=_entity(row), mentions=row.mentions)
                for row in connection.execute(query)
            ]

    def entity_types(self) -> list[str]:
        with read_connection(self.engine) as connection:
            return list(
                connection.execute(
                    select(entities.c.type).distinct().order_by(entities.c.type)
                ).scalars()
            )

    def entities_of_type(
        self, entity_types: Sequence[str], *, limit: int = 500, scope: ReadScope = EVERYTHING
    ) -> list[EntityRecord]:
        """Entities of the given types by name, for filter menus (those the scope sees)."""
        query = (
            select(entities)
            .where(entities.c.type.in_(list(entity_types)), entity_visible(scope))
            .order_by(entities.c.name, entities.c.id)
            .limit(limit)
        )
        with read_connection(self.engine) as connection:
            return [_entity(row) for row in connection.execute(query)]

    def get_entity(self, entity_id: str, *, scope: ReadScope = EVERYTHING) -> EntityRecord | None:
        """The entity, if the scope sees a mention of it (an entity known only from what comes
        after a preview break does not exist for a preview reader)."""
        query = select(entities).where(entities.c.id == entity_id)
        if not scope.everything:
            query = query.where(entity_visible(scope))
        with read_connection(self.engine) as connection:
            row = connection.execute(query).first()
        return None if row is None else _entity(row)

    def entities_named(self, name: str, *, limit: int = 10) -> list[EntityRecord]:
        """Entities whose name or one of whose aliases is ``name`` (case and runs of spaces
        aside), by name. SQL narrows the rows by the name's longest ASCII word (SQLite lowers
        only ASCII, and the aliases are JSON text with other characters escaped); Python
        decides, and stops reading at the limit-th match. (No index serves a name compared
        case aside or inside the aliases' JSON; one would need a migration.)"""
        wanted = same_name(name)
        if not wanted:
            return []
        query = select(entities).order_by(entities.c.name, entities.c.id)
        word = max(re.findall(r"[\x21-\x7e]+", wanted), key=len, default="")
        if word:  # a word of the name is in the row's name or in its aliases' JSON text
            as_json = json.dumps(word)[1:-1]
            query = query.where(
                func.lower(entities.c.name).like(f"%{_like_escape(word)}%", escape="\\")
                | func.lower(cast(entities.c.aliases, Text)).like(
                    f"%{_like_escape(as_json)}%", escape="\\"
                )
            )
        found: list[EntityRecord] = []
        with read_connection(self.engine) as connection:
            for row in connection.execute(query):  # in name order: the first limit matches
                if wanted in {same_name(row.name), *map(same_name, row.aliases or ())}:
                    found.append(_entity(row))
                    if len(found) >= limit:
                        break
        return found

    def entity_names(self, entity_ids: Sequence[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(entity_ids))
        if not wanted:
            return {}
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(entities.c.id, entities.c.name).where(entities.c.id.in_(wanted[:500]))
            )
            return {row.id: row.name for row in rows}

    def entity_timeline(
        self,
        entity_id: str,
        *,
        limit: int = 20,
        cursor: Cursor | None = None,
        scope: ReadScope = EVERYTHING,
        since: datetime | None = None,
    ) -> tuple[list[MentionedArticle], Cursor | None]:
        """Articles naming the entity where the scope sees it, newest first, and the cursor of
        the next page; since: only articles published at or after it (a free window)."""
        with read_connection(self.engine) as connection:
            named_in = connection.execute(
                select(entity_counts.c.articles).where(entity_counts.c.entity_id == entity_id)
            ).scalar()
            query = _naming(entity_id, busy=(named_in or 0) >= BUSY_ENTITY, scope=scope)
            if since is not None:
                query = query.where(articles.c.published >= since)
            keys = connection.execute(newest_published(connection, query, cursor, limit + 1))
            page_keys, next_cursor = cut(
                keys.all(), limit, lambda key: Cursor(key.published, key.id)
            )
            ids = [key.id for key in page_keys]
            details = {
                row.id: row
                for row in connection.execute(
                    select(
                        articles.c.id,
                        articles.c.title,
                        sources.c.name.label("source_name"),
                    )
                    .outerjoin(sources, sources.c.id == articles.c.source_id)
                    .where(articles.c.id.in_(ids))
                )
            }
            counts: dict[int, int] = dict(
                connection.execute(
                    select(entity_mentions.c.article_id, func.count())
                    .where(
                        entity_mentions.c.entity_id == entity_id,
                        entity_mentions.c.article_id.in_(ids),
                        _mention_visible(scope),
                    )
                    .group_by(entity_mentions.c.article_id)
                ).all()
            )
        page = [
            MentionedArticle(
                article_id=key.id,
                title=details[key.id].title,
                published=key.published,
                source_name=details[key.id].source_name,
                mentions=counts.get(key.id, 0),
            )
            for key in page_keys
            if key.id in details
        ]
        return page, next_cursor

    def co_mentioned(
        self, entity_id: str, *, limit: int = 12, scope: ReadScope = EVERYTHING
    ) -> list[CoMention]:
        """Entities named in the same articles, most shared articles first (both mentions
        where the scope sees them).

        Counted over the CO_MENTION_WINDOW articles naming the entity that were stored last
        (read from the (entity_id, article_id) index alone), so the cost stays bounded for
        entities named in tens of thousands of articles."""
        recent = (
            select(entity_mentions.c.article_id)
            .where(entity_mentions.c.entity_id == entity_id, _mention_visible(scope))
            .distinct()
            .order_by(entity_mentions.c.article_id.desc())
            .limit(CO_MENTION_WINDOW)
            .subquery()
        )
        shared = func.count(distinct(entity_mentions.c.article_id)).label("shared")
        counted = (
            select(entity_mentions.c.entity_id, shared)
            .where(
                entity_mentions.c.article_id.in_(select(recent.c.article_id)),
                entity_mentions.c.entity_id != entity_id,
                _mention_visible(scope),
            )
            .group_by(entity_mentions.c.entity_id)
            .subquery()
        )
        query = (
            select(entities, counted.c.shared)
            .join(counted, counted.c.entity_id == entities.c.id)
            .order_by(counted.c.shared.desc(), entities.c.name, entities.c.id)
            .limit(limit)
        )
        with read_connection(self.engine) as connection:
            return [
                CoMention(entity=_entity(row), articles=row.shared)
                for row in connection.execute(query)
            ]

    def find_facts(
        self,
        filters: FactFilters,
        *,
        limit: int = 50,
        cursor: Cursor | None = None,
        scope: ReadScope = EVERYTHING,
    ) -> tuple[list[FactRow], Cursor | None]:
        """Facts by their first report's date, newest first, and the next page's cursor: those
        whose first report's sentence the scope may read.

        Walks the (reported, fact_key) index backwards, so a page reads about a page of rows
        when most facts match."""
        reported, fact_key = fact_reports.c.reported, fact_reports.c.fact_key
        query = (
            select(
                facts.c.key,
                facts.c.type,
                facts.c.data,
                fact_reports.c.sources,
                articles.c.id.label("article_id"),
                articles.c.title.label("article_title"),
                articles.c.published,
                reported.label("sort_time"),
                fact_sources.c.sentence,
            )
            .select_from(fact_reports)
            .join(facts, facts.c.key == fact_reports.c.fact_key)
            .join(articles, articles.c.id == fact_reports.c.article_id)
            .join(
                fact_sources,
                and_(
                    fact_sources.c.fact_key == fact_reports.c.fact_key,
                    fact_sources.c.article_id == fact_reports.c.article_id,
                ),
            )
            .where(*_fact_conditions(filters), visible_in(scope, fact_sources.c.paragraph))
            .order_by(*newest_first(reported, fact_key))
        )
        if cursor is not None:
            query = query.where(after(cursor.expect(datetime, str), reported, fact_key))
        if limit > 0:
            query = query.limit(limit + 1)
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        page_rows, next_cursor = (
            cut(rows, limit, lambda row: Cursor(row.sort_time, row.key))
            if limit > 0
            else (list(rows), None)
        )
        page = [
            FactRow(
                key=row.key,
                type=row.type,
                data=dict(row.data or {}),
                sentence=row.sentence,
                article_id=row.article_id,
                article_title=row.article_title,
                reported=row.published,
                sources=row.sources,
            )
            for row in page_rows
        ]
        return page, next_cursor

    def newest_published(self) -> datetime | None:
        """The newest publication date of any dated article, where the trend charts end: a date
        after the article was stored counts as when it was stored (news_time), so one piece
        dated ahead (a feed's error, 9999-12-31) cannot move every chart to empty weeks."""
        with read_connection(self.engine) as connection:
            newest: datetime | None = connection.execute(
                select(func.max(news_time)).where(articles.c.published.is_not(None))
            ).scalar()
        return newest

    def sector_weekly_counts(
        self, sector_ids: Sequence[str], *, weeks: int, end: datetime
    ) -> list[WeeklySeries]:
        """Dated articles labelled with each sector, per week, for the weeks up to end's week."""
        window = week_starts(end, weeks)
        with read_connection(self.engine) as connection:
            rows = _weekly_rows(connection, SECTOR, window)
        return _series(list(sector_ids), {key: key for key in sector_ids}, window, rows)

    def entity_weekly_counts(
        self,
        *,
        weeks: int,
        end: datetime,
        entity_ids: Sequence[str] = (),
        top: int = 6,
        scope: ReadScope = EVERYTHING,
    ) -> list[WeeklySeries]:
        """Dated articles naming each entity per week. Without entity_ids: the `top` entities
        named in most articles over the window. Only entities the scope sees a mention of
        (the counts are of every article)."""
        window = week_starts(end, weeks)
        with read_connection(self.engine) as connection:
            wanted = _visible_entities(connection, list(dict.fromkeys(entity_ids)), scope)
            if not entity_ids:
                wanted = _most_named(connection, window, top, scope)
            if not wanted:
                return []
            rows = _weekly_rows(connection, ENTITY, window, wanted)
            names = {
                row.id: row.name
                for row in connection.execute(
                    select(entities.c.id, entities.c.name).where(entities.c.id.in_(wanted))
                )
            }
        known = [entity_id for entity_id in wanted if entity_id in names]
        return _series(known, names, window, rows)


def _visible_entities(
    connection: Connection, entity_ids: Sequence[str], scope: ReadScope
) -> list[str]:
    """Those of entity_ids the scope sees a mention of, in their order."""
    if scope.everything or not entity_ids:
        return list(entity_ids)
    seen = set(
        connection.execute(
            select(entities.c.id).where(entities.c.id.in_(list(entity_ids)), entity_visible(scope))
        ).scalars()
    )
    return [entity_id for entity_id in entity_ids if entity_id in seen]


def entity_visible(scope: ReadScope) -> Any:
    """The entity of the enclosing query has a mention the scope sees."""
    if scope.everything:
        return true()
    return (
        select(entity_mentions.c.id)
        .where(entity_mentions.c.entity_id == entities.c.id, _mention_visible(scope))
        .correlate(entities)
        .exists()
    )


def _mention_visible(scope: ReadScope) -> Any:
    return visible_row(scope, entity_mentions.c.article_id, entity_mentions.c.paragraph)


def _most_named(
    connection: Connection, window: Sequence[date], top: int, scope: ReadScope
) -> list[str]:
    """The `top` entities naming most articles in the window (ties by id).

    Candidates come in order of all-time articles, which bound their count in any window:
    once the top-th best window count beats the next candidate's all-time count, no entity
    left can enter the list."""
    in_window: dict[str, int] = {}
    offset = 0
    while True:
        candidates = connection.execute(
            select(entity_counts.c.entity_id, entity_counts.c.articles)
            .order_by(entity_counts.c.articles.desc(), entity_counts.c.entity_id)
            .limit(TOP_CANDIDATES)
            .offset(offset)
        ).all()
        offset += TOP_CANDIDATES
        ids = _visible_entities(connection, [row.entity_id for row in candidates], scope)
        for row in _weekly_rows(connection, ENTITY, window, ids):
            in_window[row.key] = in_window.get(row.key, 0) + int(row.n)
        ranked = sorted(in_window, key=lambda key: (-in_window[key], key))[:top]
        if len(candidates) < TOP_CANDIDATES:
            return ranked
        if len(ranked) == top and in_window[ranked[-1]] > candidates[-1].articles:
            return ranked


def _weekly_rows(
    connection: Connection, kind: str, window: Sequence[date], keys: Sequence[str] | None = None
) -> list[Any]:
    query = select(weekly_counts.c.key, weekly_counts.c.week, weekly_counts.c.articles.label("n"))
    query = query.where(
        weekly_counts.c.kind == kind, weekly_counts.c.week.between(window[0], window[-1])
    )
    if keys is not None:
        query = query.where(weekly_counts.c.key.in_(list(keys)))
    return list(connection.execute(query).all())


def week_starts(end: datetime, weeks: int) -> tuple[date, ...]:
    """The Mondays of the `weeks` weeks ending with end's week, oldest first."""
    last = week_start(end)
    return tuple(last - timedelta(weeks=n) for n in range(max(1, weeks) - 1, -1, -1))


def _naming(entity_id: str, *, busy: bool, scope: ReadScope) -> Any:
    """(id, published) of the articles naming the entity (to be read newest first).

    A busy entity is named in a good share of all articles: walking the published index from
    the newest end and probing the (entity_id, article_id) index per article stops after a
    page. A quieter one is faster the other way round: its few article ids from the index,
    looked up and sorted."""
    if busy:
        names = (
            select(entity_mentions.c.id)
            .where(
                entity_mentions.c.entity_id == entity_id,
                entity_mentions.c.article_id == articles.c.id,
                _mention_visible(scope),
            )
            .exists()
        )
        return select(articles.c.id, articles.c.published).where(names)
    naming = select(entity_mentions.c.article_id).where(
        entity_mentions.c.entity_id == entity_id, _mention_visible(scope)
    )
    return select(articles.c.id, articles.c.published).where(articles.c.id.in_(naming))


def _series(
    keys: Sequence[str], labels: dict[str, str], window: Sequence[date], rows: Sequence[Any]
) -> list[WeeklySeries]:
    counts: dict[tuple[str, date], int] = {}
    for row in rows:
        day = row.week if isinstance(row.week, date) else date.fromisoformat(str(row.week)[:10])
        week = week_start(day.date() if isinstance(day, datetime) else day)
        counts[(row.key, week)] = counts.get((row.key, week), 0) + int(row.n)
    return [
        WeeklySeries(
            key=key,
            label=labels.get(key, key),
            weeks=tuple(window),
            counts=tuple(counts.get((key, week), 0) for week in window),
        )
        for key in keys
    ]


def _fact_conditions(filters: FactFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.fact_type is not None:
        # Not through the type index: walking fact_reports newest first stops after a page.
        conditions.append(facts.c.type.concat("") == filters.fact_type)
    data_text = cast(facts.c.data, Text)
    # The filters are entity ids; a fact involves one if the id is any of its field values.
    conditions.extend(
        data_text.like(f"%{_like_escape(json.dumps(entity_id))}%", escape="\\")
        for entity_id in (filters.commodity, filters.country, filters.party)
        if entity_id
    )
    if filters.since is not None:
        conditions.append(fact_reports.c.reported >= filters.since)
    if filters.until is not None:
        conditions.append(fact_reports.c.reported < filters.until)
    return conditions


def same_name(name: str) -> str:
    """A name as compared when a reader types one: lower case, spaces collapsed."""
    return " ".join(name.split()).lower()


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _entity(row: Any) -> EntityRecord:
    return EntityRecord(id=row.id, name=row.name, type=row.type, aliases=tuple(row.aliases or ()))
