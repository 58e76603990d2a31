"""Full-text search over articles: SQLite FTS5 or PostgreSQL text search (migration 0004).

The reader's query never reaches either query language as typed: it is cut into plain words,
each of which becomes a quoted FTS5 string or goes through plainto_tsquery, so no operator,
quote or parenthesis can change the query's meaning or make it fail. All words must match.
Snippets are built here from the stored text, escaped first and then marked up; the database's
own snippet functions are not used, because their output is not HTML-safe.

Relevance is ranked in recency tiers, so that a search costs the same at a million articles
as at a thousand: the index is walked from the newest article down (both indexes keep their
postings in id order, and ids grow as articles are stored) and only the first
`search_tier_size` matches are scored and ordered by relevance; a reader who pages past them
gets the next tier, older, ranked the same way. A query with fewer matches than a tier (most
specific queries) is ranked over all of them. Each hit's sort key is its tier's anchor (the
highest id the tier could hold) plus a fraction for its rank in the tier, so a Cursor of
(key, id) says which tier and place it is at, and later articles never shift the pages of a
search in progress.

Date order is exact: when the matches fit in one tier they are all read and sorted; when there
are more, they are dense, and walking the published index newest first while testing each
article against the matches finds a page after a few tests.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    literal,
    or_,
    select,
)

from newsdesk.domain.access import EVERYTHING, ReadScope, Visibility
from newsdesk.domain.insights import SearchFilters, SearchHit, SearchResults, SearchSort
from newsdesk.domain.paging import MAX_ROW_ID, BadCursorError, Cursor
from newsdesk.domain.preview import preview_length
from newsdesk.store.access_sql import effective_visibility, visible_row
from newsdesk.store.article_rows import visibility_or_none
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.pagination import after, cut, newest_first
from newsdesk.store.schema import (
    article_sectors,
    articles,
    entity_counts,
    entity_mentions,
    sources,
)
from newsdesk.store.search_index import FullTextIndex, full_text_index
from newsdesk.text.sentences import leading_paragraphs

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_TERM_CHARS = 64
SNIPPET_CHARS = 240
LABEL_THRESHOLD = 0.5
SEARCH_TIER_SIZE = 1000  # matches scored per relevance tier
DATE_SCAN = 2000  # matches read and sorted by date; with more, the published index is walked
BUSY_ENTITY = 2000  # articles naming an entity: its filter tests each match instead of a list
_RANK_STEPS = 2**20  # a tier's ranks as fractions of 1 (tiers hold fewer hits than this)

_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("ings", "ing", "ies", "ied", "es", "ed", "ly", "s")


class SearchKey(NamedTuple):
    """One hit's place in its listing: the article, its sort key and (by relevance) its score."""

    id: int
    sort_key: Any
    score: float = 0.0


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
    search_tier_size: int = SEARCH_TIER_SIZE
    search_date_scan: int = DATE_SCAN

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
        (a tier key for relevance, a publication time or None for undated by date). scope: what
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
            found = self._visible_page(
                connection,
                full_text_index(connection, terms),
                filters,
                sort=sort,
                limit=limit,
                cursor=cursor,
                scope=scope,
            )
        page, next_cursor = cut(found, limit, lambda item: Cursor(item[0].sort_key, item[0].id))
        # Snippets and highlights only for the hits shown (not the one that says there is more).
        return SearchResults(
            query=query,
            terms=terms,
            hits=tuple(
                _hit(row, text, key.score if sort == "relevance" else None, terms)
                for key, row, text in page
            ),
            next_cursor=next_cursor,
            notice=notice,
        )

    def _visible_page(
        self,
        connection: Connection,
        index: FullTextIndex,
        filters: SearchFilters,
        *,
        sort: SearchSort,
        limit: int,
        cursor: Cursor | None,
        scope: ReadScope,
    ) -> list[tuple[SearchKey, Any, str]]:
        """Up to limit + 1 (key, row, text) of hits the scope may see, in order, from cursor
        on; text is what the hit's snippet comes from.

        The index matches whole texts; a hit on an article the scope reads only in preview is
        kept when every word is in its title or preview, and its snippet comes from the
        preview, so nobody finds a piece by, or reads, the words after its break. Such hits
        are few, so the page is read again past the ones dropped only when some were."""
        found: list[tuple[SearchKey, Any, str]] = []
        position = cursor
        while True:
            if sort == "relevance":
                keys = _by_relevance(
                    connection,
                    index,
                    filters,
                    limit=limit + 1,
                    cursor=position,
                    tier_size=self.search_tier_size,
                    scope=scope,
                )
            else:
                keys = _by_date(
                    connection,
                    index,
                    filters,
                    limit=limit + 1,
                    cursor=position,
                    scan=self.search_date_scan,
                    scope=scope,
                )
            details = _details(connection, [key.id for key in keys])
            for key in keys:
                row = details.get(key.id)
                text = None if row is None else _visible_text(row, index.terms, scope)
                if text is not None:
                    found.append((key, row, text))
                    if len(found) > limit:
                        return found
            if len(keys) <= limit:
                return found
            position = Cursor(keys[-1].sort_key, keys[-1].id)


