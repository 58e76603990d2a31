"""reports.figures: which figures a report may state."""

from __future__ import annotations

import pytest

from newsdesk.reports.figures import backed, fact_figures, figures, normalise, redact


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("1,000", "1000"),
        ("1000", "1000"),
        ("6.5", "6.5"),
        ("6,5", "6.5"),
        ("1.000.000", "1000000"),
        ("2022", "2022"),
        ("74.89", "74.89"),
    ],
)
def test_figures_compare_by_value_whatever_the_grouping(token: str, expected: str) -> None:
    assert normalise(token) == expected


def test_a_sentence_is_backed_only_by_the_figures_of_stored_facts() -> None:
    allowed = fact_figures(["Budget of $6.5 million over 3 years."], [{"date": "2027-03"}])
    assert {"6.5", "3", "2027", "03"} <= allowed
    assert backed("They agreed $6.5 million.", allowed)
    assert not backed("They agreed $6.5 million and 40 licences.", allowed)
    assert backed("No figures at all.", set())


def test_unbacked_figures_are_cut_and_backed_ones_kept() -> None:
    assert redact("Output up 12% to 6.5 million", {"6.5"}) == "Output up …% to 6.5 million"
    assert figures(redact("2.8% growth", set())) == set()
