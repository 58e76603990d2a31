"""Rows written the way an older release wrote them, for the tests of migrations that fill
or index existing data: only the columns every revision since 0001 has, so adding a column
in a later migration does not break the test of an earlier one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from newsdesk.store import SqlStore
from newsdesk.store.schema import articles, stories


def add_old_article(
    store: SqlStore,
    *,
    url: str,
    title: str,
    text: str,
    published: datetime | None,
    content_hash: str,
    source_id: int | None = None,
) -> int:
    """An article and its own story, as the 0001 schema holds them; returns the article id."""
    now = datetime.now(UTC)
    with store.engine.begin() as connection:
        story_id = connection.execute(
            insert(stories)
            .values(title=title, first_seen_at=now, last_seen_at=now)
            .returning(stories.c.id)
        ).scalar_one()
        article_id: int = connection.execute(
            insert(articles)
            .values(
                source_id=source_id,
                url=url,
                canonical_url=url,
                title=title,
                text=text,
                html="",
                authors=[],
                published=published,
                content_hash=content_hash,
                story_id=story_id,
                created_at=now,
                extra={},
            )
            .returning(articles.c.id)
        ).scalar_one()
    return article_id
