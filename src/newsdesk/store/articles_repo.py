"""Articles and stories: the ArticleStore half of SqlStore."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.access import Visibility
from newsdesk.domain.leases import PollFence
from newsdesk.domain.models import Article, FetchAttempt, StoredEntry, Story, utcnow
from newsdesk.store.article_rows import (
    ARTICLE_FIELDS,
    article_from_row,
    article_values,
    story_from_row,
)
from newsdesk.store.base import StoreBase
from newsdesk.store.driver_statement import DriverStatement
from newsdesk.store.engine import read_connection
from newsdesk.store.ingest_matches import ingest_matches
from newsdesk.store.leases_repo import check_fence
from newsdesk.store.schema import articles, stories
from newsdesk.store.schema import fetch_attempts as fetch_attempts_table
from newsdesk.store.sources_repo import attempt_values

# /healthz counts exactly up to here (a tenth of a millisecond); beyond, it estimates.
EXACT_COUNT_UP_TO = 1_000

if TYPE_CHECKING:
    from newsdesk.store.ingest_batch import IngestBatch

_FINGERPRINT_BATCH = 2000
_KEYS_PER_QUERY = 400  # GUIDs and URLs per IN list: far below every database's parameter limit

_newest_first = (
    func.coalesce(articles.c.published, articles.c.created_at).desc(),
    articles.c.id.desc(),
)
_oldest_first = (
    func.coalesce(articles.c.published, articles.c.created_at).asc(),
    articles.c.id.asc(),
)


def _story_query() -> Select[Any]:
    article_count = (
        select(func.count())
        .where(articles.c.story_id == stories.c.id)
        .correlate(stories)
        .scalar_subquery()
    )
    return select(stories, article_count.label("article_count"))


# Write statements are built once and take their values at execution, so SQLAlchemy's
# statement cache serves every save_article call (building them per call dominated its cost).
_INSERT_UNLESS_DUPLICATE = {
    # Does nothing when the row would break any unique constraint (canonical URL or GUID).
    "sqlite": sqlite.insert(articles).on_conflict_do_nothing().returning(articles.c.id),
    "postgresql": postgresql.insert(articles).on_conflict_do_nothing().returning(articles.c.id),
}
_UPDATE_ARTICLE = update(articles).where(articles.c.id == bindparam("b_article_id"))
_INSERT_STORY = insert(stories).returning(stories.c.id)
# The two inserts of every ingested article, on SQLite run on the driver's cursor (see
# driver_statement): SQLAlchemy's execution layer cost as much as a quarter of the insert.
_SQLITE_ARTICLE_INSERT = DriverStatement(_INSERT_UNLESS_DUPLICATE["sqlite"], ARTICLE_FIELDS)
_STORY_INSERT = DriverStatement(_INSERT_STORY, ("title", "first_seen_at", "last_seen_at"))
_DELETE_STORY = delete(stories).where(stories.c.id == bindparam("b_story_id"))
_SET_ARTICLE_STORY = (
    update(articles)
    .where(articles.c.id == bindparam("b_article_id"))
    .values(story_id=bindparam("b_story_id"))
)
_SEEN_AT = bindparam("b_seen_at", type_=stories.c.last_seen_at.type)
# A story spans its articles' seen times: a newer one moves last_seen_at, an older one (an
# archive loaded newest first) moves first_seen_at back.
_MARK_STORY_SEEN = (
    update(stories)
    .where(
        stories.c.id == bindparam("b_story_id"),
        or_(stories.c.last_seen_at < _SEEN_AT, stories.c.first_seen_at > _SEEN_AT),
    )
    .values(
        last_seen_at=case(
            (stories.c.last_seen_at < _SEEN_AT, _SEEN_AT), else_=stories.c.last_seen_at
        ),
        first_seen_at=case(
            (stories.c.first_seen_at > _SEEN_AT, _SEEN_AT), else_=stories.c.first_seen_at
        ),
    )
)


_FIRST_BY_GUID = (
    select(articles)
    .where(articles.c.source_id == bindparam("b_source_id"), articles.c.guid == bindparam("b_guid"))
    .order_by(articles.c.id)
    .limit(1)
)
_FIRST_BY_GUID_WITHOUT_SOURCE = (
    select(articles)
    .where(articles.c.source_id.is_(None), articles.c.guid == bindparam("b_guid"))
    .order_by(articles.c.id)
    .limit(1)
)
_FIRST_BY_URL = (
    select(articles)
    .where(articles.c.canonical_url == bindparam("b_url"))
    .order_by(articles.c.id)
    .limit(1)
)
_EARLIEST_BY_HASH = (
    select(articles)
    .where(articles.c.content_hash == bindparam("b_hash"))
    .order_by(articles.c.id)
    .limit(1)
)


def _insert_unless_duplicate(connection: Connection) -> Insert:
    dialect = connection.dialect.name
    if dialect not in _INSERT_UNLESS_DUPLICATE:
        raise NotImplementedError(f"no conflict-free insert for {dialect}")
    return _INSERT_UNLESS_DUPLICATE[dialect]


class ArticlesRepository(StoreBase):
    def find_article(
        self,
        *,
        canonical_url: str | None = None,
        guid: str | None = None,
        source_id: int | None = None,
    ) -> Article | None:
        """By (source_id, guid) when a GUID is given, then by canonical URL when given."""
        if canonical_url is None and guid is None:
            raise ValueError("find_article needs a canonical_url or a guid")
        with read_connection(self.engine) as connection:
            if guid is not None:
                if source_id is None:
                    row = connection.execute(_FIRST_BY_GUID_WITHOUT_SOURCE, {"b_guid": guid})
                else:
                    row = connection.execute(
                        _FIRST_BY_GUID, {"b_guid": guid, "b_source_id": source_id}
                    )
                found = row.first()
                if found is not None:
                    return article_from_row(found)
            if canonical_url is not None:
                found = connection.execute(_FIRST_BY_URL, {"b_url": canonical_url}).first()
                return None if found is None else article_from_row(found)
        return None

    def find_article_by_hash(self, content_hash: str) -> Article | None:
        """The earliest stored article with this content hash."""
        with read_connection(self.engine) as connection:
            found = connection.execute(_EARLIEST_BY_HASH, {"b_hash": content_hash}).first()
        return None if found is None else article_from_row(found)

    def find_ingest_matches(
        self,
        *,
        source_id: int | None,
        guid: str | None,
        canonical_urls: Sequence[str],
        content_hash: str,
    ) -> tuple[Article | None, Article | None]:
        """What one ingest decision needs, in one read transaction: the article stored under
        the key (the GUID within the source, else the first of canonical_urls that is stored)
        and the earliest article with the content hash."""
        with read_connection(self.engine) as connection:
            return ingest_matches(
                connection,
                source_id=source_id,
                guid=guid,
                canonical_urls=canonical_urls,
                content_hash=content_hash,
            )

    def get_article(self, article_id: int) -> Article | None:
        with read_connection(self.engine) as connection:
            return _first_article(connection, articles.c.id == article_id)

    def ingest_batch(self) -> IngestBatch:
        """A transaction that several ingest decisions and saves share (see IngestBatch)."""
        from newsdesk.store.ingest_batch import IngestBatch

        return IngestBatch(self.engine)

    def find_stored_entries(
        self, *, source_id: int | None, guids: Sequence[str], canonical_urls: Sequence[str]
    ) -> list[StoredEntry]:
        found: list[StoredEntry] = []
        guids, urls = list(dict.fromkeys(guids)), list(dict.fromkeys(canonical_urls))
        columns = (
            articles.c.source_id,
            articles.c.guid,
            articles.c.canonical_url,
            articles.c.updated,
        )
        with read_connection(self.engine) as connection:
            for start in range(0, max(len(guids), len(urls)), _KEYS_PER_QUERY):
                some_guids = guids[start : start + _KEYS_PER_QUERY]
                some_urls = urls[start : start + _KEYS_PER_QUERY]
                condition: ColumnElement[bool] = articles.c.canonical_url.in_(some_urls)
                if some_guids and source_id is not None:
                    condition = or_(
                        condition,
                        and_(articles.c.source_id == source_id, articles.c.guid.in_(some_guids)),
                    )
                rows = connection.execute(
                    select(*columns).where(condition).order_by(articles.c.id)
                ).all()
                found.extend(StoredEntry(*row) for row in rows)
        return found

    def save_article(
        self,
        article: Article,
        *,
        story_title: str | None = None,
        fetch_attempts: Sequence[FetchAttempt] = (),
        fence: PollFence | None = None,
    ) -> Article:
        try:
            with self.engine.begin() as connection:
                check_fence(connection, fence)
                return save_article_on(
                    connection, article, story_title=story_title, fetch_attempts=fetch_attempts
                )
        except IntegrityError as error:
            raise ValueError(
                f"cannot save article {article.canonical_url!r}: {error.orig}"
            ) from error

    def set_article_access(
        self,
        article_id: int,
        *,
        visibility: Visibility | None,
        preview_paragraphs: int | None,
    ) -> bool:
        """Set who may read the article in full (None: as its source says) and its preview
        break (None: the site's default); False if there is no such article."""
        if preview_paragraphs is not None and preview_paragraphs < 0:
            raise ValueError("preview_paragraphs must be 0 or more")
        with self.engine.begin() as connection:
            result = connection.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(
                    visibility=None if visibility is None else str(visibility),
                    preview_paragraphs=preview_paragraphs,
                )
            )
        return result.rowcount > 0

    def set_article_extra(self, article_id: int, key: str, value: object) -> bool:
        """Set one key of the article's extra data (JSON-ready value); False if no article."""
        with self.engine.begin() as connection:
            extra = connection.execute(
                select(articles.c.extra).where(articles.c.id == article_id).with_for_update()
            ).scalar_one_or_none()
            if extra is None:
                return False
            connection.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(extra={**dict(extra), key: value})
            )
        return True

    def list_articles(
        self, *, source_id: int | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Article]:
        """Newest first by published time, or by stored time for articles without one."""
        query = select(articles)
        if source_id is not None:
            query = query.where(articles.c.source_id == source_id)
        query = query.order_by(*_newest_first).limit(limit).offset(offset)
        with read_connection(self.engine) as connection:
            return [article_from_row(row) for row in connection.execute(query)]

    def iter_fingerprints(self, *, after_id: int = 0) -> Iterator[tuple[int, int | None, bytes]]:
        # Short reads in id order, so no transaction stays open while the caller works.
        after = after_id
        while True:
            query = (
                select(articles.c.id, articles.c.story_id, articles.c.fingerprint)
                .where(articles.c.fingerprint.is_not(None), articles.c.id > after)
                .order_by(articles.c.id)
                .limit(_FINGERPRINT_BATCH)
            )
            with read_connection(self.engine) as connection:
                rows = connection.execute(query).all()
            for article_id, story_id, fingerprint in rows:
                yield article_id, story_id, bytes(fingerprint)
            if len(rows) < _FINGERPRINT_BATCH:
                return
            after = rows[-1][0]

    def recent_articles(
        self, since: datetime, *, newest: int | None = None, after_id: int = 0
    ) -> Iterator[Article]:
        """Articles published (or, without a date, stored) at or after ``since``, oldest first;
        with ``newest``, only that many of the most recently stored (highest ids) among them;
        with ``after_id``, only those stored after that article."""
        recent = or_(
            articles.c.published >= since,
            and_(articles.c.published.is_(None), articles.c.created_at >= since),
        )
        after = 0
        if newest is not None:
            floor = (
                select(articles.c.id)
                .where(recent)
                .order_by(articles.c.id.desc())
                .offset(max(newest, 1) - 1)
                .limit(1)
            )
            with read_connection(self.engine) as connection:
                lowest = connection.execute(floor).scalar()
            after = 0 if lowest is None else lowest - 1
        after = max(after, after_id)
        while True:
            query = (
                select(articles)
                .where(recent, articles.c.id > after)
                .order_by(articles.c.id)
                .limit(_FINGERPRINT_BATCH)
            )
            with read_connection(self.engine) as connection:
                rows = [article_from_row(row) for row in connection.execute(query)]
            yield from rows
            if len(rows) < _FINGERPRINT_BATCH:
                return
            after = rows[-1].id or after

    def get_story(self, story_id: int) -> Story | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(_story_query().where(stories.c.id == story_id)).first()
        return None if row is None else story_from_row(row)

    def list_stories(self, *, limit: int | None = None) -> list[Story]:
        """Most recently seen first; stories left without articles (all moved away) are skipped."""
        has_articles = select(articles.c.id).where(articles.c.story_id == stories.c.id).exists()
        query = (
            _story_query()
            .where(has_articles)
            .order_by(stories.c.last_seen_at.desc(), stories.c.id.desc())
        )
        with read_connection(self.engine) as connection:
            return [story_from_row(row) for row in connection.execute(query.limit(limit))]

    def story_articles(self, story_id: int) -> list[Article]:
        """In the order they were published, the first report first."""
        query = select(articles).where(articles.c.story_id == story_id).order_by(*_oldest_first)
        with read_connection(self.engine) as connection:
            return [article_from_row(row) for row in connection.execute(query)]

    def count_articles(self) -> int:
        with read_connection(self.engine) as connection:
            count: int = connection.execute(select(func.count()).select_from(articles)).scalar_one()
        return count

    def estimate_articles(self, exact_up_to: int = EXACT_COUNT_UP_TO) -> int:
        """How many articles there are, without counting a million rows: exact up to
        exact_up_to (a count that stops there), beyond it an estimate read in constant time,
        never below what was counted: PostgreSQL's live-row statistics of the table, on SQLite
        the span of the ids (which also spans the ids of deleted articles)."""
        with read_connection(self.engine) as connection:
            first = select(articles.c.id).limit(exact_up_to + 1).subquery()
            counted: int = connection.execute(select(func.count()).select_from(first)).scalar_one()
            if counted <= exact_up_to:
                return counted
            if connection.dialect.name == "postgresql":
                live = text("SELECT pg_stat_get_live_tuples('articles'::regclass)")
                estimate = connection.execute(live).scalar_one()
            else:
                # Two lookups at the ends of the primary key (max and min in one SELECT scan).
                newest = select(func.max(articles.c.id)).scalar_subquery()
                oldest = select(func.min(articles.c.id)).scalar_subquery()
                span = select(newest - oldest + 1)
                estimate = connection.execute(span).scalar_one()
        return max(counted, int(estimate or 0))


