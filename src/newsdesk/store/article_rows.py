"""Article and story rows: how the domain's Article and Story map to and from the tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from newsdesk.domain.access import Visibility
from newsdesk.domain.models import Article, Story
from newsdesk.store.schema import articles

ARTICLE_FIELDS = tuple(column.name for column in articles.columns if column.name != "id")


def article_values(article: Article) -> dict[str, Any]:
    values = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    values["authors"] = list(article.authors)
    values["fingerprint"] = article.fingerprint or None
    values["extra"] = dict(article.extra)
    values["visibility"] = None if article.visibility is None else str(article.visibility)
    return values


def article_from_row(row: Row[Any]) -> Article:
    mapping = row._mapping
    fields = {name: mapping[name] for name in ARTICLE_FIELDS}
    fields["authors"] = tuple(mapping["authors"] or ())
    fields["fingerprint"] = bytes(mapping["fingerprint"] or b"")
    fields["extra"] = dict(mapping["extra"] or {})
    fields["visibility"] = visibility_or_none(mapping["visibility"])
    return Article(id=mapping["id"], **fields)


def visibility_or_none(value: str | None) -> Visibility | None:
    """A stored visibility; an unknown value (a newer release's) reads as the strictest."""
    if value is None:
        return None
    try:
        return Visibility(value)
    except ValueError:
        return Visibility.PRO


def story_from_row(row: Row[Any]) -> Story:
    mapping = row._mapping
    return Story(
        id=mapping["id"],
        title=mapping["title"],
        first_seen_at=mapping["first_seen_at"],
        last_seen_at=mapping["last_seen_at"],
        article_count=mapping["article_count"],
        summary=mapping["summary"],
    )
