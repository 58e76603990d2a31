"""Near-duplicate fingerprints and index on Reuters-like article pairs written for these tests."""

from __future__ import annotations

import pytest

from newsdesk.dedup import DedupOptions, Match, NearDuplicateIndex, fingerprint, similarity

OPEC_ORIGINAL = """\
OPEC oil ministers agreed on Sunday to extend their production cuts by another six months,
keeping about two million barrels per day off the market until the end of June, delegates
said after a meeting in Vienna. Saudi Arabia, the group's largest producer, will continue to
shoulder the biggest share of the reduction. Brent crude futures rose 1.20 dollars to 84.50
dollars a barrel in early Asian trade on Monday after the decision was announced. Analysts
had expected a shorter extension because several members, including Iraq and Nigeria, have
pushed for higher quotas to fund their budgets. The ministers also asked the secretariat to
review how member countries report their output, after independent estimates showed that
some producers had pumped above their targets for three consecutive months. Russia, which
cooperates with the group but is not a member, said it would keep its own cut of 300,000
barrels per day in place. The next full ministerial meeting is scheduled for early June,
when the group will assess demand for the second half of the year. Oil prices have fallen
about fifteen percent since September on worries about weak demand in China and rising
supply from the United States, Brazil and Guyana."""

# The same story with about one word in ten changed: a copy with light editing.
OPEC_EDITED_COPY = """\
OPEC oil ministers agreed on Sunday to prolong their output cuts by another six months,
keeping roughly two million barrels per day off the market until the end of June, delegates
said after a meeting in Vienna. Saudi Arabia, the group's biggest producer, will continue to
carry the largest share of the reduction. Brent crude futures rose 1.20 dollars to 84.50
dollars a barrel in early Asian trading on Monday after the decision was announced. Analysts
had expected a shorter extension because several members, such as Iraq and Nigeria, have
pushed for larger quotas to fund their budgets. The ministers also asked the secretariat to
review how members report their production, after independent estimates showed that
some producers had pumped above their targets for three straight months. Russia, which
cooperates with the group but is not a member, said it would keep its own cut of 300,000
barrels a day in place. The next full ministerial meeting is set for early June,
when the group will assess demand for the second half of the year. Oil prices have dropped
about fifteen percent since September on concerns about weak demand in China and rising
supply from the United States, Brazil and Guyana."""

# A re-report of the same news by another outlet: same facts, about 40 % of the sentences
# rewritten in different words, one sentence dropped and one added.
OPEC_REREPORT = """\
OPEC oil ministers agreed on Sunday to extend their production cuts by another six months,
keeping about two million barrels per day off the market until the end of June, delegates
said after a meeting in Vienna. The kingdom of Saudi Arabia is again set to make most of the
cut itself. Brent crude futures rose 1.20 dollars to 84.50 dollars a barrel in early Asian
trade on Monday after the decision was announced. Many in the market had bet on a briefer
rollover, given that Iraq, Nigeria and other members want bigger quotas to pay for public
spending. The ministers also asked the secretariat to review how member countries report
their output, after independent estimates showed that some producers had pumped above their
targets for three consecutive months. Moscow, an ally of the cartel outside its membership,
will maintain its separate 300,000 barrel a day reduction. The next full ministerial meeting
is scheduled for early June, when the group will assess demand for the second half of the
year. Traders said the move should support prices through the winter months."""

# Different news on the same topic, sharing much of the vocabulary.
OIL_INVENTORY_STORY = """\
U.S. crude oil inventories fell by 4.1 million barrels in the week to Friday, the Energy
Information Administration said on Wednesday, a larger draw than the 1.5 million barrels
analysts had expected. Gasoline stocks rose by 900,000 barrels while distillate stocks, which
include diesel and heating oil, fell by 1.3 million barrels. Refineries ran at 91 percent of
capacity, up from 89 percent a week earlier, as plants on the Gulf Coast returned from
seasonal maintenance. Brent crude futures rose 60 cents to 82.10 dollars a barrel after the
report, while U.S. West Texas Intermediate crude gained 55 cents. Crude stocks at the Cushing,
Oklahoma, delivery hub fell for a third consecutive week. Analysts said strong exports to
Europe and Asia had drained inventories faster than usual for the time of year, and that
demand for diesel remained firm despite the slowdown in manufacturing. Production in the
United States held steady at a record 13.2 million barrels per day, the agency said."""

# A second OPEC story, about a different meeting outcome, written in the same register.
OPEC_OTHER_STORY = """\
OPEC oil ministers failed on Thursday to agree on new production quotas for next year, and
postponed their meeting in Vienna by four days, delegates said. Angola and Nigeria objected
to lower targets proposed for African producers, arguing that the group had underestimated
their capacity. Brent crude futures fell 2.10 dollars to 79.30 dollars a barrel as traders
worried that the group's unity was weakening. Saudi Arabia's energy minister left the
meeting without speaking to reporters. The group has kept about two million barrels per day
off the market since last year to support prices, and a breakdown of the talks could lead
some members to raise output. Analysts said a compromise was still likely because no
producer wanted a price war while demand growth in China is slowing."""