def _by_guid(source_id: int | None, guid: str) -> Any:
    source_match = (
        articles.c.source_id.is_(None) if source_id is None else articles.c.source_id == source_id
    )
    return and_(source_match, articles.c.guid == guid)


def _first_article(connection: Connection, condition: Any) -> Article | None:
    row = connection.execute(
        select(articles).where(condition).order_by(articles.c.id).limit(1)
    ).first()
    return None if row is None else article_from_row(row)


def _stored_duplicate(connection: Connection, article: Article) -> Article:
    """The row that made an insert of article a duplicate (same canonical URL or GUID)."""
    condition = articles.c.canonical_url == article.canonical_url
    if article.guid is not None and article.source_id is not None:
        condition = or_(condition, _by_guid(article.source_id, article.guid))
    found = _first_article(connection, condition)
    if found is None:
        raise RuntimeError(f"insert of {article.canonical_url!r} conflicted with no visible row")
    return found


def _new_story(connection: Connection, title: str, seen_at: datetime) -> int:
    story_id: int = _STORY_INSERT.returned_one(
        connection, {"title": title, "first_seen_at": seen_at, "last_seen_at": seen_at}
    )
    return story_id


def _attach_story(connection: Connection, article: Article, title: str, seen_at: datetime) -> int:
    """The article's story id: a new story if it has none, else its story marked as seen."""
    if article.story_id is None:
        story_id = _new_story(connection, title, seen_at)
        connection.execute(_SET_ARTICLE_STORY, {"b_article_id": article.id, "b_story_id": story_id})
        return story_id
    connection.execute(_MARK_STORY_SEEN, {"b_story_id": article.story_id, "b_seen_at": seen_at})
    return article.story_id


