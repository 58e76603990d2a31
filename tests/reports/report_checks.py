"""The two promises of every generated report, checked against the database itself:
every claim and table row cites articles that the report lists, and every figure it states
is in a fact stored for the articles that claim cites."""

from __future__ import annotations

import re

import lxml.html
from sqlalchemy import Engine, select

from newsdesk.reports.figures import fact_figures, figures
from newsdesk.store.schema import fact_sources, facts

ARTICLE_LINK = re.compile(r"/articles/(\d+)$")


def stored_figures(engine: Engine, article_ids: set[int]) -> set[str]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(fact_sources.c.sentence, facts.c.data)
            .join(facts, facts.c.key == fact_sources.c.fact_key)
            .where(fact_sources.c.article_id.in_(sorted(article_ids)))
        ).all()
    return fact_figures([row.sentence for row in rows], [dict(row.data) for row in rows])


def check_report(html: str, engine: Engine) -> int:
    """Asserts both promises; returns how many claims and rows were checked."""
    document = lxml.html.fromstring(html)
    references: dict[str, int] = {}
    for item in document.cssselect("ol.references > li"):
        link = item.cssselect("a")[0].get("href", "")
        match = ARTICLE_LINK.search(link)
        assert match, link
        references[item.get("id", "")] = int(match.group(1))
    checked = 0
    for claim in document.cssselect(".claim"):
        cites = [a.get("href", "").lstrip("#") for a in claim.cssselect("sup.cites a.cite")]
        assert cites, f"no citation: {claim.text_content()[:120]!r}"
        assert all(cite in references for cite in cites), cites
        for exempt in claim.cssselect("sup.cites, data.count, time"):
            exempt.drop_tree()
        stated = figures(claim.text_content())
        allowed = stored_figures(engine, {references[cite] for cite in cites})
        assert stated <= allowed, f"unbacked {stated - allowed} in {claim.text_content()[:160]!r}"
        checked += 1
    return checked
