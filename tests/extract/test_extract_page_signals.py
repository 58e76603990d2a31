"""Page-level precision signals: further stories on one page, recall-guard wins that only add
a list of links."""

from __future__ import annotations

import pytest
from lxml import etree

import newsdesk.extract.article as article_module
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.candidates import Candidate, CandidateName, link_texts
from newsdesk.extract.decision import adds_link_listing
from newsdesk.extract.page import parse_page
from newsdesk.extract.stories import single_story, story_units

FIRST = [
    f"The harbour board voted on Tuesday to fund the new ferry pier, item {n} of the plan, "
    f"after residents of the island asked for a second daily crossing in winter months."
    for n in range(5)
]
SECOND = [
    f"A court in the capital fined the bus company over delays on route {n}, saying that "
    f"the operator had ignored its own timetable for most of the previous summer season."
    for n in range(5)
]


def _story(headline: str, paragraphs: list[str]) -> str:
    return (
        f"<article><h1>{headline}</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + ("</article>")
    )


def _page(title: str, *stories: str) -> str:
    return (
        f'<html><head><title>{title} | Island Daily</title><meta property="og:title" '
        f'content="{title}"></head><body><nav><a href="/">Home</a></nav>'
        f'<div class="entry-content">{"".join(stories)}</div></body></html>'
    )


ENDLESS = _page(
    "Harbour board funds the ferry pier",
    _story("Harbour board funds the ferry pier", FIRST),
    _story("Bus company fined over delays", SECOND),
)


def test_the_next_story_on_an_endless_page_is_left_out() -> None:
    article = extract_article(ENDLESS, url=None, options=ExtractOptions())
    assert all(paragraph in article.text for paragraph in FIRST)
    assert not any(paragraph in article.text for paragraph in SECOND)
    assert "route 0" not in article.html
    assert article.title == "Harbour board funds the ferry pier"


def test_the_page_is_about_the_story_its_title_names_wherever_it_sits() -> None:
    page = _page(
        "Bus company fined over delays",
        _story("Harbour board funds the ferry pier", FIRST),
        _story("Bus company fined over delays", SECOND),
    )
    article = extract_article(page, url=None, options=ExtractOptions())
    assert all(paragraph in article.text for paragraph in SECOND)
    assert not any(paragraph in article.text for paragraph in FIRST)


@pytest.mark.parametrize(
    "page",
    [
        # the title names neither story
        _page(
            "Island news of the week",
            _story("Harbour board funds the ferry pier", FIRST),
            _story("Bus company fined over delays", SECOND),
        ),
        # both stories carry the title's headline
        _page(
            "Harbour board funds the ferry pier",
            _story("Harbour board funds the ferry pier", FIRST),
            _story("Harbour board funds the ferry pier", SECOND),
        ),
        # one story only
        _page(
            "Harbour board funds the ferry pier",
            _story("Harbour board funds the ferry pier", FIRST),
        ),
    ],
)
def test_pages_whose_story_cannot_be_told_apart_are_left_whole(page: str) -> None:
    tree = parse_page(page, max_html_bytes=1_000_000)
    assert single_story(tree) is None


def test_the_parsed_page_itself_is_not_changed() -> None:
    tree = parse_page(ENDLESS, max_html_bytes=1_000_000)
    before = etree.tostring(tree)
    story = single_story(tree)
    assert story is not None and story is not tree
    assert etree.tostring(tree) == before
    assert len(story_units(tree)) == 2
    assert len(story_units(story)) == 1
    assert SECOND[0] not in "".join(story.itertext())


def test_a_story_nested_in_the_page_story_stays() -> None:
    inner = _story("Pier design shown at the town hall meeting", SECOND[:1])
    outer = (
        "<article><h1>Harbour board funds the ferry pier</h1>"
        + "".join(f"<p>{p}</p>" for p in FIRST)
        + inner
        + "</article>"
    )
    page = _page("Harbour board funds the ferry pier", outer)
    tree = parse_page(page, max_html_bytes=1_000_000)
    assert single_story(tree) is None


TEASERS = [
    (f"Ferry timetable changes for line {n}", f"/news/ferry-{n}", f"Line {n} will run later.")
    for n in range(8)
]


