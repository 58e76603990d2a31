"""House pieces into the store: Markdown rendered safely, attributed to the site's own source,
stored with their visibility and break, and updated in place when imported again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsdesk.dedup import DedupOptions
from newsdesk.domain.access import Visibility
from newsdesk.domain.house import HOUSE_SOURCE_URL
from newsdesk.pipeline.house import (
    HouseWriter,
    block_lines,
    house_files,
    import_house_files,
    prose_only,
    render_piece,
    source_text_of,
)
from newsdesk.pipeline.summary import IngestSummary
from newsdesk.sources.house import HousePieceError, parse_house_piece
from newsdesk.store import SqlStore

HOSTILE = """Intro with [a bad link](javascript:alert(1)) and [a good one](https://ok.example/x).

<script>alert("raw")</script>

<img src=x onerror=alert(2)>

![pixel](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(4)>

[vb](VBScript:msgbox) [mail](mailto:desk@example.com) [rel](/articles/1)
"""


def test_hostile_markdown_renders_inert() -> None:
    rendered = render_piece(HOSTILE)
    html = rendered.html
    assert "<script" not in html and "<img" not in html  # raw HTML never becomes markup
    # refused links stay as their literal text; no address with a script scheme remains
    assert not re.search(r'(href|src)="\s*(javascript|vbscript|data):', html, re.IGNORECASE)
    assert "[a bad link](javascript:alert(1))" in html
    assert '<a href="https://ok.example/x" rel="noopener nofollow ugc">a good one</a>' in html
    assert 'href="mailto:desk@example.com"' in html and 'href="/articles/1"' in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, not run
    assert rendered.preview_paragraphs is None


def test_the_marker_becomes_a_paragraph_count() -> None:
    rendered = render_piece("# Heading\n\nOne.\n\n- a\n- b\n\n<!-- more -->\n\nSecret.\n")
    assert rendered.text.split("\n\n") == ["Heading", "One.", "a", "b", "Secret."]
    assert rendered.preview_paragraphs == 4
    assert "<!--" not in rendered.html and "<h1>Heading</h1>" in rendered.html
    assert render_piece("<!-- more -->\n\nAll after.").preview_paragraphs == 0


def test_deeply_nested_markdown_is_bounded() -> None:
    """markdown-it stops nesting at its limit; the rest stays text, and nothing fails."""
    rendered = render_piece(">" * 50_000 + " deep\n\n" + "[" * 50_000)
    assert rendered.html.count("<blockquote>") <= 100
    assert rendered.text.endswith("[" * 100)


def writer(store: SqlStore, site_name: str = "Energy Desk") -> HouseWriter:
    return HouseWriter(
        store,
        site_name=site_name,
        sector_ids=["rare-earths-commodities", "mining-metals"],
        dedup_options=DedupOptions(),
    )


PIECE = b"""---
title: The refinery question
sectors: [rare-earths-commodities]
---
Open paragraph.

Second paragraph.

<!-- more -->

Only for Pro: Zyxwv Mining will invest $321.09 million.
"""


def test_pieces_are_stored_under_the_house_source_and_updated_in_place(store: SqlStore) -> None:
    summary = IngestSummary()
    piece = parse_house_piece(PIECE, name="refinery.md")
    first = writer(store).write(piece, summary, default_visibility=Visibility.PRO)
    article = store.get_article(first)
    assert article is not None and article.url == "house:refinery"
    assert article.visibility is Visibility.PRO and article.preview_paragraphs == 2
    source = store.get_source_by_url(HOUSE_SOURCE_URL)
    assert source is not None and article.source_id == source.id
    assert source.name == "Energy Desk" and source.rights == "full" and not source.enabled
    assert store.editor_corrections([first]) == {first: ("rare-earths-commodities",)}
    assert source_text_of(article.extra) == {
        "format": "markdown",
        "body": piece.body,
        "slug": "refinery",
        "sectors": ["rare-earths-commodities"],
        "visibility": None,
    }
    # The same text again, now members-only and without its marker: updated, not duplicated.
    again = parse_house_piece(
        PIECE.replace(b"---\nOpen", b"visibility: members\n---\nOpen").replace(
            b"<!-- more -->\n\n", b""
        ),
        name="refinery.md",
    )
    second = writer(store, site_name="Renamed Desk").write(again, IngestSummary())
    assert second == first and store.count_articles() == 1
    updated = store.get_article(first)
    assert updated is not None and updated.visibility is Visibility.MEMBERS
    assert updated.preview_paragraphs is None
    assert store.get_source_by_url(HOUSE_SOURCE_URL).name == "Renamed Desk"  # type: ignore[union-attr]


def test_unknown_sectors_and_bad_files_are_reported_and_the_rest_imported(
    store: SqlStore, tmp_path: Path
) -> None:
    (tmp_path / "a-good.md").write_bytes(PIECE)
    (tmp_path / "b-sectors.md").write_bytes(PIECE.replace(b"rare-earths-commodities", b"nope"))
    (tmp_path / "c-broken.md").write_bytes(b"no front matter")
    (tmp_path / "d-page.html").write_bytes(b"<html><body><p>A page.</p></body></html>")
    (tmp_path / "e-piece.html").write_bytes(b"---\ntitle: HTML piece\n---\n<p>Text.</p>")
    files = house_files(tmp_path)
    assert [f.name for f in files] == ["a-good.md", "b-sectors.md", "c-broken.md", "e-piece.html"]
    summary = import_house_files(files, writer(store), visibility=Visibility.PRO)
    assert summary.new == 2 and summary.failed == 2
    assert any("unknown sectors: nope" in error for error in summary.errors)
    assert any(error.startswith("c-broken.md: must start") for error in summary.errors)
    with pytest.raises(HousePieceError, match="unknown sectors"):
        writer(store).write(
            parse_house_piece(PIECE.replace(b"rare-earths", b"x"), name="x.md"), summary
        )


def test_summaries_of_two_imports_add_up() -> None:
    first = IngestSummary(new=1, errors=["a"], changed_ids=[1], cpu_seconds={"main: x": 0.5})
    second = IngestSummary(new=2, failed=1, errors=["b"], changed_ids=[2, 3])
    second.cpu_seconds.update({"main: x": 0.25, "extract: y": 1.0})
    total = IngestSummary.combined([first, second])
    assert (total.new, total.failed, total.errors, total.changed_ids) == (
        3,
        1,
        ["a", "b"],
        [1, 2, 3],
    )
    assert total.cpu_seconds == {"main: x": 0.75, "extract: y": 1.0}
    assert first.cpu_seconds == {"main: x": 0.5}  # the parts are left as they were


@pytest.mark.parametrize(
    "html",
    [
        "<p>Lead.</p><table><tr><td>Cellword</td></tr></table><p>Tail.</p>",
        # a table in a cell of a table (an HTML piece), and tags in any case
        "<p>Lead.</p><TABLE><tr><td><table><tr><td>Cellword</td></tr></table></td>"
        "<td>Cellword</td></tr></TABLE><p>Tail.</p>",
        "<p>Lead.</p><pre><code>Cellword\nCellword</code></pre><p>Tail.</p>",
        "<p>Lead.</p><table><tr><td>Cellword</td></tr>",  # never closed: the rest is the table's
    ],
)
def test_the_plain_text_holds_no_table_or_code_text(html: str) -> None:
    text = prose_only(html)
    assert "Cellword" not in text and text.startswith("<p>Lead.</p><p>[")
    assert text.count("in the full analysis]") == 1


def test_a_table_is_one_line_in_the_prose_and_its_rows_follow_all_of_the_prose() -> None:
    """Search and enrichment read a table's words (they were replaced by the line alone);
    a preview, the text's first paragraphs up to the break, never reaches them."""
    body = (
        "Lead.\n\n| A | B |\n|---|---|\n| Cellword | 12.5 |\n\n<!-- more -->\n\n"
        "| C |\n|---|\n| Hidden &amp; <b>bold</b> |\n\nLast.\n\n```\nx = 1\n\n  y  =  2\n```\n"
    )
    rendered = render_piece(body)
    assert rendered.text.split("\n\n") == [
        "Lead.",
        "[Table in the full analysis]",
        "[Table in the full analysis]",
        "Last.",
        "[Code in the full analysis]",
        "A | B",
        "Cellword | 12.5",
        "C",
        "Hidden & <b>bold</b>",  # raw HTML is off: the reader sees the tags as text
        "x = 1",
        "y = 2",
    ]
    assert rendered.preview_paragraphs == 2
    assert "<td>Cellword</td>" in rendered.html and "Hidden" in rendered.html


@pytest.mark.parametrize(("default", "expected"), [(2, 2), (3, 3), (9, 3), (0, 0)])
def test_a_piece_with_a_table_and_no_break_gets_a_break_before_the_tables_rows(
    default: int, expected: int
) -> None:
    """Without a marker the site's default applies when reading, and a default longer than
    the prose (three paragraphs here) would show the rows after it: the break is stored."""
    rendered = render_piece(
        "One.\n\n| Secretcell |\n|---|\n| 7 |\n\nTwo.\n", default_preview=default
    )
    assert rendered.text.split("\n\n")[3:] == ["Secretcell", "7"]
    assert rendered.preview_paragraphs == expected
    assert render_piece("One.\n\nTwo.\n", default_preview=default).preview_paragraphs is None


def test_block_lines_of_odd_tables() -> None:
    assert block_lines("<table><tr><td></td><td></td></tr></table>") == []
    assert block_lines("<TABLE><TR><TH>a</TH><TD> b  c </TD></TR>") == ["a | b c"]
    nested = "<table><tr><td>out<table><tr><td>in</td></tr></table></td></tr></table>"
    assert block_lines(nested) == ["out", "in"]
    assert block_lines("<pre><code>&lt;script&gt;\n\n</code></pre>") == ["<script>"]
