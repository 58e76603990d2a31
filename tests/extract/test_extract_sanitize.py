"""The sanitized body HTML is safe to render and its links work out of context."""

from __future__ import annotations

from newsdesk.extract import sanitize_html

BASE = "https://news.example/world/2024/story.html"


def test_scripts_styles_frames_and_handlers_are_removed() -> None:
    dirty = (
        '<p onclick="steal()" style="color:red">Hello <b onmouseover="x()">world</b></p>'
        "<script>alert(1)</script><style>p{display:none}</style>"
        '<iframe src="https://evil.example/"></iframe><img src="a.png" onerror="alert(2)">'
        '<svg onload="alert(3)"><circle/></svg><object data="x.swf"></object>'
    )
    clean = sanitize_html(dirty, base_url=BASE)
    for forbidden in (
        "script",
        "alert",
        "style",
        "iframe",
        "onclick",
        "onerror",
        "onload",
        "onmouseover",
        "svg",
        "object",
        "display:none",
    ):
        assert forbidden not in clean
    assert "<p>Hello <b>world</b></p>" in clean


def test_javascript_and_data_urls_are_dropped_but_the_text_stays() -> None:
    clean = sanitize_html(
        '<a href="javascript:alert(1)">one</a> <a href=" JavaScript:alert(1)">two</a> '
        '<a href="data:text/html;base64,PHNjcmlwdD4=">three</a>',
        base_url=BASE,
    )
    assert "javascript" not in clean.lower()
    assert "data:" not in clean
    assert "one" in clean and "two" in clean and "three" in clean


def test_relative_links_become_absolute_and_links_get_safe_rel() -> None:
    clean = sanitize_html(
        '<p><a href="/markets/oil">oil</a> <a href="next.html" rel="opener" target="_blank">'
        'next</a> <img src="//cdn.example/i.jpg" alt="pic"> '
        '<a href="mailto:desk@news.example">mail</a></p>',
        base_url=BASE,
    )
    assert 'href="https://news.example/markets/oil"' in clean
    assert 'href="https://news.example/world/2024/next.html"' in clean
    assert 'src="https://cdn.example/i.jpg"' in clean
    assert 'href="mailto:desk@news.example"' in clean
    assert clean.count('rel="noopener nofollow ugc"') == 3
    assert 'opener"' not in clean.replace('noopener nofollow ugc"', "")
    assert "target" not in clean


def test_tables_lists_and_headings_survive() -> None:
    html = (
        "<h2>Output</h2><ul><li>one</li></ul>"
        '<table><tr><th scope="col">Year</th></tr><tr><td colspan="2">2024</td></tr></table>'
    )
    clean = sanitize_html(html, base_url=None)
    assert "<h2>Output</h2>" in clean and "<li>one</li>" in clean
    assert '<th scope="col">Year</th>' in clean and '<td colspan="2">2024</td>' in clean
