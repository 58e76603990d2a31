"""The full-text index of each database as search_repo reads it: a query's newest matches,
newest first, scored, without reading every match.

SQLite (FTS5, migration 0004) keeps each term's postings in rowid order and walks them from
either end, so "ORDER BY rowid DESC LIMIT n" reads n postings per term and scores n rows.

PostgreSQL (the stored documents of migration 0014, GIN-indexed) cannot walk GIN in id order.
Left to itself the planner either scans the id index backwards testing every document (a
term in 3% of articles: 30 documents read per match kept) or reads every match through the
GIN bitmap and sorts them (a common term: 150,000 rows at a million articles). Instead, when
the planner's own estimate says a query has many matches, its newest matches are read window
by window: ids (top - w, top], with w sized from the estimated density to hold the matches
wanted, AND-ed with the GIN bitmap, so only the rows kept are read; a window that falls short
is followed by a wider one below it. A query with few matches is read whole: that is cheap.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Double,
    FromClause,
    Select,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)

TITLE_WEIGHT = 10.0  # FTS5 bm25 column weight of the title against 1.0 for the text
WINDOW_MARGIN = 1.5  # a window is sized for this many times the matches wanted
WINDOW_GROWTH = 4  # each further window is this many times wider

_fts = table("articles_fts", column("rowid"), column("articles_fts"))
_pg_search = table("article_search", column("article_id"), column("document"))


class RankedHit(NamedTuple):
    id: int
    score: float
    rank: int  # 0: the tier's best match


@dataclass(frozen=True)
class Tier:
    """Some of a relevance tier's hits, best first, and what the tier holds."""

    hits: Sequence[Any]  # rows (id, score, rank); rank 0 is the tier's best match
    size: int  # matches in the tier
    highest: int  # the newest match's id
    lowest: int  # the oldest match's id


@dataclass(frozen=True)
class FullTextIndex:
    """One query's terms against the connection's full-text index."""

    terms: tuple[str, ...]
    source: FromClause  # the FTS5 table, or the table of stored documents
    id: ColumnElement[int]  # the article id in it
    match: ColumnElement[bool]  # every term is in the article
    score: ColumnElement[float]  # relevance, higher is better, >= 0

    def query(
        self, conditions: Sequence[Any], size: int, *, top: int | None, scored: bool
    ) -> Select[Any]:
        """The newest `size` matches at or below `top` that pass conditions (on self.id)."""
        columns: list[Any] = [self.id.label("id")]
        if scored:
            columns.append(self.score.label("score"))
        query = select(*columns).select_from(self.source).where(self.match, *conditions)
        if top is not None:
            query = query.where(self.id <= top)
        return query.order_by(self.id.desc()).limit(size)

    def newest(
        self,
        connection: Connection,
        conditions: Sequence[Any],
        size: int,
        *,
        top: int | None = None,
        scored: bool = True,
    ) -> Sequence[Any]:
        """Rows (id[, score]) of the newest `size` matches at or below `top`, newest first."""
        return connection.execute(self.query(conditions, size, top=top, scored=scored)).all()

    def tier(
        self,
        connection: Connection,
        conditions: Sequence[Any],
        size: int,
        *,
        top: int | None,
        after: int,
        count: int,
    ) -> Tier | None:
        """The tier of the newest `size` matches at or below `top`: its hits ranked after
        `after` (-1: from the best), at most `count` of them. None when nothing matches.

        Ranked in the database (the tier's rows never reach Python), in one statement."""
        newest = self.query(conditions, size, top=top, scored=True).subquery("newest")
        ranked = select(
            newest.c.id,
            newest.c.score,
            (
                func.row_number().over(order_by=(newest.c.score.desc(), newest.c.id.desc())) - 1
            ).label("rank"),
            func.count().over().label("size"),
            func.max(newest.c.id).over().label("highest"),
            func.min(newest.c.id).over().label("lowest"),
        ).subquery("ranked")
        page = select(ranked).where(ranked.c.rank > after).order_by(ranked.c.rank).limit(count)
        rows = connection.execute(page).all()
        if rows:
            first = rows[0]
            return Tier(rows, first.size, first.highest, first.lowest)
        # The page lies past this tier's end (rare): only its extent is needed.
        ids = select(newest.c.id).subquery("ids")
        extent = connection.execute(
            select(func.count(), func.max(ids.c.id), func.min(ids.c.id))
        ).one()
        return None if not extent[0] else Tier([], extent[0], extent[1], extent[2])

    def contains(self, article_id: ColumnElement[int]) -> ColumnElement[bool]:
        """The article whose id is article_id (of the enclosing query) matches.

        SQLite: as a list of every match, read once ("+ 0" keeps SQLite walking the index the
        enclosing query is ordered by); FTS5 runs the whole query again for each row it is
        asked about by rowid, which at 2% density cost 100 ms a page."""
        return (article_id + 0).in_(select(self.id).select_from(self.source).where(self.match))


