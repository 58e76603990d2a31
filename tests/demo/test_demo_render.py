"""Rendered pages are well-formed and escaped; feeds and sitemaps parse."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

import feedparser
import pytest
from defusedxml.ElementTree import fromstring
from demo_corpus import HOSTILE_TITLE

from newsdesk.demo import DemoCorpus
from newsdesk.demo.render import (
    article_url,
    first_sentence,
    render_article_page,
    render_home_page,
    render_news_sitemap,
    render_publication_feed,
    render_robots,
)

SITE = "http://127.0.0.1:9/alpha"
VOID = {"meta", "link", "input", "br", "img", "hr"}


class _TagBalance(HTMLParser):
    """Records the elements and text of a page and any tag that does not close in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_page(html: str) -> _TagBalance:
    parser = _TagBalance()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def attr(page: _TagBalance, tag: str, **match: str) -> str | None:
    for name, attrs in page.tags:
        if name == tag and all(attrs.get(k.replace("_", ":")) == v for k, v in match.items()):
            return attrs.get("content") or attrs.get("href")
    raise AssertionError(f"no <{tag}> with {match}")


@pytest.fixture
def hostile_page(tiny_corpus: DemoCorpus) -> str:
    alpha = tiny_corpus.publication("alpha")
    tin = tiny_corpus.articles_of("alpha")[0]
    return render_article_page(tiny_corpus, alpha, tin, SITE)


def test_article_page_is_well_formed_with_metadata(
    tiny_corpus: DemoCorpus, hostile_page: str
) -> None:
    page = parse_page(hostile_page)
    tin = tiny_corpus.articles_of("alpha")[0]
    url = article_url(SITE, tin)
    assert url == f"{SITE}/2026/11/27/tin-rally.html"
    assert hostile_page.startswith('<!DOCTYPE html>\n<html lang="en">')
    titles = [t for t in page.tags if t[0] == "title"]
    assert len(titles) == 1
    assert f"{HOSTILE_TITLE} | Alpha <Metals> & Co" in "".join(page.text)
    assert attr(page, "meta", property="og:title") == HOSTILE_TITLE
    assert attr(page, "meta", property="og:site_name") == "Alpha <Metals> & Co"
    assert attr(page, "meta", property="og:image") == f"{SITE}/images/tin-rally.svg"
    assert attr(page, "meta", property="article:published_time") == "2026-11-27T03:30:00Z"
    assert attr(page, "link", rel="canonical") == url
    assert attr(page, "link", rel="alternate", type="application/rss+xml") == f"{SITE}/feed.xml"
    assert attr(page, "meta", name="author") == "Ana Kaputu"


def test_article_page_has_the_furniture_of_a_real_site(hostile_page: str) -> None:
    page = parse_page(hostile_page)
    classes = {attrs.get("class") for _, attrs in page.tags}
    assert {
        "site-nav",
        "byline",
        "share-bar",
        "article-body",
        "newsletter-promo",
        "read-more",
        "site-footer",
    } <= classes
    assert classes & {"cookie-banner", "copy-protection"}
    text = "".join(page.text)
    assert "Sign up" in text
    assert "Alpha <Metals> & Co" in text  # the promo speaks in the publication's name
    assert "By Ana Kaputu" in text


def test_hostile_text_renders_inert(hostile_page: str) -> None:
    assert "<script" not in hostile_page
    assert "<b>para</b>" not in hostile_page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in hostile_page
    assert "<p>Second &lt;b&gt;para&lt;/b&gt;.</p>" in hostile_page
    assert "<h2>A heading</h2>" in hostile_page


def test_read_more_lists_other_articles_with_first_sentence(
    tiny_corpus: DemoCorpus, hostile_page: str
) -> None:
    section = hostile_page.split('<section class="read-more">', 1)[1].split("</section>", 1)[0]
    others = tiny_corpus.articles_of("alpha")[1:]
    for other in others:
        assert article_url(SITE, other) in section
        assert other.title in section
    assert first_sentence(others[0]) == "First paragraph."
    assert "<p>First paragraph.</p>" in section
    assert "tin-rally" not in section


def test_home_page_links_every_article_and_advertises_the_feed(tiny_corpus: DemoCorpus) -> None:
    alpha = tiny_corpus.publication("alpha")
    page = parse_page(render_home_page(tiny_corpus, alpha, SITE))
    assert attr(page, "link", rel="alternate", type="application/rss+xml") == f"{SITE}/feed.xml"
    hrefs = {attrs.get("href") for name, attrs in page.tags if name == "a"}
    assert {article_url(SITE, a) for a in tiny_corpus.articles_of("alpha")} <= hrefs


def test_rss_feed_parses_with_full_content(tiny_corpus: DemoCorpus) -> None:
    alpha = tiny_corpus.publication("alpha")
    feed = feedparser.parse(render_publication_feed(tiny_corpus, alpha, SITE))
    assert not feed.bozo
    assert feed.version == "rss20"
    # RSS titles are HTML to readers: the writer escapes text once more, readers unescape it
    assert html.unescape(feed.feed.title) == "Alpha <Metals> & Co"
    titles = [html.unescape(e.title) for e in feed.entries]
    assert titles == [HOSTILE_TITLE, "Copper deal signed", "Old news"]
    first = feed.entries[0]
    assert first.link == f"{SITE}/2026/11/27/tin-rally.html"
    assert first.id == "alpha:tin-rally"
    assert first.published_parsed[:5] == (2026, 11, 27, 3, 30)
    assert first.author == "Ana Kaputu"
    assert "<h2>A heading</h2>" in first.content[0].value


def test_atom_feed_parses_without_content(tiny_corpus: DemoCorpus) -> None:
    beta = tiny_corpus.publication("beta")
    site = "http://127.0.0.1:9/beta"
    feed = feedparser.parse(render_publication_feed(tiny_corpus, beta, site))
    assert not feed.bozo
    assert feed.version == "atom10"
    (entry,) = feed.entries
    assert entry.title == "Oil output cut"
    assert entry.link == f"{site}/2026/11/27/oil-cut.html"
    assert entry.summary == "Summary of oil-cut & more."
    assert "content" not in entry


def test_news_sitemap_lists_every_article(tiny_corpus: DemoCorpus) -> None:
    alpha = tiny_corpus.publication("alpha")
    root: Element = fromstring(render_news_sitemap(tiny_corpus, alpha, SITE))
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    locs = [e.text for e in root.findall("s:url/s:loc", ns)]
    assert locs == [article_url(SITE, a) for a in tiny_corpus.articles_of("alpha")]
    titles = [e.text for e in root.findall("s:url/n:news/n:title", ns)]
    assert titles[0] == HOSTILE_TITLE
    names = {e.text for e in root.findall("s:url/n:news/n:publication/n:name", ns)}
    assert names == {"Alpha <Metals> & Co"}


def test_robots_allows_everything() -> None:
    assert render_robots() == "User-agent: *\nAllow: /\n"
