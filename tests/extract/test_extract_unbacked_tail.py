"""The body's trailing blocks that the page's densest container does not hold leave
(`density.unbacked_tail`, ExtractOptions.unbacked_tail_min_cover); blocks inside the body,
bodies the container holds little of, and a body that would lose every block stay."""

from __future__ import annotations

from lxml.html import fromstring

from article_paragraphs import PARAGRAPHS
from newsdesk.extract import ExtractOptions, extract_article
from newsdesk.extract.density import density_text, unbacked_tail

URL = "https://example.org/news/harbour"
BOX = [
    "The museum by the old lighthouse opens a new wing for visitors in the spring.",
    "Tickets for the guided tours of the lighthouse are sold at the harbour office every day.",
]


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def page(after: list[str]) -> bytes:
    return (
        "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
        f"<div>{paragraphs(PARAGRAPHS)}</div><div>{paragraphs(after)}</div>"
        "</article></body></html>"
    ).encode()


def lines(html: bytes, **options: float | None) -> list[str]:
    return extract_article(html, url=URL, options=ExtractOptions(**options)).text.splitlines()


def test_a_trailing_box_outside_the_densest_container_leaves_and_the_switch_keeps_it() -> None:
    assert lines(page(BOX)) == PARAGRAPHS
    assert lines(page(BOX), unbacked_tail_min_cover=None) == PARAGRAPHS + BOX


def test_density_text_reads_the_story_container_only() -> None:
    text = density_text(fromstring(page(BOX)))
    assert text.splitlines() == PARAGRAPHS


def test_only_the_trailing_run_goes() -> None:
    opinion = "\n".join(PARAGRAPHS)
    blocks = [*PARAGRAPHS, *BOX]
    assert unbacked_tail(blocks, opinion, min_cover=0.8) == (6, 7)
    inside = [*PARAGRAPHS[:3], BOX[0], *PARAGRAPHS[3:]]
    assert unbacked_tail(inside, opinion, min_cover=0.8) == ()


def test_an_opinion_that_holds_little_of_the_body_says_nothing() -> None:
    opinion = "\n".join(PARAGRAPHS[:3])
    assert unbacked_tail([*PARAGRAPHS, *BOX], opinion, min_cover=0.8) == ()
    assert unbacked_tail([*PARAGRAPHS, *BOX], opinion, min_cover=0.4) == (3, 4, 5, 6, 7)


def test_nothing_goes_when_every_block_would() -> None:
    assert unbacked_tail(BOX, "\n".join(PARAGRAPHS), min_cover=0.0) == ()
    assert unbacked_tail(BOX, "", min_cover=0.0) == ()


def test_a_short_block_counts_as_held_when_its_words_stand_in_order() -> None:
    opinion = "\n".join([*PARAGRAPHS, "More below"])
    assert unbacked_tail([*PARAGRAPHS, "More below"], opinion, min_cover=0.8) == ()
    assert unbacked_tail([*PARAGRAPHS, "Below more"], opinion, min_cover=0.8) == (6,)


def test_a_last_block_inside_a_longer_word_of_the_opinion_is_not_taken_as_held() -> None:
    # The quick check compares whole words: "Quay" stands in the opinion only inside
    # "Quayside", and "Readers' club" only inside "Readers' clubhouse"; both still leave.
    opinion = "\n".join([*PARAGRAPHS, "Quayside", "Readers' clubhouse"])
    assert unbacked_tail([*PARAGRAPHS, "Quay"], opinion, min_cover=0.8) == (6,)
    assert unbacked_tail([*PARAGRAPHS, "Readers' club"], opinion, min_cover=0.8) == (6,)
    spaced = "\n".join([*PARAGRAPHS, "Readers'  club  news"])
    assert unbacked_tail([*PARAGRAPHS, "Readers' club\nnews"], spaced, min_cover=0.8) == ()


PLAN = [("400 m", "easy warm-up, mixed strokes", ""), ("8 x 50 m", "kick with fins", "15 s")]
PLAN += [("1,000 m", "pyramid up to 200 m and down", "20 s")]
PLAN += [("50 m", "easy", ""), ("300 m", "easy swim-down", "")]


def plan_table() -> str:
    rows = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in PLAN)
    return f"<table><tbody>{rows}</tbody></table>"


def table_page(*, inside: bool) -> bytes:
    table = plan_table()
    return (
        "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
        f"<div>{paragraphs(PARAGRAPHS)}{table if inside else ''}</div>"
        f"<div>{'' if inside else table}</div></article></body></html>"
    ).encode()


def test_a_table_is_judged_whole_so_its_short_last_rows_stay() -> None:
    # The density reading reads each cell as a line; a row judged alone ("50 m easy") holds
    # no 3-gram of it, so the story's table used to lose its last rows.
    text = "\n".join(lines(table_page(inside=True)))
    assert "300 m" in text and "50 m" in text.splitlines()[-2]
    assert all(cells[1] in text for cells in PLAN)


def test_a_trailing_table_outside_the_densest_container_still_leaves_whole() -> None:
    text = "\n".join(lines(table_page(inside=False)))
    assert text.splitlines() == PARAGRAPHS
    assert not any(cells[0] in text for cells in PLAN)
