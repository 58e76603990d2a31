"""GET /articles/{id}: metadata, sectors, entities, facts, body per source rights, Read more,
and the summary above the body only when the body does not open with it."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from leak_world import CANARY, PREVIEW
from lxml import html

from newsdesk.text.sentences import leading_paragraphs, split_sentences
from site_viewers import as_viewer


def article_with(store, *, facts=True, related=True):
    """A demo article that has facts and related articles."""
    for article in store.list_articles():
        enrichment = store.get_enrichment(article.id)
        if enrichment is None or article.source_id is None:
            continue
        if (enrichment.facts or not facts) and (enrichment.related or not related):
            return article, enrichment
    raise AssertionError("the demo corpus has no article with facts and related articles")


def body_of(client, article_id):
    tree = html.fromstring(client.get(f"/articles/{article_id}").text)
    section = tree.xpath('//section[@class="body"]')
    return tree, (section[0] if section else None)


def test_article_page_shows_everything_enrichment_found(writable_demo):
    client, store, _ = writable_demo
    article, enrichment = article_with(store)
    source = store.get_source(article.source_id)
    tree = html.fromstring(client.get(f"/articles/{article.id}").text)
    assert tree.xpath("string(//h1)") == article.title
    assert tree.xpath('string(//span[@class="source"])') == source.name
    assert tree.xpath("//header//time/@datetime")
    sector_links = tree.xpath('//header//ul[@class="tags"]//a/@href')
    labels = store.article_sectors([article.id])[article.id]
    assert sector_links == [f"/sectors/{label.sector_id}" for label in labels]
    entity_links = tree.xpath('//a[starts-with(@href, "/entities/")]/@href')
    assert len(entity_links) == len({m.entity_id for m in enrichment.mentions})
    sentences = tree.xpath('//ul[@class="facts"]//q/text()')
    in_text_order = sorted(enrichment.facts, key=lambda fact: (fact.start, fact.key))
    assert sentences == [fact.sentence for fact in in_text_order]
    (ld,) = tree.xpath('//script[@type="application/ld+json"]/text()')
    assert json.loads(ld)["description"] == enrichment.summary


def test_read_more_lists_related_articles_with_reasons(writable_demo):
    client, store, _ = writable_demo
    article, enrichment = article_with(store, facts=False)
    tree = html.fromstring(client.get(f"/articles/{article.id}").text)
    block = tree.xpath('//section[@class="read-more"]')[0]
    assert block.xpath("string(h2)") == "Read more insights"
    links = block.xpath(".//li/a/@href")
    assert links == [f"/articles/{link.article_id}" for link in enrichment.related]
    reasons = block.xpath('.//span[@class="reason"]/text()')
    assert reasons == [link.reason for link in enrichment.related]
    for link in links:
        assert client.get(link).status_code == 200


@pytest.mark.parametrize("rights", ["full", "excerpt", "link"])
def test_body_follows_the_source_rights(writable_demo, rights):
    client, store, _ = writable_demo
    article, _ = article_with(store, facts=False, related=False)
    source = store.get_source(article.source_id)
    source.rights = rights
    store.update_source(source)
    tree, body = body_of(client, article.id)
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", article.text) if p.strip()]
    read_at = tree.xpath('//p[@class="read-at"]//a/@href')
    assert read_at == [article.url]
    if rights == "full":
        assert body is not None and body.get("data-rights") == "full"
        assert len(body.xpath(".//p")) >= len(paragraphs) - 1
        assert paragraphs[-1].strip()[:40] in body.text_content()
    elif rights == "excerpt":
        assert body is not None and len(body.xpath("./p")) == 2
        assert paragraphs[0].strip()[:40] in body.text_content()
        assert paragraphs[-1].strip()[:40] not in body.text_content()
        assert tree.xpath('string(//a[@class="read-at-link"])').startswith("Read at ")
    else:
        assert body is None
        assert tree.xpath('string(//a[@class="read-at-link"])') == f"Read at {source.name}"
        assert tree.xpath('//section[@class="summary-box"]')


def summary_box(tree):
    return tree.xpath('string(//section[@class="summary-box"]/p)')


@pytest.mark.parametrize("rights", ["full", "excerpt"])
def test_the_summary_box_leaves_out_what_the_lead_below_it_says(writable_demo, rights):
    client, store, _ = writable_demo
    article, enrichment = article_with(store, facts=False, related=False)
    opening = re.split(r"(?<=[.!?])\s", article.text.strip(), maxsplit=1)[0]
    assert enrichment.summary.startswith(opening)  # extractive: the lead sentence comes first
    lead = "\n".join(leading_paragraphs(article.text, 2))  # what the body shows first
    source = store.get_source(article.source_id)
    source.rights = rights
    store.update_source(source)
    tree, body = body_of(client, article.id)
    box = summary_box(tree)
    assert opening not in box and opening in body.text_content()
    for sentence in split_sentences(box):
        assert sentence in enrichment.summary and sentence not in lead
    description = tree.xpath('//meta[@name="description"]/@content')[0]
    assert description.removesuffix("…")[:100] == enrichment.summary[:100]


@pytest.mark.parametrize(
    ("rights", "in_body"), [("full", True), ("excerpt", False), ("link", False)]
)
def test_a_summary_of_what_the_lead_does_not_say_stays_above_the_body(
    writable_demo, rights, in_body
):
    client, store, _ = writable_demo
    article, enrichment = article_with(store, facts=False, related=False)
    paragraphs = [p.strip() for p in article.text.splitlines() if p.strip()]
    assert len(paragraphs) > 3
    later = re.split(r"(?<=[.!?])\s", paragraphs[-1], maxsplit=1)[0]  # beyond the lead
    store.save_enrichment(replace(enrichment, summary=later))
    source = store.get_source(article.source_id)
    source.rights = rights
    store.update_source(source)
    tree, _ = body_of(client, article.id)
    assert summary_box(tree) == later
    assert ("".join(tree.xpath("//article//text()")).count(later) == 2) is in_body


def test_a_full_reader_of_an_excerpt_sees_only_what_the_summary_adds(leak_client, leak_world):
    # The pro piece's summary: its lead sentence, then the analysis after the preview break,
    # which an excerpt (two paragraphs) does not show.
    page = leak_client.get(f"/articles/{leak_world.pro_id}", headers=as_viewer("pro")).text
    tree = html.fromstring(page)
    assert tree.xpath('//section[@class="body"]/@data-access') == ["full"]
    assert summary_box(tree) == CANARY
    assert PREVIEW[0] in "".join(tree.xpath('//section[@class="body"]//text()'))


def test_a_preview_does_not_print_the_lead_above_the_lead(leak_client, leak_world):
    tree = html.fromstring(leak_client.get(f"/articles/{leak_world.pro_id}").text)
    body = tree.xpath('//section[@class="body"]')[0]
    assert body.get("data-access") == "preview"
    assert summary_box(tree) == ""
    assert tree.xpath('//meta[@name="description"]/@content')


def test_articles_without_a_source_use_the_default_rights(writable_demo):
    client, store, _ = writable_demo
    article, _ = article_with(store, facts=False, related=False)
    store.remove_source(article.source_id)  # its articles stay, without a source
    _, body = body_of(client, article.id)
    assert body is not None and body.get("data-rights") == "excerpt"  # SiteOptions default
    assert len(body.xpath("./p")) <= 2


def test_article_page_links_its_story_and_offers_the_digest(writable_demo):
    client, store, _ = writable_demo
    story = next(s for s in store.list_stories() if s.article_count > 1)
    article = store.story_articles(story.id)[0]
    tree = html.fromstring(client.get(f"/articles/{article.id}").text)
    assert tree.xpath(f'//a[@href="/stories/{story.id}"]')
    assert tree.xpath('//form[@action="/subscribe"]//input[@name="form"]/@value') == ["article"]
    assert tree.xpath('//link[@rel="canonical"]/@href')[0].endswith(f"/articles/{article.id}")


def test_missing_and_malformed_article_ids(demo_client):
    assert demo_client.get("/articles/999999").status_code == 404
    # not an id: a path that names nothing (test_publish_path_ids)
    assert demo_client.get("/articles/abc").status_code == 404
    assert demo_client.get("/articles/1%20OR%201=1").status_code == 404