class PostgresIndex(FullTextIndex):
    def tier(
        self,
        connection: Connection,
        conditions: Sequence[Any],
        size: int,
        *,
        top: int | None,
        after: int,
        count: int,
    ) -> Tier | None:
        """As FullTextIndex.tier; the tier's matches are read window by window, scored as
        they are read (each document is visited once), and ranked here."""
        rows = self.newest(connection, conditions, size, top=top, scored=True)
        if not rows:
            return None
        ranked = sorted(((float(score), article_id) for article_id, score in rows), reverse=True)
        hits = [
            RankedHit(article_id, score, rank)
            for rank, (score, article_id) in enumerate(ranked)
            if after < rank <= after + count
        ]
        ids = [row[0] for row in rows]
        return Tier(hits, len(ids), max(ids), min(ids))

    def newest(
        self,
        connection: Connection,
        conditions: Sequence[Any],
        size: int,
        *,
        top: int | None = None,
        scored: bool = True,
    ) -> Sequence[Any]:
        estimate, rows_total = _estimates(connection, self.terms)
        if estimate <= 2 * size or rows_total <= 0:
            return super().newest(connection, conditions, size, top=top, scored=scored)
        high = top
        if high is None:
            high = connection.execute(select(func.max(self.id))).scalar()
            if high is None:
                return []
        density = min(1.0, estimate / rows_total)
        width = max(size, math.ceil(size / density * WINDOW_MARGIN))
        found: list[Any] = []
        while len(found) < size and high > 0:
            low = max(0, high - width)
            window = self.query(conditions, size - len(found), top=high, scored=scored).where(
                self.id > low
            )
            # Ordered by an expression, so that the planner reads the window through the
            # GIN bitmap AND-ed with the id range, not the id index row by row.
            found += connection.execute(window.order_by(None).order_by((self.id + 0).desc())).all()
            high, width = low, width * WINDOW_GROWTH
        return found

    def contains(self, article_id: ColumnElement[int]) -> ColumnElement[bool]:
        """PostgreSQL: one look-up of the article's stored document by primary key."""
        found: Select[Any] = select(literal_column("1")).select_from(self.source).where(self.match)
        return found.where(self.id == article_id).exists()


def full_text_index(connection: Connection, terms: Sequence[str]) -> FullTextIndex:
    if connection.dialect.name == "sqlite":
        return FullTextIndex(
            terms=tuple(terms),
            source=_fts,
            id=_fts.c.rowid,
            # Each term is \w+ only, so quoting it makes it an FTS5 string that no operator
            # can break out of.
            match=_fts.c.articles_fts.op("MATCH")(" ".join(f'"{term}"' for term in terms)),
            # bm25 is lower for better matches; negated so that higher is better on both.
            score=-func.bm25(literal_column("articles_fts"), TITLE_WEIGHT, 1.0),
        )
    if connection.dialect.name == "postgresql":
        document: ColumnElement[Any] = _pg_search.c.document
        tsquery = func.plainto_tsquery(literal_column("'english'::regconfig"), " ".join(terms))
        return PostgresIndex(
            terms=tuple(terms),
            source=_pg_search,
            id=_pg_search.c.article_id,
            match=document.op("@@")(tsquery),
            # ts_rank_cd is a real; as double precision it round-trips exactly.
            score=cast(func.ts_rank_cd(document, tsquery), Double),
        )
    raise NotImplementedError(f"no full-text search on {connection.dialect.name}")


def _estimates(connection: Connection, terms: Sequence[str]) -> tuple[float, float]:
    """The planner's estimate of the query's matches, and of the documents stored."""
    plan = connection.execute(
        text(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM article_search "
            "WHERE document @@ plainto_tsquery('english'::regconfig, :terms)"
        ),
        {"terms": " ".join(terms)},
    ).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    total = connection.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = 'article_search'::regclass")
    ).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"]), float(total)
