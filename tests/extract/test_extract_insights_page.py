"""The demo's kind of page: one article among nav, promos, a sign-up box, teasers, notices."""

from __future__ import annotations

import html

import pytest

from newsdesk.extract import ExtractOptions, extract_article
from research_data import seed_page_text


def _paragraphs(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_parts() -> dict[str, list[str]]:
    text = seed_page_text()
    article, rest = text.split("Elevate your business", 1)
    promo, rest = ("Elevate your business" + rest).split("Sign up for Top Insights Today", 1)
    signup, rest = ("Sign up for Top Insights Today" + rest).split("Read more insights", 1)
    teasers, notice = rest.split("Stay informed", 1)
    return {
        "article": _paragraphs(article),
        "promo": _paragraphs(promo),
        "signup": _paragraphs(signup),
        "teasers": _paragraphs(teasers),
        "notice": _paragraphs(notice),
    }


def build_page(parts: dict[str, list[str]]) -> str:
    title, *body = parts["article"]
    esc = html.escape
    article = "\n".join(f"<p>{esc(p)}</p>" for p in body)
    promo = "\n".join(f"<p>{esc(p)}</p>" for p in parts["promo"])
    signup_title, *signup_body = parts["signup"]
    signup = "\n".join(f"<p>{esc(p)}</p>" for p in signup_body)
    teaser_lines = parts["teasers"]
    teasers = []
    # The seed lists three teasers, each a headline followed by two paragraphs.
    for start in range(0, len(teaser_lines), 3):
        headline, *summary = teaser_lines[start : start + 3]
        slug = "-".join(headline.lower().split()[:4])
        teasers.append(
            f'<div class="post-item"><h3><a href="/insights/{esc(slug)}/">{esc(headline)}</a>'
            "</h3>" + "".join(f"<p>{esc(p)}</p>" for p in summary) + "</div>"
        )
    notice = esc(parts["notice"][0].removeprefix("error: "))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(title)} | Top Insights Today</title>
<meta property="og:site_name" content="Top Insights Today">
<meta property="og:image" content="/media/lofdal.jpg">
<meta property="article:published_time" content="2023-08-17T09:30:00+00:00">
<meta name="author" content="Insights Desk">
<link rel="canonical" href="https://insights.example/rare-earths/japan-namibia-deal/">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/oil-gas/">Oil &amp; Gas</a></li>
<li><a href="/rare-earths/">Rare Earths &amp; Commodities</a></li>
<li><a href="/mining/">Mining &amp; Metals</a></li></ul></nav></header>
<main><div class="content-wrap">
<article class="post"><h1 class="entry-title">{esc(title)}</h1>
<div class="entry-meta">by Insights Desk · August 17, 2023</div>
<div class="entry-content">
{article}
<div class="pro-box"><h4>{esc(parts["promo"][0])}</h4>{promo}<a href="/pro/">Learn more</a></div>
</div></article>
<div class="newsletter-signup"><h3>{esc(signup_title)}</h3>{signup}
<form action="/subscribe"><input type="email" name="email"><button>Subscribe</button></form></div>
<section class="more-posts"><h2>Read more insights</h2>{"".join(teasers)}</section>
</div></main>
<footer><p>Stay informed</p><p>© 2025 Top Insights Today</p></footer>
<div id="wpcp-error-message" class="msgmsg-box-wpcp hideme"><span>error: </span>{notice}</div>
</body></html>"""


def test_the_article_is_kept_whole_and_nothing_else(seed_parts: dict[str, list[str]]) -> None:
    page = build_page(seed_parts)
    article = extract_article(
        page,
        url="https://insights.example/rare-earths/japan-namibia-deal/",
        options=ExtractOptions(),
    )
    text = " ".join(article.text.split())
    for paragraph in seed_parts["article"][1:]:
        assert paragraph in text
    for part in ("promo", "signup", "teasers", "notice"):
        for line in seed_parts[part]:
            assert line not in text, f"{part} leaked: {line[:60]}"
    assert text.endswith(seed_parts["article"][-1]), "something follows the article"
    assert "Content is protected" not in text
    assert "Read more insights" not in text
    assert article.title == "Japan, Namibia sign rare earths exploration deal"
    assert article.site_name == "Top Insights Today"
    assert article.image == "https://insights.example/media/lofdal.jpg"
    assert article.published is not None and article.published.date().isoformat() == "2023-08-17"
    assert article.language == "en"
    assert "JOGMEC" in article.html and "<script" not in article.html
    assert "Sign up for Top Insights Today" not in article.html
