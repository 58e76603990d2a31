"""Sources and the fetch log: the SourceStore half of SqlStore."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsdesk.domain.access import Visibility
from newsdesk.domain.leases import PollFence
from newsdesk.domain.models import FetchAttempt, FetchOutcome, Source, SourceKind, utcnow
from newsdesk.store.base import StoreBase
from newsdesk.store.engine import read_connection
from newsdesk.store.leases_repo import check_fence
from newsdesk.store.schema import articles, fetch_attempts, sources

_SOURCE_FIELDS = tuple(column.name for column in sources.columns if column.name != "id")


def source_values(source: Source) -> dict[str, Any]:
    values = {name: getattr(source, name) for name in _SOURCE_FIELDS}
    values["kind"] = str(source.kind)
    values["visibility"] = str(source.visibility)
    return values


def source_from_row(row: Row[Any]) -> Source:
    mapping = row._mapping
    fields = {name: mapping[name] for name in _SOURCE_FIELDS}
    fields["kind"] = SourceKind(mapping["kind"])
    fields["visibility"] = Visibility(mapping["visibility"])
    return Source(id=mapping["id"], **fields)


def attempt_from_row(row: Row[Any]) -> FetchAttempt:
    mapping = row._mapping
    return FetchAttempt(
        source_id=mapping["source_id"],
        url=mapping["url"],
        started_at=mapping["started_at"],
        outcome=FetchOutcome(mapping["outcome"]),
        status=mapping["status"],
        bytes=mapping["bytes"],
        duration_seconds=mapping["duration_seconds"],
        error=mapping["error"],
    )


def attempt_values(attempt: FetchAttempt) -> dict[str, Any]:
    return {
        "source_id": attempt.source_id,
        "url": attempt.url,
        "started_at": attempt.started_at,
        "outcome": str(attempt.outcome),
        "status": attempt.status,
        "bytes": attempt.bytes,
        "duration_seconds": attempt.duration_seconds,
        "error": attempt.error,
    }


class SourcesRepository(StoreBase):
    def add_source(self, source: Source) -> Source:
        stored = replace(source, created_at=source.created_at or utcnow())
        try:
            with self.engine.begin() as connection:
                new_id = connection.execute(
                    insert(sources).values(source_values(stored)).returning(sources.c.id)
                ).scalar_one()
        except IntegrityError as error:
            raise ValueError(f"a source with URL {source.url!r} already exists") from error
        return replace(stored, id=new_id)

    def get_source(self, source_id: int) -> Source | None:
        return self._one_source(select(sources).where(sources.c.id == source_id))

    def get_source_by_url(self, url: str) -> Source | None:
        return self._one_source(select(sources).where(sources.c.url == url))

    def list_sources(self) -> list[Source]:
        with read_connection(self.engine) as connection:
            rows = connection.execute(select(sources).order_by(sources.c.id)).all()
        return [source_from_row(row) for row in rows]

    def update_source(self, source: Source, *, fence: PollFence | None = None) -> None:
        """Persist every field but id and created_at; a source removed meanwhile is ignored.
        With a fence, raises FencedOut (nothing written) if a later poll superseded it."""
        if source.id is None:
            raise ValueError("update_source needs a stored source (id is None)")
        values = source_values(source)
        values.pop("created_at")
        try:
            with self.engine.begin() as connection:
                check_fence(connection, fence)
                connection.execute(update(sources).where(sources.c.id == source.id).values(values))
        except IntegrityError as error:
            raise ValueError(f"a source with URL {source.url!r} already exists") from error

    def remove_source(self, source_id: int) -> bool:
        """Remove the source (its articles stay, without a source). Articles that took their
        visibility from it keep it as their own: removing a Pro source opens nothing."""
        with self.engine.begin() as connection:
            visibility = connection.execute(
                select(sources.c.visibility).where(sources.c.id == source_id)
            ).scalar_one_or_none()
            if visibility is not None and visibility != Visibility.PUBLIC:
                connection.execute(
                    update(articles)
                    .where(articles.c.source_id == source_id, articles.c.visibility.is_(None))
                    .values(visibility=visibility)
                )
            result = connection.execute(delete(sources).where(sources.c.id == source_id))
        return result.rowcount > 0

    def due_sources(self, now: datetime) -> list[Source]:
        never_fetched_first = case((sources.c.next_fetch_at.is_(None), 0), else_=1)
        query = (
            select(sources)
            .where(sources.c.enabled.is_(True))
            .where(sources.c.next_fetch_at.is_(None) | (sources.c.next_fetch_at <= now))
            .order_by(never_fetched_first, sources.c.next_fetch_at, sources.c.id)
        )
        with read_connection(self.engine) as connection:
            rows = connection.execute(query).all()
        return [source_from_row(row) for row in rows]

    def record_fetch_attempt(
        self, attempt: FetchAttempt, *, fence: PollFence | None = None
    ) -> None:
        self.record_fetch_attempts([attempt], fence=fence)

    def record_fetch_attempts(
        self, attempts: Sequence[FetchAttempt], *, fence: PollFence | None = None
    ) -> None:
        if not attempts:
            return
        with self.engine.begin() as connection:
            check_fence(connection, fence)
            connection.execute(insert(fetch_attempts), [attempt_values(a) for a in attempts])

    def recent_fetch_attempts(
        self, source_id: int | None = None, limit: int = 50
    ) -> list[FetchAttempt]:
        """Newest first; all sources when source_id is None."""
        query = select(fetch_attempts)
        if source_id is not None:
            query = query.where(fetch_attempts.c.source_id == source_id)
        query = query.order_by(fetch_attempts.c.started_at.desc(), fetch_attempts.c.id.desc())
        with read_connection(self.engine) as connection:
            rows = connection.execute(query.limit(limit)).all()
        return [attempt_from_row(row) for row in rows]

    def _one_source(self, query: Select[Any]) -> Source | None:
        with read_connection(self.engine) as connection:
            row = connection.execute(query).first()
        return None if row is None else source_from_row(row)