OPTIONS = DedupOptions()


def test_fingerprint_is_deterministic_and_compact() -> None:
    fp = fingerprint(OPEC_ORIGINAL, OPTIONS)
    assert fp == fingerprint(OPEC_ORIGINAL, OPTIONS)
    assert len(fp) == 4 * OPTIONS.num_perm
    assert similarity(fp, fp) == 1.0


def test_fingerprint_is_stable_across_releases() -> None:
    # Stored fingerprints must keep comparing with new ones: pin the first values.
    fp = fingerprint("the quick brown fox jumps over the lazy dog", OPTIONS)
    assert fp[:8].hex() == PINNED_PREFIX


PINNED_PREFIX = "6b0537609133010a"


def test_text_without_words_has_empty_fingerprint() -> None:
    assert fingerprint("  ... !!! ", OPTIONS) == b""
    assert similarity(b"", fingerprint(OPEC_ORIGINAL, OPTIONS)) == 0.0


def test_fingerprint_ignores_case_quotes_and_layout() -> None:
    variant = OPEC_ORIGINAL.upper().replace("'", "’").replace("\n", "  ")
    assert similarity(fingerprint(variant, OPTIONS), fingerprint(OPEC_ORIGINAL, OPTIONS)) == 1.0


@pytest.mark.parametrize(
    ("other", "related"),
    [
        (OPEC_EDITED_COPY, True),
        (OPEC_REREPORT, True),
        (OIL_INVENTORY_STORY, False),
        (OPEC_OTHER_STORY, False),
    ],
    ids=["edited-copy", "re-report", "inventory-story", "other-opec-story"],
)
def test_pairs_against_threshold(other: str, related: bool) -> None:
    score = similarity(fingerprint(OPEC_ORIGINAL, OPTIONS), fingerprint(other, OPTIONS))
    assert (score >= OPTIONS.threshold) is related


def test_index_links_copies_and_re_reports_but_not_other_news() -> None:
    index = NearDuplicateIndex(OPTIONS)
    index.add(1, 10, fingerprint(OPEC_ORIGINAL, OPTIONS))
    index.add(2, 20, fingerprint(OIL_INVENTORY_STORY, OPTIONS))
    index.add(3, 30, fingerprint(OPEC_OTHER_STORY, OPTIONS))

    for text in (OPEC_EDITED_COPY, OPEC_REREPORT):
        matches = index.query(fingerprint(text, OPTIONS))
        assert [(m.article_id, m.story_id) for m in matches] == [(1, 10)]
        assert matches[0].similarity >= OPTIONS.threshold


def test_index_orders_best_first_and_forgets_removed_articles() -> None:
    index = NearDuplicateIndex(OPTIONS)
    original = fingerprint(OPEC_ORIGINAL, OPTIONS)
    index.add(5, 50, fingerprint(OPEC_REREPORT, OPTIONS))
    index.add(7, 70, original)
    index.add(9, None, fingerprint(OPEC_EDITED_COPY, OPTIONS))
    matches = index.query(original)
    assert [m.article_id for m in matches] == [7, 9, 5]
    assert matches[0] == Match(7, 70, 1.0)
    assert matches[0].similarity >= matches[1].similarity >= matches[2].similarity

    index.remove(7)
    index.remove(12345)  # unknown ids are ignored
    assert 7 not in index
    assert [m.article_id for m in index.query(original)] == [9, 5]
    assert len(index) == 2


def test_index_add_replaces_an_article_and_ignores_empty_fingerprints() -> None:
    index = NearDuplicateIndex(OPTIONS)
    index.add(1, 10, fingerprint(OPEC_ORIGINAL, OPTIONS))
    index.add(1, 11, fingerprint(OIL_INVENTORY_STORY, OPTIONS))  # the article's text changed
    assert index.query(fingerprint(OPEC_ORIGINAL, OPTIONS)) == []
    assert [m.story_id for m in index.query(fingerprint(OIL_INVENTORY_STORY, OPTIONS))] == [11]

    index.add(2, 20, b"")
    assert 2 not in index
    assert index.query(b"") == []


def test_index_rejects_fingerprints_of_another_size() -> None:
    index = NearDuplicateIndex(OPTIONS)
    small = fingerprint(OPEC_ORIGINAL, DedupOptions(num_perm=64))
    with pytest.raises(ValueError, match="64 values"):
        index.add(1, 1, small)
    with pytest.raises(ValueError, match="different sizes"):
        similarity(small, fingerprint(OPEC_ORIGINAL, OPTIONS))
    with pytest.raises(ValueError, match="4-byte"):
        similarity(b"abc", b"abc")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_perm": 1},
        {"shingle_size": 0},
        {"threshold": 0.0},
        {"threshold": 1.5},
        {"band_rows": 0},
    ],
)
def test_options_are_validated(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        DedupOptions(**kwargs)  # type: ignore[arg-type]
