"""The one read behind each ingest decision: the article stored under the entry's key and the
earliest article with its content hash (ArticlesRepository.find_ingest_matches, IngestBatch)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, or_, select

from newsdesk.domain.models import Article
from newsdesk.store.article_rows import article_from_row
from newsdesk.store.driver_statement import DriverStatement
from newsdesk.store.schema import articles

# The reads of one ingest decision, built once like the writes above: the articles under
# the key (GUID within the source, canonical URLs) and those with the content hash, in one
# statement (one round trip per decision instead of two). Ingest passes one or two canonical
# URLs (the page's and the entry's): those get a bound parameter each, as an expanding IN
# list is rewritten at every execution; more take the expanding list.
_FIXED_URLS = 2
_BY_GUID = and_(
    articles.c.source_id == bindparam("b_source_id"),
    articles.c.guid == bindparam("b_guid"),
)
_BY_HASH = articles.c.content_hash == bindparam("b_hash")


def _by_urls(count: int) -> list[ColumnElement[bool]]:
    if count > _FIXED_URLS:
        return [articles.c.canonical_url.in_(bindparam("b_urls", expanding=True))]
    return [articles.c.canonical_url == bindparam(f"b_url_{i}") for i in range(count)]


_INGEST_MATCHES = {
    (with_guid, urls): select(articles)
    .where(or_(*([_BY_GUID] if with_guid else []), *_by_urls(urls), _BY_HASH))
    .order_by(articles.c.id)
    for with_guid in (False, True)
    for urls in range(_FIXED_URLS + 2)
}
# The same reads on SQLite's cursor (driver_statement): most decisions find nothing, and then
# that answer is all they need. When rows are found, SQLAlchemy reads them as before.
_INGEST_MATCHES_ON_DRIVER = {
    (with_guid, urls): DriverStatement(
        _INGEST_MATCHES[with_guid, urls],
        (
            "b_hash",
            *(("b_source_id", "b_guid") if with_guid else ()),
            *(f"b_url_{i}" for i in range(urls)),
        ),
    )
    for with_guid in (False, True)
    for urls in range(_FIXED_URLS + 1)
}


def ingest_matches(
    connection: Connection,
    *,
    source_id: int | None,
    guid: str | None,
    canonical_urls: Sequence[str],
    content_hash: str,
) -> tuple[Article | None, Article | None]:
    """ArticlesRepository.find_ingest_matches on an open connection."""
    urls = list(dict.fromkeys(canonical_urls))
    with_guid = guid is not None and source_id is not None
    parameters: dict[str, Any] = {"b_hash": content_hash}
    if with_guid:
        parameters.update(b_source_id=source_id, b_guid=guid)
    if len(urls) > _FIXED_URLS:
        parameters["b_urls"] = urls
    else:
        parameters.update((f"b_url_{i}", url) for i, url in enumerate(urls))
    statement = _INGEST_MATCHES[with_guid, min(len(urls), _FIXED_URLS + 1)]
    on_driver = _INGEST_MATCHES_ON_DRIVER.get((with_guid, len(urls)))
    if (
        on_driver is not None
        and on_driver.runs_on_driver(connection, parameters)
        and on_driver.returned(connection, parameters) is None
    ):
        return None, None  # no row matched: nothing to read
    rows = connection.execute(statement, parameters).all()
    # Rows in id order: the conditions are checked again here, so a row that matched only by
    # hash is never taken for the key, nor one that matched only by key for the hash.
    found = [article_from_row(row) for row in rows]
    by_key = None
    if with_guid:
        by_key = next((a for a in found if a.source_id == source_id and a.guid == guid), None)
    for url in urls:
        if by_key is not None:
            break
        by_key = next((a for a in found if a.canonical_url == url), None)
    by_hash = next((a for a in found if a.content_hash == content_hash), None)
    return by_key, by_hash