def _visible_text(row: Any, terms: Sequence[str], scope: ReadScope) -> str | None:
    """The text of the hit the scope may read (its preview when it reads no more), or None
    when a word is found only past the preview."""
    visibility = visibility_or_none(row.visibility) or Visibility.PUBLIC
    text: str = row.text
    if not scope.reads(visibility):
        length = preview_length(row.preview_paragraphs, scope.preview_paragraphs)
        text = "\n".join(leading_paragraphs(row.text, length))
        if not _all_terms_in(f"{row.title}\n{text}", terms):
            return None
    return text


def _all_terms_in(text: str, terms: Sequence[str]) -> bool:
    words = {fold(word) for word in _WORD.findall(text)}
    return all(any(_matches(word, (fold(term),)) for word in words) for term in terms)


# Two phases: first the page's ids in order, from the full-text index and narrow indexes only,
# then the full rows of those few ids. Reading and sorting wide rows is what costs.


def _by_relevance(
    connection: Connection,
    index: FullTextIndex,
    filters: SearchFilters,
    *,
    limit: int,
    cursor: Cursor | None,
    tier_size: int,
    scope: ReadScope,
) -> list[SearchKey]:
    """Up to limit keys after cursor, tier by tier (see the module's docstring)."""
    top, ranked_before = None, -1
    if cursor is not None:
        top, ranked_before = _tier_position(cursor.expect(float, int))
    conditions = _filter_conditions(connection, filters, index.id, scope)
    found: list[SearchKey] = []
    while len(found) < limit:
        tier = index.tier(
            connection,
            conditions,
            tier_size,
            top=top,
            after=ranked_before,
            count=limit - len(found),
        )
        if tier is None:
            break
        anchor = tier.highest if top is None else top
        found += [
            SearchKey(hit.id, _tier_key(anchor, hit.rank), max(0.0, float(hit.score or 0.0)))
            for hit in tier.hits
        ]
        if tier.size < tier_size:
            break
        top, ranked_before = tier.lowest - 1, -1
    return found


def _tier_position(position: Cursor) -> tuple[int, int]:
    """The anchor of the cursor's tier and its rank in it."""
    key = position.key if isinstance(position.key, float) else -1.0
    anchor = math.floor(key)
    if not 0 <= anchor <= MAX_ROW_ID:  # every tier is anchored at an article's id
        raise BadCursorError("invalid cursor: no relevance tier starts there")
    return anchor, round((anchor + 1.0 - key) * _RANK_STEPS) - 1


def _tier_key(anchor: int, rank: int) -> float:
    """The sort key of the hit ranked `rank` (0: best) in the tier anchored at `anchor`.

    By rank, not score: scores drift as articles are added (idf, average length), the order
    within a tier far less, so a cursor keeps its place. Exact in a double for ids < 2**31."""
    return anchor + 1.0 - (min(rank, _RANK_STEPS - 2) + 1) / _RANK_STEPS