def test_added_link_headlines_make_a_listing() -> None:
    primary = "\n".join(FIRST)
    listing = primary + "\n" + "\n".join(f"{title}\n{teaser}" for title, _, teaser in TEASERS)
    links = frozenset(title for title, _, _ in TEASERS)
    assert adds_link_listing(primary, listing, links)
    # the same lines, not links on the page: article text the precision pass lost
    assert not adds_link_listing(primary, listing, frozenset())
    # a few linked lines among many added paragraphs: still the article
    longer = primary + "\n" + "\n".join(SECOND * 8) + "\n" + "\n".join(t for t, _, _ in TEASERS)
    assert not adds_link_listing(primary, longer, links)


def test_link_texts_include_titles_of_empty_links() -> None:
    tree = parse_page(
        '<html><body><a href="/a" title="Ferry timetable changes for line 1"></a>'
        '<a href="/b">Bus company fined over delays</a><a href="/c">Home</a><p>x</p></body></html>',
        max_html_bytes=1_000_000,
    )
    assert link_texts(tree) == {
        "Ferry timetable changes for line 1",
        "Bus company fined over delays",
    }


LISTING_PAGE = (
    "<html><head><title>Pier</title></head><body><article><h1>Pier</h1>"
    + "".join(f"<p>{p}</p>" for p in FIRST)
    + "".join(
        f'<div class="teaser"><a href="{href}" title="{title}"></a><div class="title">{title}'
        f"</div><p>{teaser} The timetable for the island changes again from the first of next "
        f"month, the operator said.</p></div>"
        for title, href, teaser in TEASERS
    )
    + "</article></body></html>"
)


def _short_precision_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The precision pass keeps the article and drops the teaser list; the balanced pass keeps
    both (as trafilatura does on some pages), and the precision text is short enough next to
    the page's paragraphs for the recall guard to ask the balanced pass."""
    real = article_module.make_candidate

    def fake(tree: object, name: CandidateName, **kwargs: object) -> Candidate | None:
        candidate = real(tree, name, **kwargs)  # type: ignore[arg-type]
        if candidate is not None and name is CandidateName.PRECISION:
            for block in list(candidate.body)[1 + len(FIRST) :]:  # the headline and FIRST
                candidate.body.remove(block)
        return candidate

    monkeypatch.setattr(article_module, "make_candidate", fake)


def test_a_recall_guard_win_that_only_adds_a_listing_keeps_the_precision_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _short_precision_pass(monkeypatch)
    options = ExtractOptions(recall_guard_share=0.9)
    article = extract_article(LISTING_PAGE, url=None, options=options)
    assert article.extractor == "trafilatura-precision"
    assert all(paragraph in article.text for paragraph in FIRST)
    assert not any(title in article.text for title, _, _ in TEASERS)


def test_a_recall_guard_win_that_adds_paragraphs_still_takes_the_balanced_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _short_precision_pass(monkeypatch)
    page = LISTING_PAGE.replace('<a href="', '<span data-href="').replace("</a>", "</span>")
    article = extract_article(page, url=None, options=ExtractOptions(recall_guard_share=0.9))
    assert article.extractor == "trafilatura"
    assert TEASERS[0][0] in article.text


def test_a_page_of_many_stories_keeps_the_one_its_title_names() -> None:
    stories = [_story(f"Ferry timetable changes for line {n}", SECOND) for n in range(300)]
    stories.insert(150, _story("Harbour board funds the ferry pier", FIRST))
    article = extract_article(
        _page("Harbour board funds the ferry pier", *stories), url=None, options=ExtractOptions()
    )
    assert all(paragraph in article.text for paragraph in FIRST)
    assert not any(paragraph in article.text for paragraph in SECOND)


def test_only_the_head_title_names_the_story_not_an_svg_title() -> None:
    icon = "<svg><title>Bus company fined over delays</title></svg>"
    page = ENDLESS.replace("<body>", f"<body>{icon}")
    story = single_story(parse_page(page, max_html_bytes=1_000_000))
    assert story is not None
    assert FIRST[0] in "".join(story.itertext())
    assert SECOND[0] not in "".join(story.itertext())
