"""Full-text search over articles: SQLite FTS5 or PostgreSQL text search (migration 0004).

The reader's query never reaches either query language as typed: it is cut into plain words,
each of which becomes a quoted FTS5 string or goes through plainto_tsquery, so no operator,
quote or parenthesis can change the query's meaning or make it fail. All words must match.
Snippets are built here from the stored text, escaped first and then marked up; the database's
own snippet functions are not used, because their output is not HTML-safe.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Double,
    Select,
    and_,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)

from newsdesk.domain.access import EVERYTHING, ReadScope, Visibility
from newsdesk.domain.insights import SearchFilters, SearchHit, SearchResults, SearchSort
from newsdesk.domain.paging import Cursor
from newsdesk.domain.preview import preview_length
from newsdesk.store.access_sql import effective_visibility, visible_row
from newsdesk.store.articles_repo import visibility_or_none
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.pagination import after, cut, newest_first
from newsdesk.store.schema import article_sectors, articles, entity_mentions, sources
from newsdesk.text.sentences import leading_paragraphs

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_TERM_CHARS = 64
SNIPPET_CHARS = 240
LABEL_THRESHOLD = 0.5
TITLE_WEIGHT = 10.0  # FTS5 bm25 column weight of the title against 1.0 for the text

# Must stay identical to the expression indexed by migration 0004, or the index is unused.
POSTGRES_DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, articles.title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, articles.text), 'B'))"
)

_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "ly", "s")

_fts = table("articles_fts", column("rowid"), column("articles_fts"))


def query_terms(query: str) -> tuple[tuple[str, ...], str | None]:
    """The words to search for, and a notice for the reader if the query had to be cut."""
    notice = None
    if len(query) > MAX_QUERY_CHARS:
        cut = query[:MAX_QUERY_CHARS]
        # Drop a word the cut went through rather than search for its first letters.
        query = re.sub(r"\w+$", "", cut) if query[MAX_QUERY_CHARS].isalnum() else cut
        notice = f"Your search was cut to its first {MAX_QUERY_CHARS} characters."
    words = [
        word.lower()
        for word in _WORD.findall(query)
        if len(word) <= MAX_TERM_CHARS and word.strip("_")
    ]
    terms = tuple(dict.fromkeys(words))
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        notice = f"Only the first {MAX_TERMS} words of your search were used."
    return terms, notice


class SearchRepository(StoreBase):
    def search(
        self,
        query: str,
        *,
        filters: SearchFilters | None = None,
        sort: SearchSort = "relevance",
        limit: int = 20,
        cursor: Cursor | None = None,
        scope: ReadScope = EVERYTHING,
    ) -> SearchResults:
        """One page of articles matching every word of query; cursor is a previous next_cursor
        (a score for relevance, a publication time or None for undated by date). scope: what
        the reader may read (domain.access.read_scope); hits and snippets stay within it."""
        if sort not in {"relevance", "date"}:
            raise ValueError(f"unknown sort {sort!r}")
        terms, notice = query_terms(query)
        if not terms:
            empty = "Type one or more words to search for." if not query.strip() else None
            return SearchResults(
                query=query,
                terms=(),
                notice=empty or "Your search has no words to look for.",
            )
        filters = filters or SearchFilters()
        limit = max(1, min(limit, 100))
        with read_connection(self.engine) as connection:
            dialect = connection.dialect.name
            if dialect not in {"sqlite", "postgresql"}:
                raise NotImplementedError(f"no full-text search on {dialect}")
            found = _visible_page(
                connection, terms, filters, sort=sort, limit=limit, cursor=cursor, scope=scope
            )
        page, next_cursor = cut(found, limit, lambda item: Cursor(item[0].sort_key, item[0].id))
        return SearchResults(
            query=query,
            terms=terms,
            hits=tuple(hit for _, hit in page),
            next_cursor=next_cursor,
            notice=notice,
        )


def _visible_page(
    connection: Connection,
    terms: Sequence[str],
    filters: SearchFilters,
    *,
    sort: SearchSort,
    limit: int,
    cursor: Cursor | None,
    scope: ReadScope,
) -> list[tuple[Any, SearchHit]]:
    """Up to limit + 1 (key, hit) pairs the scope may see, in order, from cursor on.

    The index matches whole texts; a hit on an article the scope reads only in preview is
    kept when every word is in its title or preview, and its snippet comes from the preview,
    so nobody finds a piece by, or reads, the words after its break. Such hits are few, so
    the page is read again past the ones dropped only when some were."""
    found: list[tuple[Any, SearchHit]] = []
    position = cursor
    while True:
        if sort == "relevance":
            keys = _by_relevance(connection, terms, filters, limit + 1, position, scope=scope)
        else:
            keys = _by_date(connection, terms, filters, limit + 1, position, scope=scope)
        details = _details(connection, [key.id for key in keys])
        for key in keys:
            row = details.get(key.id)
            hit = None if row is None else _visible_hit(row, key, sort, terms, scope)
            if hit is not None:
                found.append((key, hit))
                if len(found) > limit:
                    return found
        if len(keys) <= limit:
            return found
        position = Cursor(keys[-1].sort_key, keys[-1].id)


def _visible_hit(
    row: Any, key: Any, sort: SearchSort, terms: Sequence[str], scope: ReadScope
) -> SearchHit | None:
    visibility = visibility_or_none(row.visibility) or Visibility.PUBLIC
    text = row.text
    if not scope.reads(visibility):
        length = preview_length(row.preview_paragraphs, scope.preview_paragraphs)
        text = "\n".join(leading_paragraphs(row.text, length))
        if not _all_terms_in(f"{row.title}\n{text}", terms):
            return None
    return _hit(row, text, key.sort_key if sort == "relevance" else None, terms)


def _all_terms_in(text: str, terms: Sequence[str]) -> bool:
    words = {fold(word) for word in _WORD.findall(text)}
    return all(any(_matches(word, [fold(term)]) for word in words) for term in terms)


# Two phases: first the page's ids in order, from narrow columns only (the FTS index, the
# published index), then the full rows of those few ids. Sorting wide rows is what costs.


def _by_relevance(
    connection: Connection,
    terms: Sequence[str],
    filters: SearchFilters,
    limit: int,
    cursor: Cursor | None,
    *,
    scope: ReadScope,
) -> list[Any]:
    if connection.dialect.name == "sqlite":
        article_id: ColumnElement[int] = _fts.c.rowid
        # bm25 is lower for better matches; negated so that higher is better on both databases.
        score: ColumnElement[float] = -func.bm25(literal_column("articles_fts"), TITLE_WEIGHT, 1.0)
        match = _fts_match(terms)
    else:
        document, tsquery = _postgres_query(terms)
        article_id = articles.c.id
        # ts_rank_cd is a real; as double precision it survives the cursor's round trip exactly.
        score = cast(func.ts_rank_cd(document, tsquery), Double)
        match = document.op("@@")(tsquery)
    query = select(article_id.label("id"), score.label("sort_key")).where(match)
    # "+ 0": an IN on the FTS5 rowid would run the MATCH once for every id in the list.
    query = query.where(*_filter_conditions(filters, article_id + 0, scope))
    if cursor is not None:
        query = query.where(after(cursor.expect(float, int), score, article_id))
    query = query.order_by(*newest_first(score, article_id)).limit(limit)
    return list(connection.execute(query).all())


def _by_date(
    connection: Connection,
    terms: Sequence[str],
    filters: SearchFilters,
    limit: int,
    cursor: Cursor | None,
    *,
    scope: ReadScope,
) -> list[Any]:
    """Newest first by publication date, undated articles last."""
    published = articles.c.published
    if connection.dialect.name == "sqlite":
        matching = select(_fts.c.rowid).where(_fts_match(terms))
        # "id + 0" keeps SQLite from looking up each match by id and sorting them all; it
        # walks the published index from the newest end instead and stops after one page.
        match: ColumnElement[bool] = (articles.c.id + 0).in_(matching)
    else:
        document, tsquery = _postgres_query(terms)
        match = document.op("@@")(tsquery)
    query = select(articles.c.id.label("id"), published.label("sort_key")).where(
        match, *_filter_conditions(filters, articles.c.id + 0, scope)
    )
    return list(connection.execute(newest_published(connection, query, cursor, limit)).all())


def _fts_match(terms: Sequence[str]) -> ColumnElement[bool]:
    """SQLite: the FTS5 rows holding every term (each is \\w+ only, so quoting it makes it an
    FTS5 string that no operator can break out of)."""
    return _fts.c.articles_fts.op("MATCH")(" ".join(f'"{term}"' for term in terms))


def _postgres_query(terms: Sequence[str]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """PostgreSQL: the indexed document expression and the query of every term."""
    document: ColumnElement[Any] = literal_column(POSTGRES_DOCUMENT)
    return document, func.plainto_tsquery(literal_column("'english'::regconfig"), " ".join(terms))


def newest_published(
    connection: Connection, query: Select[Any], cursor: Cursor | None, limit: int
) -> Select[Any]:
    """query's articles by publication date, newest first and undated last, from cursor on."""
    published, article_id = articles.c.published, articles.c.id
    if cursor is not None:
        query = query.where(
            after(cursor.expect(datetime, int), published, article_id, nulls_last=True)
        )
    # SQLite already sorts NULL last when descending, and NULLS LAST would hide its index.
    nulls_last = connection.dialect.name != "sqlite"
    return query.order_by(*newest_first(published, article_id, nulls_last=nulls_last)).limit(limit)


