"""Reads behind the market trends: entity counts in a recent and a baseline window, dated
articles per week, and the agreements and investments first reported in a period.

Whatever comes from an article's text is read within the reader's ReadScope (domain.access,
decided by the access policy; applied here as store.access_sql applies it to search and the
facts tracker): an entity mention or a fact sentence counts when its article is read in full
or it comes before the article's preview break. So an entity named only after the break of a
Pro piece neither counts nor lists the piece for a reader without Pro, and a deal stated only
there is not in their deal flow. Article totals are counts of titles, shown to everyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, distinct, func, select

from newsdesk.domain.access import EVERYTHING, ReadScope
from newsdesk.domain.trends import DealFact, EntityCounts, WindowCounts
from newsdesk.store.access_sql import visible_in
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.schema import (
    article_sectors,
    articles,
    entity_mentions,
    fact_reports,
    fact_sources,
    facts,
)
from newsdesk.store.search_repo import effective_label

ID_BATCH = 500


class TrendsRepository(StoreBase):
    def window_counts(
        self,
        *,
        end: datetime,
        recent: timedelta,
        baseline: timedelta,
        scope: ReadScope = EVERYTHING,
    ) -> WindowCounts:
        """Articles (dated) naming each entity where the scope sees it, in [end - recent, end)
        and in the baseline [end - recent - baseline, end - recent)."""
        recent_start = end - recent
        baseline_start = recent_start - baseline
        with read_connection(self.engine) as connection, connection.begin():

            def per_entity(start: datetime, stop: datetime) -> dict[str, int]:
                rows = connection.execute(
                    select(entity_mentions.c.entity_id, func.count(distinct(articles.c.id)))
                    .join(articles, articles.c.id == entity_mentions.c.article_id)
                    .where(
                        articles.c.published >= start,
                        articles.c.published < stop,
                        visible_in(scope, entity_mentions.c.paragraph),
                    )
                    .group_by(entity_mentions.c.entity_id)
                )
                return {entity_id: int(n) for entity_id, n in rows}

            def total(start: datetime, stop: datetime) -> int:
                return int(
                    connection.execute(
                        select(func.count()).where(
                            articles.c.published >= start, articles.c.published < stop
                        )
                    ).scalar_one()
                )

            now_counts = per_entity(recent_start, end)
            before = per_entity(baseline_start, recent_start)
            return WindowCounts(
                recent_start=recent_start,
                end=end,
                baseline_start=baseline_start,
                recent_total=total(recent_start, end),
                baseline_total=total(baseline_start, recent_start),
                entities=tuple(
                    EntityCounts(entity_id, n, before.get(entity_id, 0))
                    for entity_id, n in sorted(now_counts.items())
                ),
            )

    def articles_naming(
        self,
        entity_ids: Sequence[str],
        *,
        since: datetime,
        until: datetime,
        per_entity: int = 5,
        scope: ReadScope = EVERYTHING,
    ) -> dict[str, list[tuple[int, str, datetime | None]]]:
        """The newest (id, title, published) naming each entity where the scope sees it,
        within [since, until)."""
        found: dict[str, list[tuple[int, str, datetime | None]]] = defaultdict(list)
        if not entity_ids:
            return found
        with read_connection(self.engine) as connection:
            rows = connection.execute(
                select(
                    entity_mentions.c.entity_id,
                    articles.c.id,
                    articles.c.title,
                    articles.c.published,
                )
                .join(articles, articles.c.id == entity_mentions.c.article_id)
                .where(
                    entity_mentions.c.entity_id.in_(list(entity_ids)),
                    articles.c.published >= since,
                    articles.c.published < until,
                    visible_in(scope, entity_mentions.c.paragraph),
                )
                .distinct()
                .order_by(articles.c.published.desc(), articles.c.id.desc())
            )
            for entity_id, article_id, title, published in rows:
                chosen = found[entity_id]
                if len(chosen) < per_entity and all(a[0] != article_id for a in chosen):
                    chosen.append((article_id, title, published))
        return found

    def weekly_totals(self, weeks: Sequence[date]) -> list[int]:
        """Dated articles per week (weeks: Mondays)."""
        with read_connection(self.engine) as connection:
            totals = []
            for monday in weeks:
                start = datetime.combine(monday, time.min, tzinfo=UTC)
                totals.append(
                    int(
                        connection.execute(
                            select(func.count()).where(
                                articles.c.published >= start,
                                articles.c.published < start + timedelta(weeks=1),
                            )
                        ).scalar_one()
                    )
                )
            return totals

    def deal_facts(
        self, *, since: datetime, until: datetime, scope: ReadScope = EVERYTHING
    ) -> list[DealFact]:
        """Agreements and investments first reported in [since, until) whose first report's
        sentence the scope may read (as the facts tracker), with that report's sectors."""
        with read_connection(self.engine) as connection, connection.begin():
            rows = connection.execute(
                select(
                    facts.c.key,
                    facts.c.type,
                    facts.c.data,
                    fact_reports.c.reported,
                    fact_reports.c.article_id,
                )
                .join(facts, facts.c.key == fact_reports.c.fact_key)
                .join(articles, articles.c.id == fact_reports.c.article_id)
                .outerjoin(
                    fact_sources,
                    and_(
                        fact_sources.c.fact_key == fact_reports.c.fact_key,
                        fact_sources.c.article_id == fact_reports.c.article_id,
                    ),
                )
                .where(
                    fact_reports.c.reported >= since,
                    fact_reports.c.reported < until,
                    facts.c.type.in_(["agreement", "investment"]),
                    visible_in(scope, fact_sources.c.paragraph),
                )
            ).all()
            ids = sorted({row.article_id for row in rows})
            sectors: dict[int, list[str]] = defaultdict(list)
            for start in range(0, len(ids), ID_BATCH):
                batch = ids[start : start + ID_BATCH]
                for article_id, sector_id in connection.execute(
                    select(article_sectors.c.article_id, article_sectors.c.sector_id).where(
                        article_sectors.c.article_id.in_(batch), effective_label(None)
                    )
                ):
                    sectors[article_id].append(sector_id)
        return [
            DealFact(
                key=row.key,
                type=row.type,
                data=dict(row.data or {}),
                reported=row.reported,
                article_id=row.article_id,
                sectors=tuple(sorted(set(sectors.get(row.article_id, [])) - {""})),
            )
            for row in rows
        ]
