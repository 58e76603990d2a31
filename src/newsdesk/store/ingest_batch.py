"""Ingest decisions and article writes grouped into one transaction: ingest's batch commit."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, RootTransaction, insert
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.leases import PollFence
from newsdesk.domain.models import Article, FetchAttempt
from newsdesk.store.articles_repo import save_article_on
from newsdesk.store.ingest_matches import ingest_matches
from newsdesk.store.leases_repo import check_fence
from newsdesk.store.schema import fetch_attempts as fetch_attempts_table
from newsdesk.store.sources_repo import attempt_values

_SAVEPOINT = "newsdesk_ingest_article"


@contextmanager
def _savepoint(connection: Connection) -> Iterator[None]:
    """What connection.begin_nested() does, issued on the driver's connection: SQLAlchemy
    names each savepoint anew and so compiles its SAVEPOINT and RELEASE for every article,
    which cost more than the article's own insert. One fixed name serves, as savepoints are
    never nested here. On failure the savepoint is rolled back (PostgreSQL needs that before
    the transaction takes any other statement) and released, and the error goes on."""
    driver = connection.connection.driver_connection
    if driver is None:  # an invalidated connection: let SQLAlchemy raise its own error
        with connection.begin_nested():
            yield
        return
    driver.execute(f"SAVEPOINT {_SAVEPOINT}")
    try:
        yield
    except BaseException:
        driver.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        driver.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")
        raise
    driver.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")


class IngestBatch:
    """One open transaction for a run of ingest writes, committed by the caller.

    Its reads see what it wrote, so the decision for an article sees the articles saved
    before it in the same batch. Each article is saved in its own savepoint: one that fails
    is rolled back alone and the others stay. Nothing is durable until commit(): a crash
    loses the batch, which the next run fetches again (nothing of it was stored).

    The fetch log rows that come with each saved article are written at commit, all in one
    statement, in the same transaction as their articles.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None
        self._opened_at = 0.0
        self.pending = 0  # articles saved since the last commit
        self._attempts: list[FetchAttempt] = []  # fetch log rows of the saved articles

    def _open(self) -> Connection:
        if self._connection is None:
            self._connection = self._engine.connect()
            self._transaction = self._connection.begin()
            self._opened_at = time.monotonic()
        return self._connection

    def age_seconds(self) -> float:
        """Seconds since the open transaction began (0 when none is open)."""
        return time.monotonic() - self._opened_at if self._connection is not None else 0.0

    def find_ingest_matches(
        self,
        *,
        source_id: int | None,
        guid: str | None,
        canonical_urls: Sequence[str],
        content_hash: str,
    ) -> tuple[Article | None, Article | None]:
        return ingest_matches(
            self._open(),
            source_id=source_id,
            guid=guid,
            canonical_urls=canonical_urls,
            content_hash=content_hash,
        )

    def save_article(
        self,
        article: Article,
        *,
        story_title: str | None = None,
        fetch_attempts: Sequence[FetchAttempt] = (),
        fence: PollFence | None = None,
    ) -> Article:
        connection = self._open()
        try:
            with _savepoint(connection):
                check_fence(connection, fence)
                saved = save_article_on(connection, article, story_title=story_title)
        except IntegrityError as error:
            raise ValueError(
                f"cannot save article {article.canonical_url!r}: {error.orig}"
            ) from error
        self.pending += 1
        self._attempts.extend(fetch_attempts)
        return saved

    def commit(self) -> None:
        """Make everything saved so far durable and end the transaction."""
        connection, transaction = self._connection, self._transaction
        attempts, self._attempts = self._attempts, []
        self._connection = self._transaction = None
        self.pending = 0
        try:
            if connection is not None and attempts:
                rows = [attempt_values(a) for a in attempts]
                connection.execute(insert(fetch_attempts_table), rows)
            if transaction is not None:
                transaction.commit()
        finally:
            if connection is not None:
                connection.close()  # rolls back what a failed commit left open

    def rollback(self) -> None:
        """Drop everything saved since the last commit (for callers that must abandon it)."""
        connection, transaction = self._connection, self._transaction
        self._connection = self._transaction = None
        self._attempts = []
        self.pending = 0
        if transaction is not None:
            transaction.rollback()
        if connection is not None:
            connection.close()