def _details(connection: Connection, ids: Sequence[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = connection.execute(
        select(
            articles.c.id,
            articles.c.title,
            articles.c.text,
            articles.c.url,
            articles.c.source_id,
            articles.c.published,
            sources.c.name.label("source_name"),
            effective_visibility(sources.c.visibility).label("visibility"),
            articles.c.preview_paragraphs,
        )
        .outerjoin(sources, sources.c.id == articles.c.source_id)
        .where(articles.c.id.in_(list(ids)))
    )
    return {row.id: row for row in rows}


def _filter_conditions(
    filters: SearchFilters, article_id: ColumnElement[int], scope: ReadScope = EVERYTHING
) -> list[Any]:
    """Each filter as "article_id IN (ids from an index)": no wide row is read to apply it.
    The entity filter counts only the mentions the scope may see."""
    subqueries: list[Any] = []
    if filters.sectors:
        subqueries.append(labelled_with(filters.sectors))
    if filters.entity_id is not None:
        subqueries.append(
            select(entity_mentions.c.article_id).where(
                entity_mentions.c.entity_id == filters.entity_id,
                visible_row(scope, entity_mentions.c.article_id, entity_mentions.c.paragraph),
            )
        )
    if filters.source_id is not None:
        subqueries.append(select(articles.c.id).where(articles.c.source_id == filters.source_id))
    if filters.since is not None or filters.until is not None:
        dated = select(articles.c.id).where(articles.c.published.is_not(None))
        if filters.since is not None:
            dated = dated.where(articles.c.published >= filters.since)
        if filters.until is not None:
            dated = dated.where(articles.c.published < filters.until)
        subqueries.append(dated)
    return [article_id.in_(subquery) for subquery in subqueries]


def labelled_with(sector_ids: Sequence[str]) -> Any:
    """Ids of articles whose effective labels include a sector (editor labels win)."""
    return select(article_sectors.c.article_id).where(effective_label(sector_ids))


def effective_label(sector_ids: Sequence[str] | None) -> ColumnElement[bool]:
    """An article_sectors row that counts: the editor's, or a score >= 0.5 on an article no
    editor has labelled. sector_ids None: any sector (then SQLite scans the table in order,
    which beats a lookup per row of the sector index when most rows qualify)."""
    edited = select(article_sectors.c.article_id).where(article_sectors.c.by_editor.is_(True))
    counts = or_(
        article_sectors.c.by_editor.is_(True),
        and_(
            article_sectors.c.score >= LABEL_THRESHOLD,
            article_sectors.c.article_id.not_in(edited),
        ),
    )
    if sector_ids is None:
        return counts
    return and_(article_sectors.c.sector_id.in_(list(sector_ids)), counts)


def _hit(row: Any, text: str, score: float | None, terms: Sequence[str]) -> SearchHit:
    return SearchHit(
        article_id=row.id,
        title=row.title,
        url=row.url,
        source_id=row.source_id,
        source_name=row.source_name,
        published=row.published,
        score=float(score or 0.0),
        title_html=highlight(row.title, terms),
        snippet_html=highlight(snippet_window(text, terms), terms),
    )


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word reduced for matching: lower case, no accents, common English suffixes off."""
    plain = word.lower()
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for suffix in _SUFFIXES:
        if plain.endswith(suffix) and len(plain) - len(suffix) >= 3:
            return plain[: -len(suffix)]
    return plain


def _matches(word: str, folded_terms: Sequence[str]) -> bool:
    folded = fold(word)
    return any(
        folded == term
        or (
            min(len(folded), len(term)) >= 4
            and (folded.startswith(term) or term.startswith(folded))
        )
        for term in folded_terms
    )


def snippet_window(text: str, terms: Sequence[str], width: int = SNIPPET_CHARS) -> str:
    """About width characters of text around the first matched word, cut at word boundaries."""
    folded_terms = [fold(term) for term in terms]
    first = next((m for m in _WORD.finditer(text) if _matches(m.group(), folded_terms)), None)
    center = first.start() if first else 0
    start = max(0, center - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < center else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > center else end
    excerpt = " ".join(text[start:end].split())
    return ("… " if start > 0 else "") + excerpt + (" …" if end < len(text) else "")


def highlight(text: str, terms: Sequence[str]) -> str:
    """text as HTML: every character escaped, matched words wrapped in <mark>."""
    folded_terms = [fold(term) for term in terms]
    parts: list[str] = []
    position = 0
    for found in _WORD.finditer(text):
        if _matches(found.group(), folded_terms):
            parts.append(html.escape(text[position : found.start()]))
            parts.append(f"<mark>{html.escape(found.group())}</mark>")
            position = found.end()
    parts.append(html.escape(text[position:]))
    return "".join(parts)
