"""Pages, feeds and sitemaps of the demo publications: pure functions from corpus to text.

``site`` is always the absolute URL of a publication's root without a trailing slash, e.g.
``http://127.0.0.1:8765/meridian``. Every value from the corpus is escaped on the way out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # only ever writes XML, never parses it
from collections.abc import Iterable
from datetime import UTC, datetime
from html import escape
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from newsdesk.demo.corpus_loader import DemoArticle, DemoCorpus, Publication
from newsdesk.formats.feeds import FEED_TYPES, FeedItem, FeedKind, FeedMeta, write_feed
from newsdesk.text.sentences import split_sentences

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ET.register_namespace("", SITEMAP_NS)
ET.register_namespace("news", NEWS_NS)

# Newsletter promos in each publication's own voice, picked by the publication's position.
_PROMOS = (
    (
        "Sign up for the {name} Morning Brief",
        "The day's top stories on {topic}, in your inbox before the markets open.",
    ),
    (
        "Get {name} Daily in your inbox",
        "Our reporters' pick of what matters in {topic}, every weekday at 7am.",
    ),
    (
        "The Weekly Dispatch from {name}",
        "One email every Friday: the week in {topic}, explained by the people who cover it.",
    ),
    (
        "Subscribe to {name} Today",
        "Free daily insights on {topic}, with the deals, data and decisions behind them.",
    ),
)


# ------------------------------------------------------------------------------------- helpers


def article_path(article: DemoArticle) -> str:
    """Path of an article page below its publication's root."""
    return f"{article.published:%Y/%m/%d}/{article.slug}.html"


def article_url(site: str, article: DemoArticle) -> str:
    return f"{site}/{article_path(article)}"


def image_url(site: str, article: DemoArticle) -> str:
    return f"{site}/images/{article.slug}.svg"


def feed_url(site: str, publication: Publication) -> str:
    return f"{site}/{publication.feed_path}"


def first_sentence(article: DemoArticle) -> str:
    for paragraph in article.paragraphs:
        if not paragraph.startswith("## "):
            return split_sentences(paragraph)[0]
    return article.summary


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _a(text: str) -> str:
    """Escape for an HTML attribute value in double quotes."""
    return escape(text, quote=True)


def _section_anchor(section: str) -> str:
    return "section-" + re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")


def _position(corpus: DemoCorpus, publication: Publication) -> int:
    return corpus.publications.index(publication)


def _newest(articles: Iterable[DemoArticle], fallback: datetime) -> datetime:
    return max((a.published for a in articles), default=fallback)


# ------------------------------------------------------------------------------- page frame

_STYLE = """\
body{font-family:Georgia,serif;margin:0;color:#222}header,main,footer{max-width:46rem;\
margin:auto;padding:0 1rem}nav ul{list-style:none;padding:0;display:flex;gap:1rem}\
.newsletter-promo{border:2px solid #246;padding:1rem;margin:2rem 0}\
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#eee;padding:1rem}"""


def _head(publication: Publication, site: str, title: str, extra: str) -> str:
    feed_type = FEED_TYPES[publication.feed]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{extra}"
        f'<link rel="alternate" type="{feed_type}" title="{_a(publication.name)}" '
        f'href="{_a(feed_url(site, publication))}">\n'
        f"<style>{_STYLE}</style>\n</head>\n"
    )


def _masthead(publication: Publication, site: str) -> str:
    links = "".join(
        f'<li><a href="{_a(site)}/#{_section_anchor(s)}">{escape(s)}</a></li>'
        for s in publication.sections
    )
    return (
        '<header class="masthead">\n'
        f'<p class="site-name"><a href="{_a(site)}/">{escape(publication.name)}</a></p>\n'
        f'<p class="tagline">{escape(publication.tagline)}</p>\n'
        f'<nav class="site-nav" aria-label="Sections"><ul><li><a href="{_a(site)}/">Home</a>'
        f"</li>{links}</ul></nav>\n</header>\n"
    )


def _newsletter_promo(corpus: DemoCorpus, publication: Publication, site: str) -> str:
    heading, pitch = _PROMOS[_position(corpus, publication) % len(_PROMOS)]
    topic = publication.tagline[:1].lower() + publication.tagline[1:]
    heading = heading.format(name=publication.name)
    pitch = pitch.format(topic=topic)
    return (
        '<aside class="newsletter-promo">\n'
        f"<h2>{escape(heading)}</h2>\n<p>{escape(pitch)}</p>\n"
        f'<form action="{_a(site)}/newsletter" method="post">'
        '<label>Email address <input type="email" name="email" required></label> '
        '<button type="submit">Sign up</button></form>\n'
        f'<p class="consent">By signing up you agree to receive emails from '
        f"{escape(publication.name)} and accept our privacy policy. "
        "You can unsubscribe at any time.</p>\n</aside>\n"
    )