def save_article_on(
    connection: Connection,
    article: Article,
    *,
    story_title: str | None = None,
    fetch_attempts: Sequence[FetchAttempt] = (),
) -> Article:
    """ArticlesRepository.save_article inside the caller's transaction."""
    now = utcnow()
    if fetch_attempts:
        connection.execute(
            insert(fetch_attempts_table), [attempt_values(a) for a in fetch_attempts]
        )
    if article.id is None:
        stored = replace(article, created_at=article.created_at or now)
        seen_at = stored.created_at or now
        # A new story goes in first, so the article row is written once, with its story (not
        # inserted, then updated); an insert that turns out a duplicate takes it out again.
        new_story = None
        if stored.story_id is None:
            new_story = _new_story(connection, story_title or stored.title, seen_at)
            stored.story_id = new_story
        values = article_values(stored)
        if connection.dialect.name == "sqlite":
            new_id = _SQLITE_ARTICLE_INSERT.returned(connection, values)
        else:
            new_id = connection.execute(
                _insert_unless_duplicate(connection), values
            ).scalar_one_or_none()
        if new_id is None:
            if new_story is not None:
                connection.execute(_DELETE_STORY, {"b_story_id": new_story})
            return _stored_duplicate(connection, stored)
        stored.id = new_id
        if new_story is None:
            _attach_story(connection, stored, story_title or stored.title, seen_at)
        return stored
    stored = replace(article)
    values = article_values(stored)
    del values["created_at"]
    result = connection.execute(_UPDATE_ARTICLE, {**values, "b_article_id": stored.id})
    if result.rowcount == 0:
        raise ValueError(f"article {stored.id} does not exist")
    seen_at = now
    stored.story_id = _attach_story(connection, stored, story_title or stored.title, seen_at)
    return stored
