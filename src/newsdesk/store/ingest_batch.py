"""Ingest decisions and article writes grouped into one transaction: ingest's batch commit."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.leases import PollFence
from newsdesk.domain.models import Article, FetchAttempt
from newsdesk.store.articles_repo import ingest_matches, save_article_on
from newsdesk.store.leases_repo import check_fence


class IngestBatch:
    """One open transaction for a run of ingest writes, committed by the caller.

    Its reads see what it wrote, so the decision for an article sees the articles saved
    before it in the same batch. Each article is saved in its own savepoint: one that fails
    is rolled back alone and the others stay. Nothing is durable until commit(): a crash
    loses the batch, which the next run fetches again (nothing of it was stored).
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None
        self._opened_at = 0.0
        self.pending = 0  # articles saved since the last commit

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
            with connection.begin_nested():
                check_fence(connection, fence)
                saved = save_article_on(
                    connection, article, story_title=story_title, fetch_attempts=fetch_attempts
                )
        except IntegrityError as error:
            raise ValueError(
                f"cannot save article {article.canonical_url!r}: {error.orig}"
            ) from error
        self.pending += 1
        return saved

    def commit(self) -> None:
        """Make everything saved so far durable and end the transaction."""
        connection, transaction = self._connection, self._transaction
        self._connection = self._transaction = None
        self.pending = 0
        if transaction is not None:
            transaction.commit()
        if connection is not None:
            connection.close()

    def rollback(self) -> None:
        """Drop everything saved since the last commit (for callers that must abandon it)."""
        connection, transaction = self._connection, self._transaction
        self._connection = self._transaction = None
        self.pending = 0
        if transaction is not None:
            transaction.rollback()
        if connection is not None:
            connection.close()
