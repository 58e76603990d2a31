"""A short primary text that is the page's whole <article> is trusted without second opinions;
one that is not still asks the other extractors."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

import newsdesk.extract.article as article_module
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.candidates import CandidateName, declared_article_text
from newsdesk.extract.decision import holds_declared_article

BRIEF = [
    "The port authority approved a second container terminal on Tuesday after two years of talks.",
    "Construction starts in spring and will employ about 1,200 people at its peak.",
]


def _page(article: str, outside: str = "") -> str:
    return (
        "<html><head><title>Port approves terminal</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/ports">Ports</a></nav>'
        f"<main>{article}{outside}</main>"
        "<footer><p>© Harbour News. All rights reserved.</p></footer></body></html>"
    )


def _brief_article() -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in BRIEF)
    return f"<article><h1>Port approves terminal</h1>{paragraphs}</article>"


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[CandidateName]:
    """The extractor passes each extraction runs, in order."""
    asked: list[CandidateName] = []
    real = article_module.make_candidate

    def recording(tree: object, name: CandidateName, **kwargs: object) -> object:
        asked.append(name)
        return real(tree, name, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(article_module, "make_candidate", recording)
    return asked


def test_a_short_story_that_is_the_whole_article_needs_no_second_opinion(
    passes: list[CandidateName],
) -> None:
    article = extract_article(_page(_brief_article()), url=None, options=ExtractOptions())
    assert passes == [CandidateName.PRECISION]
    assert article.text == "\n".join(BRIEF)


def test_without_the_declared_article_rule_the_same_page_asks_the_others(
    passes: list[CandidateName],
) -> None:
    options = ExtractOptions(declared_article_share=None)
    article = extract_article(_page(_brief_article()), url=None, options=options)
    assert passes[0] is CandidateName.PRECISION and len(passes) == 4
    assert article.text == "\n".join(BRIEF)


def test_text_outside_the_article_still_asks_the_others(passes: list[CandidateName]) -> None:
    # The <article> holds only a teaser; the story's text stands after it, outside.
    teaser = "<article><h1>Port approves terminal</h1><p>Two years of talks end.</p></article>"
    story = "".join(f"<p>{text}</p>" for text in BRIEF)
    extract_article(
        _page(teaser, f"<div class='story'>{story}</div>"), url=None, options=ExtractOptions()
    )
    assert len(passes) > 1


def test_two_articles_on_a_page_ask_the_others(passes: list[CandidateName]) -> None:
    other = "<article><h2>Ferry cancelled</h2><p>The island ferry stops on Friday.</p></article>"
    extract_article(_page(_brief_article(), other), url=None, options=ExtractOptions())
    assert len(passes) > 1


def test_declared_article_text_needs_exactly_one_article() -> None:
    assert declared_article_text(fromstring("<div><p>No article here.</p></div>")) is None
    two = fromstring("<div><article><p>One.</p></article><article><p>Two.</p></article></div>")
    assert declared_article_text(two) is None
    one = fromstring("<div><article><h1>Head</h1><p>One  two.</p><p>Three.</p></article></div>")
    assert declared_article_text(one) == ("HeadOne two.Three.", len("One two.") + len("Three."))


@pytest.mark.parametrize(
    ("primary", "expected"),
    [
        ("One two.\nThree.", True),  # all of the article's paragraphs
        ("One two.", True),  # 8 of 14 paragraph characters is over half
        ("Three.", False),  # under the share
        ("One two.\nSubscribe now.", False),  # a line from outside the article
        ("", False),
    ],
)
def test_holds_declared_article(primary: str, expected: bool) -> None:
    article_text, paragraph_chars = "HeadOne two.Three.", 14
    assert holds_declared_article(primary, article_text, paragraph_chars, share=0.5) is expected


def test_an_article_without_paragraphs_is_never_held() -> None:
    assert not holds_declared_article("Head", "Head", 0, share=0.5)