def _by_date(
    connection: Connection,
    index: FullTextIndex,
    filters: SearchFilters,
    *,
    limit: int,
    cursor: Cursor | None,
    scan: int,
    scope: ReadScope,
) -> list[SearchKey]:
    """Newest first by publication date, undated articles last."""
    published = articles.c.published
    in_index = _filter_conditions(connection, filters, index.id, scope)
    ids = [row.id for row in index.newest(connection, in_index, scan + 1, scored=False)]
    conditions: list[Any] = []
    if len(ids) <= scan:
        # Every match is in hand: sort them on the published index, a page from the cursor on.
        match: ColumnElement[bool] = articles.c.id.in_(ids)
    else:
        # Many matches, so they are dense: walk the published index from the newest article
        # ("id + 0" keeps SQLite on it) and test each one (search_index.contains), so that a
        # page comes after a few tests, never a sort of every match.
        match = index.contains(articles.c.id)
        conditions = _filter_conditions(connection, filters, articles.c.id + 0, scope)
    query = select(articles.c.id.label("id"), published.label("sort_key")).where(match, *conditions)
    rows = connection.execute(newest_published(connection, query, cursor, limit)).all()
    return [SearchKey(row.id, row.sort_key) for row in rows]


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
    connection: Connection,
    filters: SearchFilters,
    article_id: ColumnElement[int],
    scope: ReadScope = EVERYTHING,
) -> list[Any]:
    """Each filter as a test of one match, through a primary key or a narrow index: the index
    is walked newest first until a tier is full, so no filter is read whole (a common sector
    holds a third of the articles). Only a rarely named entity is read as a list of ids."""
    conditions: list[Any] = []
    if filters.sectors:
        conditions.append(_in_sectors(filters.sectors, article_id))
    if filters.entity_id is not None:
        # Only the mentions the scope may see count.
        naming = select(entity_mentions.c.article_id).where(
            entity_mentions.c.entity_id == filters.entity_id,
            visible_row(scope, entity_mentions.c.article_id, entity_mentions.c.paragraph),
        )
        named_in = connection.execute(
            select(entity_counts.c.articles).where(entity_counts.c.entity_id == filters.entity_id)
        ).scalar()
        if (named_in or 0) < BUSY_ENTITY:
            conditions.append(article_id.in_(naming))
        else:  # one look-up in the (entity_id, article_id) index per match
            conditions.append(naming.where(entity_mentions.c.article_id == article_id).exists())
    row = articles.alias("filtered")
    own: list[Any] = []
    if filters.source_id is not None:
        own.append(row.c.source_id == filters.source_id)
    if filters.since is not None:
        own.append(row.c.published >= filters.since)
    if filters.until is not None:
        own.append(row.c.published < filters.until)
    if own:
        conditions.append(
            select(literal(1)).select_from(row).where(row.c.id == article_id, *own).exists()
        )
    return conditions


def _in_sectors(sector_ids: Sequence[str], article_id: ColumnElement[int]) -> ColumnElement[bool]:
    """The article's effective labels include one of the sectors: an editor's label, or a
    confident one on an article no editor has labelled. Three look-ups on the primary key
    (article_id, sector_id, by_editor)."""
    labels = article_sectors

    def label_exists(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return select(literal(1)).where(labels.c.article_id == article_id, *conditions).exists()

    wanted = labels.c.sector_id.in_(list(sector_ids))
    by_editor = label_exists(wanted, labels.c.by_editor.is_(True))
    automatic = label_exists(
        wanted, labels.c.by_editor.is_(False), labels.c.score >= LABEL_THRESHOLD
    )
    return or_(by_editor, and_(automatic, ~label_exists(labels.c.by_editor.is_(True))))


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


@lru_cache(maxsize=65536)
def _matches(word: str, folded_terms: tuple[str, ...]) -> bool:
    """word is one of the terms (folded), or one is a prefix of the other (4+ letters). Cached:
    a page of hits asks about the same few hundred words again and again."""
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
    folded_terms = tuple(fold(term) for term in terms)
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
    folded_terms = tuple(fold(term) for term in terms)
    parts: list[str] = []
    position = 0
    for found in _WORD.finditer(text):
        if _matches(found.group(), folded_terms):
            parts.append(html.escape(text[position : found.start()]))
            parts.append(f"<mark>{html.escape(found.group())}</mark>")
            position = found.end()
    parts.append(html.escape(text[position:]))
    return "".join(parts)
