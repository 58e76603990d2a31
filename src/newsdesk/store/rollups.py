"""The analysis roll-ups (weekly_counts, entity_counts, fact_reports), kept equal to a fresh
aggregation.

Every write that changes what an article contributes (enrichment, editor correction,
deletion) takes a snapshot of the articles' contributions before and after the change in
the same transaction and applies the difference. `rebuild_rollups` recomputes everything
(the migration backfill, and the reference the tests compare with).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk.store.schema import (
    article_sectors,
    articles,
    entity_counts,
    entity_mentions,
    fact_reports,
    fact_sources,
    weekly_counts,
)
from newsdesk.store.search_repo import LABEL_THRESHOLD

SECTOR = "sector"
ENTITY = "entity"
NO_SECTOR_MARK = ""  # the editor's "no sector" row (see enrichment_repo)
ID_BATCH = 500
REBUILD_BATCH = 5000

WeekKey = tuple[str, str, date]


@dataclass
class Contributions:
    """What some articles add to the roll-ups."""

    weekly: Counter[WeekKey] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)
    fact_keys: set[str] = field(default_factory=set)

    def add(self, other: Contributions) -> None:
        self.weekly.update(other.weekly)
        self.mentions.update(other.mentions)
        self.articles.update(other.articles)
        self.fact_keys |= other.fact_keys


def week_start(moment: datetime | date) -> date:
    day = moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def contributions(connection: Connection, article_ids: Sequence[int]) -> Contributions:
    """The roll-up counts the given articles stand for right now."""
    found = Contributions()
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), ID_BATCH):
        chunk = ids[start : start + ID_BATCH]
        found.add(_chunk_contributions(connection, chunk))
    return found


def change_rollups(
    connection: Connection, article_ids: Sequence[int], change: Callable[[], None]
) -> None:
    """Run change() (a write touching only these articles) and move the roll-ups with it."""
    before = contributions(connection, article_ids)
    change()
    after = contributions(connection, article_ids)
    apply_difference(connection, before, after)


def delete_articles(connection: Connection, article_ids: Sequence[int]) -> None:
    """Delete the articles (their enrichment goes with them) and their roll-up counts."""
    ids = sorted(set(article_ids))

    def remove() -> None:
        for start in range(0, len(ids), ID_BATCH):
            chunk = ids[start : start + ID_BATCH]
            connection.execute(delete(articles).where(articles.c.id.in_(chunk)))

    change_rollups(connection, ids, remove)


def apply_difference(connection: Connection, before: Contributions, after: Contributions) -> None:
    weekly = Counter(after.weekly)
    weekly.subtract(before.weekly)
    mentions = Counter(after.mentions)
    mentions.subtract(before.mentions)
    named = Counter(after.articles)
    named.subtract(before.articles)
    _add_weekly(connection, {key: n for key, n in weekly.items() if n})
    entity_ids = sorted(
        key for key in mentions.keys() | named.keys() if mentions[key] or named[key]
    )
    _add_entity_counts(connection, {e: (mentions[e], named[e]) for e in entity_ids})
    keys = sorted(before.fact_keys | after.fact_keys)
    for start in range(0, len(keys), ID_BATCH):
        _recount_fact_reports(connection, keys[start : start + ID_BATCH])


def rebuild_rollups(connection: Connection) -> None:
    """Recount both roll-ups from the enrichment tables."""
    connection.execute(delete(weekly_counts))
    connection.execute(delete(entity_counts))
    connection.execute(delete(fact_reports))
    total = Contributions()
    last_id = 0
    while True:
        chunk = list(
            connection.execute(
                select(articles.c.id)
                .where(articles.c.id > last_id)
                .order_by(articles.c.id)
                .limit(REBUILD_BATCH)
            ).scalars()
        )
        if not chunk:
            break
        total.add(_chunk_contributions(connection, chunk, contiguous=True, facts=False))
        last_id = chunk[-1]
    apply_difference(connection, Contributions(), total)
    _recount_fact_reports(connection, None)


def _recount_fact_reports(connection: Connection, keys: Sequence[str] | None) -> None:
    """Recount the fact_reports rows of these facts (None: of all facts) from fact_sources."""
    first = select(
        fact_sources.c.fact_key,
        func.min(fact_sources.c.article_id).label("first_id"),
        func.count().label("sources"),
    ).group_by(fact_sources.c.fact_key)
    stale = delete(fact_reports)
    if keys is not None:
        first = first.where(fact_sources.c.fact_key.in_(list(keys)))
        stale = stale.where(fact_reports.c.fact_key.in_(list(keys)))
    firsts = first.subquery()
    rows = select(
        firsts.c.fact_key,
        firsts.c.first_id,
        func.coalesce(articles.c.published, articles.c.created_at),
        firsts.c.sources,
    ).join(articles, articles.c.id == firsts.c.first_id)
    connection.execute(stale)
    connection.execute(
        insert(fact_reports).from_select(["fact_key", "article_id", "reported", "sources"], rows)
    )


def _chunk_contributions(
    connection: Connection, ids: list[int], *, contiguous: bool = False, facts: bool = True
) -> Contributions:
    """ids sorted; contiguous: every stored article between the first and last is wanted."""

    def among(column: Any) -> Any:
        return column.between(ids[0], ids[-1]) if contiguous else column.in_(ids)

    found = Contributions()
    weeks = {
        row.id: week_start(row.published)
        for row in connection.execute(
            select(articles.c.id, articles.c.published).where(
                among(articles.c.id), articles.c.published.is_not(None)
            )
        )
    }
    edited: dict[int, set[str]] = {}
    automatic: dict[int, set[str]] = {}
    sector_rows = connection.execute(
        select(
            article_sectors.c.article_id,
            article_sectors.c.sector_id,
            article_sectors.c.by_editor,
            article_sectors.c.score,
        ).where(among(article_sectors.c.article_id))
    )
    for row in sector_rows:
        if row.by_editor:
            edited.setdefault(row.article_id, set()).add(row.sector_id)
        elif row.score >= LABEL_THRESHOLD:
            automatic.setdefault(row.article_id, set()).add(row.sector_id)
    for article_id, week in weeks.items():
        labels = edited.get(article_id, automatic.get(article_id, set()))
        for sector_id in labels - {NO_SECTOR_MARK}:
            found.weekly[(SECTOR, sector_id, week)] += 1
    mention_rows = connection.execute(
        select(entity_mentions.c.article_id, entity_mentions.c.entity_id, func.count().label("n"))
        .where(among(entity_mentions.c.article_id))
        .group_by(entity_mentions.c.article_id, entity_mentions.c.entity_id)
    )
    for row in mention_rows:
        found.mentions[row.entity_id] += row.n
        found.articles[row.entity_id] += 1
        if row.article_id in weeks:
            found.weekly[(ENTITY, row.entity_id, weeks[row.article_id])] += 1
    if facts:
        found.fact_keys.update(
            connection.execute(
                select(fact_sources.c.fact_key).where(among(fact_sources.c.article_id))
            ).scalars()
        )
    return found


def _upsert(connection: Connection, table: Any) -> Any:
    make: Any = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    return make(table)


def _add_weekly(connection: Connection, deltas: dict[WeekKey, int]) -> None:
    """Add the deltas in key order (so concurrent writers lock rows in one order)."""
    if not deltas:
        return
    keys = sorted(deltas)
    statement = _upsert(connection, weekly_counts)
    statement = statement.on_conflict_do_update(
        index_elements=[weekly_counts.c.kind, weekly_counts.c.key, weekly_counts.c.week],
        set_={"articles": weekly_counts.c.articles + statement.excluded.articles},
    )
    connection.execute(
        statement,
        [{"kind": k[0], "key": k[1], "week": k[2], "articles": deltas[k]} for k in keys],
    )
    emptied = [{"b_kind": k[0], "b_key": k[1], "b_week": k[2]} for k in keys if deltas[k] < 0]
    if emptied:
        connection.execute(
            delete(weekly_counts).where(
                weekly_counts.c.kind == bindparam("b_kind"),
                weekly_counts.c.key == bindparam("b_key"),
                weekly_counts.c.week == bindparam("b_week"),
                weekly_counts.c.articles <= 0,
            ),
            emptied,
        )


def _add_entity_counts(connection: Connection, deltas: dict[str, tuple[int, int]]) -> None:
    if not deltas:
        return
    entity_ids = sorted(deltas)
    statement = _upsert(connection, entity_counts)
    statement = statement.on_conflict_do_update(
        index_elements=[entity_counts.c.entity_id],
        set_={
            "mentions": entity_counts.c.mentions + statement.excluded.mentions,
            "articles": entity_counts.c.articles + statement.excluded.articles,
        },
    )
    connection.execute(
        statement,
        [{"entity_id": e, "mentions": deltas[e][0], "articles": deltas[e][1]} for e in entity_ids],
    )
    emptied = [{"b_id": e} for e in entity_ids if deltas[e][0] < 0]
    if emptied:
        connection.execute(
            delete(entity_counts).where(
                entity_counts.c.entity_id == bindparam("b_id"), entity_counts.c.mentions <= 0
            ),
            emptied,
        )
