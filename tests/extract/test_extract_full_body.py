"""The full-body benchmark (benchmarks/extraction_full_body.py): labelled lines stored as hashes
and page positions, read back from the page, and outputs scored on BODY and NOT grams."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from research_data import extraction_dev_set, load_benchmark

# The benchmark imports `extraction` by name, as it does when run from benchmarks/.
extraction = sys.modules.setdefault("extraction", load_benchmark("extraction"))
full_body = load_benchmark("extraction_full_body")

STORY = "the council approved the new harbour budget on monday after a long debate"
MORE = "members argued for three hours about the ferry timetable and its costs"
TEASER = "read also the mayor opens the new ferry terminal"
BYLINE = "by ann lee"
PAGE = (
    f"<html><body><h1>Harbour news</h1><p>{BYLINE}</p><p>{STORY}</p><p>{MORE}</p>"
    f"<p>{TEASER}</p></body></html>"
)


def truth() -> Any:
    words, _ = extraction._page_words(PAGE.encode())
    entry = {
        "index": 0,
        "part": "tuning",
        "lines": [
            full_body.label_line(STORY.split(), full_body.BODY, words),
            full_body.label_line(MORE.split(), full_body.BODY, words),
            full_body.label_line(TEASER.split(), full_body.NOT, words),
            full_body.label_line(BYLINE.split(), full_body.NOT, words),
            full_body.label_line(["harbour", "news"], full_body.UNSURE, words),
        ],
    }
    return full_body.page_truth(entry, words)


def test_a_short_line_is_one_gram_and_a_long_one_its_5_grams() -> None:
    assert full_body.line_grams([]) == []
    assert full_body.line_grams(["by", "ann", "lee"]) == [("by", "ann", "lee")]
    assert len(full_body.line_grams(STORY.split())) == len(STORY.split()) - 4


def test_stored_lines_hold_no_text_and_read_back_from_the_page() -> None:
    words, _ = extraction._page_words(PAGE.encode())
    record = full_body.label_line(MORE.split(), full_body.BODY, words)
    assert record[0] == full_body.BODY and record[2] == len(MORE.split())
    assert not any(word in str(record) for word in MORE.split() if len(word) > 3)
    assert words[record[3] : record[3] + record[2]] == MORE.split()


def test_a_line_not_on_the_page_keeps_hashed_grams_and_still_counts() -> None:
    words, _ = extraction._page_words(PAGE.encode())
    stitched = ["council", "approved", "the", "ferry", "timetable", "and", "its"]
    record = full_body.label_line(stitched, full_body.NOT, words)
    assert record[3] is None and len(record[4]) == len(stitched) - 4
    page = full_body.page_truth({"index": 0, "lines": [record]}, words)
    assert page.label(("council", "approved", "the", "ferry", "timetable")) == full_body.NOT


def test_a_changed_page_is_refused() -> None:
    words, _ = extraction._page_words(PAGE.encode())
    record = full_body.label_line(MORE.split(), full_body.BODY, words)
    shifted = ["x", *words]
    with pytest.raises(ValueError, match="does not match"):
        full_body.page_truth({"index": 3, "lines": [record]}, shifted)


def test_precision_counts_body_and_not_grams_and_recall_body_grams() -> None:
    page = truth()
    assert full_body.score_page(f"{STORY}\n{MORE}", page) == (1.0, 1.0)
    precision, recall = full_body.score_page(f"{STORY}\n{TEASER}", page)
    story, teaser = len(STORY.split()) - 4, len(TEASER.split()) - 4
    assert precision == story / (story + teaser)
    assert recall == story / (story + len(MORE.split()) - 4)
    # The byline is one gram; the UNSURE headline counts on neither side.
    precision, _ = full_body.score_page(f"{BYLINE}\nharbour news\n{STORY}", page)
    assert precision == story / (story + 1)


def test_empty_output_scores_zero_and_unlabelled_output_has_no_precision() -> None:
    page = truth()
    assert full_body.score_page("", page) == (0.0, 0.0)
    assert full_body.score_page("harbour news\nwords that appear nowhere at all", page) == (
        None,
        0.0,
    )
    found = full_body.score(["", f"{STORY}\n{MORE}"], [page, page])
    assert (found.precision, found.recall) == (0.5, 0.5)


def test_pages_are_drawn_reproducibly_from_each_part() -> None:
    news = [i % 4 != 0 for i in range(400)]
    tuning, validation = full_body.pick_pages(news, seed=5)
    assert (tuning, validation) == full_body.pick_pages(news, seed=5)
    assert len(tuning) == full_body.TUNING_PAGES and len(validation) == full_body.VALIDATION_PAGES
    assert all(news[i] and i % 3 != 2 for i in tuning)
    assert all(news[i] and i % 3 == 2 for i in validation)
    assert tuning == sorted(tuning)


def test_the_second_draw_takes_other_validation_pages_reproducibly() -> None:
    news = [i % 4 != 0 for i in range(600)]
    _, first = full_body.pick_pages(news)
    second = full_body.pick_new_validation(news, seed=7)
    assert second == full_body.pick_new_validation(news, seed=7)
    assert len(second) == full_body.NEW_VALIDATION_PAGES and second == sorted(second)
    assert all(news[i] and i % 3 == 2 for i in second)
    assert not set(second) & set(first)


def test_the_eleventh_draw_takes_validation_pages_no_earlier_draw_took_reproducibly() -> None:
    news = [i % 4 != 0 for i in range(900)]
    _, first = full_body.pick_pages(news)
    second = full_body.pick_new_validation(news)
    third = full_body.pick_third_validation(news, seed=7)
    assert third == full_body.pick_third_validation(news, seed=7)
    assert third != full_body.pick_third_validation(news, seed=8)
    assert full_body.pick_third_validation(news) == full_body.pick_third_validation(
        news, seed=full_body.THIRD_VALIDATION_SEED
    )
    assert len(third) == full_body.THIRD_VALIDATION_PAGES and third == sorted(third)
    assert all(news[i] and i % 3 == 2 for i in third)
    assert not set(third) & (set(first) | set(second))


def test_the_eleventh_draw_takes_all_that_remain_when_fewer_than_its_size_do() -> None:
    # 330 news pages: 110 in the validation part, 80 taken by the first two draws.
    news = [True] * 330
    _, first = full_body.pick_pages(news)
    taken = set(first) | set(full_body.pick_new_validation(news))
    left = [i for i in range(330) if i % 3 == 2 and i not in taken]
    assert len(left) == 30
    assert full_body.pick_third_validation(news) == left


@pytest.mark.parametrize("position", range(len(full_body.LATER_TUNING_DRAWS)))
def test_each_later_draw_takes_tuning_pages_no_earlier_draw_took_reproducibly(
    position: int,
) -> None:
    news = [i % 4 != 0 for i in range(900)]
    part, _, pages = full_body.LATER_TUNING_DRAWS[position]
    first, _ = full_body.pick_pages(news)
    earlier = set(first)
    for name, _, _ in full_body.LATER_TUNING_DRAWS[:position]:
        earlier |= set(full_body.pick_later_tuning(news, name))
    drawn = full_body.pick_later_tuning(news, part, seed=7)
    assert drawn == full_body.pick_later_tuning(news, part, seed=7)
    assert drawn != full_body.pick_later_tuning(news, part, seed=8)
    assert len(drawn) == pages and drawn == sorted(drawn)
    assert all(news[i] and i % 3 != 2 for i in drawn)
    assert not set(drawn) & earlier


@pytest.mark.parametrize(
    ("part", "news_pages"),
    [
        # 405 news pages: 270 in the tuning part, 240 taken by the six earlier tuning draws.
        (full_body.EIGHTH_TUNING, 405),
        # 465 news pages: 310 in the tuning part, 280 taken by the seven earlier tuning draws.
        (full_body.NINTH_TUNING, 465),
        # 525 news pages: 350 in the tuning part, 320 taken by the eight earlier tuning draws.
        (full_body.TENTH_TUNING, 525),
    ],
)
def test_a_draw_takes_all_that_remain_when_fewer_than_its_size_do(
    part: str, news_pages: int
) -> None:
    news = [True] * news_pages
    first, _ = full_body.pick_pages(news)
    taken = set(first)
    for name, _, _ in full_body.LATER_TUNING_DRAWS:
        if name == part:
            break
        taken |= set(full_body.pick_later_tuning(news, name))
    left = [i for i in range(news_pages) if i % 3 != 2 and i not in taken]
    assert len(left) == 30
    assert full_body.pick_later_tuning(news, part) == left


def test_only_a_later_tuning_draw_is_picked_as_one() -> None:
    with pytest.raises(ValueError, match="not a later tuning draw"):
        full_body.pick_later_tuning([True] * 900, full_body.VALIDATION)


def test_the_named_pickers_are_the_later_draws_in_order() -> None:
    news = [i % 4 != 0 for i in range(900)]
    named = [
        full_body.pick_new_tuning,
        full_body.pick_fresh_tuning,
        full_body.pick_fifth_tuning,
        full_body.pick_sixth_tuning,
        full_body.pick_seventh_tuning,
        full_body.pick_eighth_tuning,
        full_body.pick_ninth_tuning,
        full_body.pick_tenth_tuning,
    ]
    for pick, (part, _, _) in zip(named, full_body.LATER_TUNING_DRAWS, strict=True):
        assert pick(news) == full_body.pick_later_tuning(news, part)
        assert pick(news, seed=7) == full_body.pick_later_tuning(news, part, seed=7)


def test_the_table_pools_validation_and_all_pages_each_page_once() -> None:
    page = truth()

    def at(index: int) -> Any:
        return full_body.BodyTruth(index, page.body, page.furniture)

    parts = {
        full_body.TUNING: [at(1)],
        full_body.VALIDATION: [at(5)],
        full_body.NEW_VALIDATION: [at(2), at(8)],
    }
    reported = full_body.reported_parts(parts)
    assert [t.index for t in reported["all validation"]] == [2, 5, 8]
    assert [t.index for t in reported["all tuning"]] == [1]
    assert [t.index for t in reported["all"]] == [1, 2, 5, 8]
    parts[full_body.NEW_TUNING] = [at(0), at(9)]
    reported = full_body.reported_parts(parts)
    assert [t.index for t in reported["all tuning"]] == [0, 1, 9]
    assert [t.index for t in reported["all"]] == [0, 1, 2, 5, 8, 9]
    assert list(reported)[:3] == [full_body.TUNING, full_body.VALIDATION, full_body.NEW_VALIDATION]
    parts[full_body.FRESH_TUNING] = [at(4), at(12)]
    reported = full_body.reported_parts(parts)
    assert [t.index for t in reported["all tuning"]] == [0, 1, 4, 9, 12]
    assert [t.index for t in reported["all"]] == [0, 1, 2, 4, 5, 8, 9, 12]
    assert list(reported)[:5] == [
        full_body.TUNING,
        full_body.VALIDATION,
        full_body.NEW_VALIDATION,
        full_body.NEW_TUNING,
        full_body.FRESH_TUNING,
    ]
    parts[full_body.FIFTH_TUNING] = [at(3), at(15)]
    reported = full_body.reported_parts(parts)
    assert [t.index for t in reported["all tuning"]] == [0, 1, 3, 4, 9, 12, 15]
    assert [t.index for t in reported["all"]] == [0, 1, 2, 3, 4, 5, 8, 9, 12, 15]
    assert list(reported)[5] == full_body.FIFTH_TUNING
    parts[full_body.SIXTH_TUNING] = [at(6), at(20)]
    reported = full_body.reported_parts(parts)
    assert [t.index for t in reported["all tuning"]] == [0, 1, 3, 4, 6, 9, 12, 15, 20]
    assert [t.index for t in reported["all"]] == [0, 1, 2, 3, 4, 5, 6, 8, 9, 12, 15, 20]
    assert list(reported)[6] == full_body.SIXTH_TUNING
    parts[full_body.SEVENTH_TUNING] = [at(7), at(21)]
    reported = full_body.reported_parts(parts)
    assert [t.index for t in reported["all tuning"]] == [0, 1, 3, 4, 6, 7, 9, 12, 15, 20, 21]
    assert [t.index for t in reported["all"]] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 20, 21]
    assert list(reported)[7] == full_body.SEVENTH_TUNING
    parts[full_body.EIGHTH_TUNING] = [at(10), at(22)]
    reported = full_body.reported_parts(parts)
    tuning = [0, 1, 3, 4, 6, 7, 9, 10, 12, 15, 20, 21, 22]
    assert [t.index for t in reported["all tuning"]] == tuning
    assert [t.index for t in reported["all"]] == sorted([*tuning, 2, 5, 8])
    assert list(reported)[8] == full_body.EIGHTH_TUNING
    parts[full_body.NINTH_TUNING] = [at(11), at(23)]
    reported = full_body.reported_parts(parts)
    tuning = sorted([*tuning, 11, 23])
    assert [t.index for t in reported["all tuning"]] == tuning
    assert [t.index for t in reported["all"]] == sorted([*tuning, 2, 5, 8])
    assert list(reported)[9] == full_body.NINTH_TUNING
    parts[full_body.TENTH_TUNING] = [at(13), at(24)]
    reported = full_body.reported_parts(parts)
    tuning = sorted([*tuning, 13, 24])
    assert [t.index for t in reported["all tuning"]] == tuning
    assert [t.index for t in reported["all"]] == sorted([*tuning, 2, 5, 8])
    assert list(reported)[10] == full_body.TENTH_TUNING
    parts[full_body.THIRD_VALIDATION] = [at(14), at(25)]
    reported = full_body.reported_parts(parts)
    assert [t.index for t in reported["all validation"]] == [2, 5, 8, 14, 25]
    assert [t.index for t in reported["all tuning"]] == tuning
    assert [t.index for t in reported["all"]] == sorted([*tuning, 2, 5, 8, 14, 25])
    assert list(reported)[11] == full_body.THIRD_VALIDATION


def test_the_stored_labels_read_back_from_the_dev_pages() -> None:
    """Every stored line of every part matches the dev pages' words (skips without the data)."""
    pages = extraction.load_pages(extraction_dev_set())
    parts = full_body.load_truths(pages)
    sizes = {part: len(truths) for part, truths in parts.items()}
    assert sizes == {
        full_body.TUNING: full_body.TUNING_PAGES,
        full_body.VALIDATION: full_body.VALIDATION_PAGES,
        full_body.NEW_VALIDATION: full_body.NEW_VALIDATION_PAGES,
        full_body.NEW_TUNING: full_body.NEW_TUNING_PAGES,
        full_body.FRESH_TUNING: full_body.FRESH_TUNING_PAGES,
        full_body.FIFTH_TUNING: full_body.FIFTH_TUNING_PAGES,
        full_body.SIXTH_TUNING: full_body.SIXTH_TUNING_PAGES,
        full_body.SEVENTH_TUNING: full_body.SEVENTH_TUNING_PAGES,
        full_body.EIGHTH_TUNING: full_body.EIGHTH_TUNING_PAGES,
        full_body.NINTH_TUNING: full_body.NINTH_TUNING_PAGES,
        full_body.TENTH_TUNING: full_body.TENTH_TUNING_PAGES,
        full_body.THIRD_VALIDATION: full_body.THIRD_VALIDATION_PAGES,
    }
    indices = [truth.index for truths in parts.values() for truth in truths]
    assert len(set(indices)) == len(indices)
    assert all(truth.body for truths in parts.values() for truth in truths)