def _notice(corpus: DemoCorpus, publication: Publication) -> str:
    name = escape(publication.name)
    if _position(corpus, publication) % 2 == 0:
        return (
            '<div class="cookie-banner" role="dialog" aria-label="Cookie consent">\n'
            f"<p>{name} uses cookies to remember your preferences and to measure how our "
            "journalism is read.</p>\n"
            '<button type="button">Accept all</button> '
            '<button type="button">Manage preferences</button>\n</div>\n'
        )
    return (
        '<p class="copy-protection">This content is protected by copyright. Copying, '
        f"republishing or redistributing {name} articles without written permission is "
        f"prohibited. For licensing, write to licensing@{_a(publication.id)}.example.</p>\n"
    )


def _footer(publication: Publication, site: str, year: int) -> str:
    return (
        '<footer class="site-footer">\n'
        f"<p>© {year} {escape(publication.name)}. All rights reserved.</p>\n"
        f'<p><a href="{_a(site)}/about">About us</a> · <a href="{_a(site)}/contact">Contact</a>'
        f' · <a href="{_a(site)}/privacy">Privacy</a> · '
        f'<a href="{_a(feed_url(site, publication))}">Feed</a></p>\n</footer>\n'
    )


# ----------------------------------------------------------------------------------- pages


def _read_more(corpus: DemoCorpus, article: DemoArticle, site: str) -> str:
    others = [a for a in corpus.articles_of(article.publication) if a.slug != article.slug][:3]
    if not others:
        return ""
    items = "".join(
        f'<li><a href="{_a(article_url(site, other))}">{escape(other.title)}</a>'
        f"<p>{escape(first_sentence(other))}</p></li>\n"
        for other in others
    )
    return f'<section class="read-more">\n<h2>Read more</h2>\n<ul>\n{items}</ul>\n</section>\n'


def _body_html(article: DemoArticle) -> str:
    return "".join(
        f"<h2>{escape(p[3:])}</h2>\n" if p.startswith("## ") else f"<p>{escape(p)}</p>\n"
        for p in article.paragraphs
    )


def _share_bar(site: str, article: DemoArticle) -> str:
    url = _a(article_url(site, article))
    mail = _a(f"mailto:?subject={quote(article.title)}&body={quote(article_url(site, article))}")
    return (
        '<div class="share-bar" aria-label="Share">Share: '
        f'<a href="{mail}">Email</a> · '
        f'<a href="{url}#share-linkedin">LinkedIn</a> · '
        f'<a href="{url}#share-x">X</a> · '
        f'<button type="button" data-copy="{url}">Copy link</button></div>\n'
    )


def render_article_page(
    corpus: DemoCorpus, publication: Publication, article: DemoArticle, site: str
) -> str:
    url = article_url(site, article)
    published = _iso(article.published)
    meta = (
        f'<meta name="description" content="{_a(article.summary)}">\n'
        f'<meta name="author" content="{_a(article.author)}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{_a(article.title)}">\n'
        f'<meta property="og:site_name" content="{_a(publication.name)}">\n'
        f'<meta property="og:url" content="{_a(url)}">\n'
        f'<meta property="og:image" content="{_a(image_url(site, article))}">\n'
        f'<meta property="og:description" content="{_a(article.summary)}">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<meta property="article:section" content="{_a(article.section)}">\n'
        f'<link rel="canonical" href="{_a(url)}">\n'
    )
    return (
        _head(publication, site, f"{article.title} | {publication.name}", meta)
        + "<body>\n"
        + _masthead(publication, site)
        + "<main>\n<article>\n"
        + f'<p class="kicker"><a href="{_a(site)}/#{_section_anchor(article.section)}">'
        + f"{escape(article.section)}</a></p>\n"
        + f"<h1>{escape(article.title)}</h1>\n"
        + f'<p class="byline">By <span class="author">{escape(article.author)}</span>'
        + f' · <time datetime="{published}">{_utc(article.published):%d %B %Y, %H:%M} UTC'
        + "</time></p>\n"
        + _share_bar(site, article)
        + f'<div class="article-body">\n{_body_html(article)}</div>\n'
        + "</article>\n"
        + _newsletter_promo(corpus, publication, site)
        + _read_more(corpus, article, site)
        + "</main>\n"
        + _notice(corpus, publication)
        + _footer(publication, site, _utc(article.published).year)
        + "</body>\n</html>\n"
    )


