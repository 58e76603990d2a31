"""The blind-spot audit (benchmarks/extraction_blind_spot.py): where output 5-grams sit in the
dev truth: inside a `with` snippet, article only by interpolation or margin, unknown, furniture."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from research_data import load_benchmark

# The audit imports `extraction` by name, as it does when run from benchmarks/.
extraction = sys.modules.setdefault("extraction", load_benchmark("extraction"))
blind_spot = load_benchmark("extraction_blind_spot")

WITH_A = "the council approved the new harbour budget on monday"
MIDDLE = "members argued for three hours about the ferry timetable and its costs"
WITH_B = "the mayor said the works would start in the spring next year"
TAIL = "residents can read the full minutes at the town hall library desk"
NAV = "home news sport weather contact imprint privacy sitemap login"


def page() -> Any:
    html = (
        f"<html><body><nav><p>{NAV}</p></nav><article><p>{WITH_A}</p><p>{MIDDLE}</p>"
        f"<p>{WITH_B}</p><p>{TAIL}</p></article><footer><p>{NAV} footer</p></footer>"
        "</body></html>"
    )
    return extraction.Page(
        "https://example.org/a", html.encode(), (WITH_A, WITH_B), (f"{NAV} footer",)
    )


def classes_of(text: str) -> Counter[str]:
    truth = extraction.page_truth(page())
    assert truth is not None
    return Counter(kind for kind, _ in blind_spot.gram_classes(text, truth))


def test_truth_keeps_the_located_snippets_in_page_order() -> None:
    truth = extraction.page_truth(page())
    assert truth is not None
    starts = [start for start, _ in truth.spans]
    assert len(truth.spans) == 2 and starts == sorted(starts)
    assert truth.words[truth.spans[0][0] : truth.spans[0][1]] == tuple(WITH_A.split())


def test_each_part_of_the_page_gets_its_class() -> None:
    assert set(classes_of(WITH_A)) == {"with"}
    assert set(classes_of(MIDDLE)) == {"interp"}
    assert set(classes_of(TAIL)) == {"margin"}
    assert set(classes_of(f"{NAV} footer")) == {"furniture"}
    assert set(classes_of("words that appear nowhere on this page at all")) == {"unplaced"}


def test_a_gram_across_a_snippet_edge_is_interpolated_not_with() -> None:
    found = classes_of(f"{WITH_A}\n{MIDDLE}")
    assert found["with"] == len(WITH_A.split()) - 4
    assert found["interp"] == len(MIDDLE.split())


def test_empty_text_has_no_grams_and_no_lines() -> None:
    truth = extraction.page_truth(page())
    assert blind_spot.gram_classes("", truth) == []
    assert blind_spot.output_lines(0, "", truth)[0].grams == 0


def test_lines_own_the_grams_that_start_on_them() -> None:
    truth = extraction.page_truth(page())
    lines = blind_spot.output_lines(0, f"{WITH_A}\n{MIDDLE}\n{TAIL}", truth)
    assert [line.index for line in lines] == [0, 1, 2]
    assert sum(line.grams for line in lines) == len(f"{WITH_A} {MIDDLE} {TAIL}".split()) - 4
    assert not lines[0].is_blind and lines[1].is_blind and lines[2].is_blind
    assert lines[2].classes["margin"] > 0


def test_shares_are_pooled_and_per_page() -> None:
    shares = blind_spot.class_shares([Counter(interp=3, margin=1), Counter(interp=0)])
    assert shares["interp"] == (0.75, 0.75)
    assert shares["margin"] == (0.25, 0.25)
    two = blind_spot.class_shares([Counter(interp=1), Counter(interp=1, margin=3)])
    assert two["interp"][0] == 2 / 5 and two["interp"][1] == (1 + 0.25) / 2


def test_the_sample_is_reproducible_and_takes_one_line_per_stratum_and_page() -> None:
    truth = extraction.page_truth(page())
    lines = [
        line
        for index in range(5)
        for line in blind_spot.output_lines(index, f"{MIDDLE}\n{TAIL}\n{TAIL} {TAIL}", truth)
    ]
    first = blind_spot.draw_sample(lines, pages=3, seed=7)
    assert first == blind_spot.draw_sample(lines, pages=3, seed=7)
    assert len({line.page for line, _ in first}) == 3
    per_page = Counter((line.page, line.short) for line, _ in first)
    assert set(per_page.values()) == {1}
    assert {size for line, size in first if line.short} == {2}
    assert blind_spot.draw_sample([], pages=3, seed=7) == []