def test_the_stored_draws_are_the_ones_their_seeds_make() -> None:
    """The header's page lists are what the pick functions draw from the dev pages' news flags,
    and each stored page sits in the part its draw put it in (skips without the data)."""
    news_pages = load_benchmark("news_pages")
    pages = extraction.load_pages(extraction_dev_set())
    news = [news_pages.is_news_page(page.html) for page in pages]
    stored = json.loads(full_body.LABELS_FILE.read_text(encoding="utf-8"))
    tuning, validation = full_body.pick_pages(news, seed=stored["seed"])
    draws = {
        full_body.TUNING: tuning,
        full_body.VALIDATION: validation,
        full_body.NEW_VALIDATION: full_body.pick_new_validation(
            news, seed=stored["new_validation_seed"]
        ),
        full_body.NEW_TUNING: full_body.pick_new_tuning(news, seed=stored["new_tuning_seed"]),
        full_body.FRESH_TUNING: full_body.pick_fresh_tuning(news, seed=stored["fresh_tuning_seed"]),
        full_body.FIFTH_TUNING: full_body.pick_fifth_tuning(news, seed=stored["fifth_tuning_seed"]),
        full_body.SIXTH_TUNING: full_body.pick_sixth_tuning(news, seed=stored["sixth_tuning_seed"]),
        full_body.SEVENTH_TUNING: full_body.pick_seventh_tuning(
            news, seed=stored["seventh_tuning_seed"]
        ),
        full_body.EIGHTH_TUNING: full_body.pick_eighth_tuning(
            news, seed=stored["eighth_tuning_seed"]
        ),
        full_body.NINTH_TUNING: full_body.pick_ninth_tuning(news, seed=stored["ninth_tuning_seed"]),
        full_body.TENTH_TUNING: full_body.pick_tenth_tuning(news, seed=stored["tenth_tuning_seed"]),
        full_body.THIRD_VALIDATION: full_body.pick_third_validation(
            news, seed=stored["third_validation_seed"]
        ),
    }
    assert stored["sixth_tuning_seed"] == full_body.SIXTH_TUNING_SEED
    assert stored["sixth_tuning"] == draws[full_body.SIXTH_TUNING]
    assert stored["seventh_tuning_seed"] == full_body.SEVENTH_TUNING_SEED
    assert stored["seventh_tuning"] == draws[full_body.SEVENTH_TUNING]
    assert not set(stored["seventh_tuning"]) & set(stored["sixth_tuning"])
    assert stored["eighth_tuning_seed"] == full_body.EIGHTH_TUNING_SEED
    assert stored["eighth_tuning"] == draws[full_body.EIGHTH_TUNING]
    earlier_tuning = [stored[key] for key in ("tuning", "new_tuning", "fresh_tuning")]
    earlier_tuning += [stored[f"{nth}_tuning"] for nth in ("fifth", "sixth", "seventh")]
    assert not set(stored["eighth_tuning"]) & set().union(*earlier_tuning)
    assert stored["ninth_tuning_seed"] == full_body.NINTH_TUNING_SEED
    assert stored["ninth_tuning"] == draws[full_body.NINTH_TUNING]
    earlier_tuning.append(stored["eighth_tuning"])
    assert not set(stored["ninth_tuning"]) & set().union(*earlier_tuning)
    assert stored["tenth_tuning_seed"] == full_body.TENTH_TUNING_SEED
    assert stored["tenth_tuning"] == draws[full_body.TENTH_TUNING]
    earlier_tuning.append(stored["ninth_tuning"])
    assert not set(stored["tenth_tuning"]) & set().union(*earlier_tuning)
    assert stored["third_validation_seed"] == full_body.THIRD_VALIDATION_SEED
    assert stored["third_validation"] == draws[full_body.THIRD_VALIDATION]
    earlier_validation = set(stored["validation"]) | set(stored["new_validation"])
    assert not set(stored["third_validation"]) & earlier_validation
    assert all(index % 3 == 2 for index in stored["third_validation"])
    assert stored["fifth_tuning_seed"] == full_body.FIFTH_TUNING_SEED
    assert stored["fifth_tuning"] == draws[full_body.FIFTH_TUNING]
    assert stored["fresh_tuning_seed"] == full_body.FRESH_TUNING_SEED
    assert stored["fresh_tuning"] == draws[full_body.FRESH_TUNING]
    assert stored["new_tuning"] == draws[full_body.NEW_TUNING]
    for part, picked in draws.items():
        assert sorted(e["index"] for e in stored["pages"] if e["part"] == part) == picked, part