def render_home_page(corpus: DemoCorpus, publication: Publication, site: str) -> str:
    articles = corpus.articles_of(publication.id)
    sections = []
    for section in publication.sections:
        items = "".join(
            f'<li><a href="{_a(article_url(site, a))}">{escape(a.title)}</a>'
            f'<p>{escape(a.summary)}</p><p class="byline">By {escape(a.author)} · '
            f'<time datetime="{_iso(a.published)}">{_utc(a.published):%d %B %Y}</time></p></li>\n'
            for a in articles
            if a.section == section
        )
        if items:
            sections.append(
                f'<section id="{_section_anchor(section)}">\n<h2>{escape(section)}</h2>\n'
                f"<ul>\n{items}</ul>\n</section>\n"
            )
    meta = (
        f'<meta name="description" content="{_a(publication.tagline)}">\n'
        f'<meta property="og:site_name" content="{_a(publication.name)}">\n'
        f'<link rel="canonical" href="{_a(site)}/">\n'
    )
    year = _utc(_newest(articles, datetime(2026, 1, 1, tzinfo=UTC))).year
    return (
        _head(publication, site, f"{publication.name} | {publication.tagline}", meta)
        + "<body>\n"
        + _masthead(publication, site)
        + "<main>\n"
        + "".join(sections)
        + _newsletter_promo(corpus, publication, site)
        + "</main>\n"
        + _notice(corpus, publication)
        + _footer(publication, site, year)
        + "</body>\n</html>\n"
    )


def render_index_page(corpus: DemoCorpus, base_url: str) -> str:
    """The server's root: a plain list of the publications it serves."""
    items = "".join(
        f'<li><a href="{_a(base_url)}/{_a(p.id)}/">{escape(p.name)}</a> — '
        f"{escape(p.tagline)}</li>\n"
        for p in corpus.publications
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>newsdesk demo publications</title>\n</head>\n<body>\n"
        f"<h1>newsdesk demo publications</h1>\n<ul>\n{items}</ul>\n</body>\n</html>\n"
    )


def render_image(article: DemoArticle) -> str:
    """A small SVG placeholder standing in for the article's lead image."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" '
        'viewBox="0 0 1200 630"><rect width="1200" height="630" fill="#24466b"/>'
        f'<text x="60" y="330" font-size="40" fill="#fff">{xml_escape(article.section)}</text>'
        "</svg>\n"
    )


def render_robots() -> str:
    return "User-agent: *\nAllow: /\n"


# ------------------------------------------------------------------------ feeds and sitemap


def _feed_item(publication: Publication, article: DemoArticle, site: str) -> FeedItem:
    # RSS readers see the guid as written; Atom ids must be IRIs.
    key = f"{publication.id}:{article.slug}"
    return FeedItem(
        id=f"urn:newsdesk-demo:{key}" if publication.feed == "atom" else key,
        title=article.title,
        link=article_url(site, article),
        summary=article.summary,
        content_html=_body_html(article) if publication.full_content else None,
        published=_utc(article.published).replace(microsecond=0),
        authors=(article.author,),
        categories=(article.section,),
        image=image_url(site, article),
    )


def render_publication_feed(corpus: DemoCorpus, publication: Publication, site: str) -> bytes:
    """The publication's feed in its format (publications.toml ``feed``), written by the one
    feed writer the site uses too (``newsdesk.formats.feeds``)."""
    meta = FeedMeta(
        title=publication.name,
        link=f"{site}/",
        feed_url=feed_url(site, publication),
        description=publication.tagline,
        language="en",
    )
    articles = corpus.articles_of(publication.id)
    kind: FeedKind = "atom" if publication.feed == "atom" else "rss"
    return write_feed(kind, meta, [_feed_item(publication, a, site) for a in articles])


def render_news_sitemap(corpus: DemoCorpus, publication: Publication, site: str) -> bytes:
    """A Google News sitemap of every article (real ones keep two days; the demo keeps all)."""
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for article in corpus.articles_of(publication.id):
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = article_url(site, article)
        news = ET.SubElement(url, f"{{{NEWS_NS}}}news")
        source = ET.SubElement(news, f"{{{NEWS_NS}}}publication")
        ET.SubElement(source, f"{{{NEWS_NS}}}name").text = publication.name
        ET.SubElement(source, f"{{{NEWS_NS}}}language").text = "en"
        ET.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = _iso(article.published)
        ET.SubElement(news, f"{{{NEWS_NS}}}title").text = article.title
    ET.indent(urlset, space="  ")
    body: bytes = ET.tostring(urlset, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"
