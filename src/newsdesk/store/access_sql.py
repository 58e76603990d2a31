"""A viewer's ReadScope (domain.access) as SQL conditions, for lists whose rows come from
article bodies: search hits, entity mentions, facts. The scope is decided by the access policy
(read_scope calls decide); these only apply it, so storage decides nothing itself.

A derived row (a mention, a fact sentence) is visible when its article is read in full, or it
comes from a paragraph before the article's preview break. A NULL paragraph (stored before
paragraphs were recorded) is never in a preview.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, true, union_all

from newsdesk.domain.access import ReadScope, Visibility
from newsdesk.store.schema import articles, sources

_PUBLIC = literal(str(Visibility.PUBLIC))


def source_visibility_of_article() -> Any:
    """The visibility of the source of the article in the enclosing query (correlated)."""
    return (
        select(sources.c.visibility)
        .where(sources.c.id == articles.c.source_id)
        .correlate(articles)
        .scalar_subquery()
    )


def effective_visibility(source_visibility: Any | None = None) -> ColumnElement[str]:
    """The article's own visibility, else its source's, else public (articles in the FROM;
    pass sources.c.visibility when sources is joined, else it is looked up)."""
    of_source = source_visibility
    if of_source is None:
        of_source = source_visibility_of_article()
    return func.coalesce(articles.c.visibility, of_source, _PUBLIC)


def read_in_full(scope: ReadScope, source_visibility: Any | None = None) -> ColumnElement[bool]:
    """The article of the enclosing query is one the scope reads in full."""
    if scope.everything:
        return true()
    return effective_visibility(source_visibility).in_(sorted(str(v) for v in scope.full))


def before_break(scope: ReadScope, paragraph: Any) -> ColumnElement[bool]:
    """paragraph (of the article in the enclosing query) comes before its preview break."""
    length = func.coalesce(articles.c.preview_paragraphs, scope.preview_paragraphs)
    return and_(paragraph.is_not(None), paragraph < length)


def visible_in(scope: ReadScope, paragraph: Any, source_visibility: Any | None = None) -> Any:
    """A row from `paragraph` of the enclosing query's article is visible to the scope."""
    if scope.everything:
        return true()
    return or_(read_in_full(scope, source_visibility), before_break(scope, paragraph))


def gated_article_ids(scope: ReadScope) -> Select[Any]:
    """Ids of the articles the scope does not read in full: their own visibility, or their
    source's when they have none (both through indexes)."""
    hidden = sorted(str(v) for v in Visibility if not scope.reads(v))
    parts = [
        select(articles.c.id).where(articles.c.visibility.in_(hidden)),
        select(articles.c.id).where(
            articles.c.visibility.is_(None),
            articles.c.source_id.in_(select(sources.c.id).where(sources.c.visibility.in_(hidden))),
        ),
    ]
    if not scope.reads(Visibility.PUBLIC):  # an article with neither is public
        parts.append(
            select(articles.c.id).where(
                articles.c.visibility.is_(None), articles.c.source_id.is_(None)
            )
        )
    return select(union_all(*parts).subquery().c.id)


def visible_row(scope: ReadScope, article_id: Any, paragraph: Any) -> Any:
    """A derived row (article_id, paragraph) is visible, without the article in the FROM:
    its article is not gated, or the paragraph is before that article's break."""
    if scope.everything:
        return true()
    length = func.coalesce(
        select(articles.c.preview_paragraphs).where(articles.c.id == article_id).scalar_subquery(),
        scope.preview_paragraphs,
    )
    return or_(
        article_id.not_in(gated_article_ids(scope)),
        and_(paragraph.is_not(None), paragraph < length),
    )
