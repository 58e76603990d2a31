"""Zero-shot sectors on the modern briefs (benchmarks/data/modern_sectors): the set itself, and
the quality floors on its dev and held-out splits.

The floors sit a noise margin below the figures measured when they were pinned (README in the
data folder; `benchmarks/sectors_modern.py` prints them). Classification is deterministic, so
the margin is for deliberate changes to terms, patterns and thresholds: a change that costs
more than it should fails here.
"""

from __future__ import annotations

from collections import Counter

import pytest

from newsdesk.enrich import load_taxonomy
from research_data import load_benchmark

MODERN = load_benchmark("sectors_modern")
TAXONOMY = load_taxonomy()
DEV = MODERN.load_rows("dev")
HELDOUT = MODERN.load_rows("heldout")
SPLITS = {name: MODERN.load_rows(name) for name in MODERN.SPLITS}

# split: (micro-F1, macro-F1, lowest per-sector F1) floors, a noise margin below what was
# measured when they were pinned (part 2 of #17; before it in brackets):
#   dev       0.918 / 0.935 / 0.866  (0.908 / 0.927 / 0.820; first taxonomy 0.768 / 0.836 / 0.538)
#   dev2      0.902 / 0.929 / 0.818  (0.882 / 0.911 / 0.732; never tuned on)
#   heldout   0.884 / 0.906 / 0.828  (0.875 / 0.898 / 0.824; first taxonomy 0.729 / 0.802 / 0.483)
#   heldout2  0.867 / 0.876 / 0.810  (0.857 / 0.869 / 0.747; longer briefs, written before part 2)
# and raised after part 3 (tuned on dev and dev2, whose errors were read from then on):
#   dev       0.931 / 0.948 / 0.897
#   dev2      0.932 / 0.958 / 0.876
#   heldout   0.884 / 0.906 / 0.828  (unchanged)
#   heldout2  0.879 / 0.888 / 0.846
# and after part 4 (dev3 written and tuned on with dev and dev2; the rule-story relabelling of
# the data README applied to dev and heldout, which alone moved heldout 0.884 -> 0.889):
#   dev       0.934 / 0.949 / 0.901
#   dev2      0.947 / 0.963 / 0.909
#   dev3      0.922 / 0.939 / 0.833  (ai-semiconductors has 5 briefs: one error is 0.1)
#   heldout   0.894 / 0.910 / 0.800  (esg-renewables, recall 0.71 as before; one false positive)
#   heldout2  0.892 / 0.905 / 0.853
# and after part 5 (currency words after an amount, dev4 written and tuned on with the others):
#   dev       0.935 / 0.949 / 0.901
#   dev2      0.958 / 0.966 / 0.909
#   dev3      0.933 / 0.943 / 0.833
#   heldout   0.899 / 0.915 / 0.839  (esg-renewables, recall 0.76)
#   heldout2  0.892 / 0.905 / 0.851  (business-politics, precision 0.80)
# and after part 7 (dev5 written and labelled before it was classified, then tuned on with the
# others; leadership changes, "a large share of" as a proportion, Spanish "cupos"):
#   dev       0.937 / 0.950 / 0.901
#   dev3      0.938 / 0.944 / 0.833
#   dev5      0.940 / 0.949 / 0.857  (37 briefs: one error moves micro-F1 by about 0.01 and a
#                                     sector with four briefs by 0.1 or more)
# and after part 8 (a business-politics event in the headline; orders citing national
# security, rules watered down, capitals blocking deals, deals at a state visit, partnerships,
# guidance changed):
#   dev       0.946 / 0.953 / 0.909
#   dev2      0.966 / 0.970 / 0.909
#   dev3      0.946 / 0.949 / 0.833
# and heldout3 (part 9: a fresh held-out split by a helper that did not read the classifier,
# committed before it was classified; its figures read once on main's classifier at ce2443c,
# the same with the language given and detected, its errors never listed):
#   heldout3  0.916 / 0.946 / 0.850  (business-politics, precision 0.81, recall 0.89)
# and after part 9 (dev6, written for business-politics precision and committed before it was
# classified: 0.937 / 0.952 / 0.857 with business-politics precision 0.762 on main's taxonomy;
# then business words in another sense: stocks and deficits of a commodity market, traders'
# positions, proven reserves, commodity tenders, intervention buying, a foreign "quarter"):
#   dev6      0.957 / 0.961 / 0.857  (55 briefs: one error moves micro-F1 by about 0.015)
# dev to dev5 did not move.
FLOORS = {
    "dev": (0.93, 0.94, 0.87),
    "dev2": (0.95, 0.95, 0.87),
    "dev3": (0.93, 0.93, 0.78),
    "dev5": (0.91, 0.92, 0.75),
    "dev6": (0.93, 0.94, 0.75),
    "heldout": (0.88, 0.90, 0.80),
    "heldout2": (0.87, 0.88, 0.83),
    "heldout3": (0.89, 0.92, 0.83),
}


def test_the_set_has_its_documented_make_up() -> None:
    rows = DEV + HELDOUT
    assert len(DEV) >= 240 and len(HELDOUT) >= 120
    assert len({r["id"] for r in rows}) == len(rows)
    assert not {r["title"] for r in DEV} & {r["title"] for r in HELDOUT}
    known = set(TAXONOMY.ids)
    for row in rows:
        assert set(row["sectors"]) <= known, row["id"]
        assert str(row["title"]).strip() and str(row["text"]).strip(), row["id"]
    foreign = [r for r in rows if r["lang"] != "en"]
    assert len(foreign) >= 0.1 * len(rows)
    assert {"de", "es", "pt", "ja"} <= {r["lang"] for r in foreign}
    sizes = Counter(len(r["sectors"]) for r in rows)
    assert sizes[0] >= 10 and sizes[2] + sizes[3] >= 0.35 * len(rows)
    per_sector = Counter(s for r in rows for s in r["sectors"])
    assert min(per_sector[s] for s in TAXONOMY.ids) >= 30


def test_the_third_tuning_split_has_its_documented_make_up() -> None:
    rows = SPLITS["dev3"]
    assert len(rows) >= 80
    foreign = [r for r in rows if r["lang"] != "en"]
    assert len(foreign) >= 0.1 * len(rows)
    assert {"de", "es", "pt", "ja", "zh"} <= {r["lang"] for r in foreign}
    sizes = Counter(len(r["sectors"]) for r in rows)
    assert sizes[0] >= 4 and sizes[2] + sizes[3] >= 0.35 * len(rows)
    per_sector = Counter(s for r in rows for s in r["sectors"])
    assert min(per_sector[s] for s in TAXONOMY.ids) >= 5


def test_the_energy_transition_tuning_split_has_its_documented_make_up() -> None:
    rows = SPLITS["dev4"]
    assert len(rows) >= 24
    assert {"de", "es", "pt", "fr"} <= {r["lang"] for r in rows}
    sizes = Counter(len(r["sectors"]) for r in rows)
    assert sizes[0] >= 2 and sizes[2] >= 10
    assert Counter(s for r in rows for s in r["sectors"])["esg-renewables"] >= 20


def test_the_long_brief_tuning_split_has_its_documented_make_up() -> None:
    rows = SPLITS["dev5"]
    assert len(rows) >= 36
    foreign = [r for r in rows if r["lang"] != "en"]
    assert len(foreign) >= 0.1 * len(rows)
    assert {"de", "es", "pt", "ja"} <= {r["lang"] for r in foreign}
    sizes = Counter(len(r["sectors"]) for r in rows)
    assert sizes[0] >= 3 and sizes[2] + sizes[3] + sizes[4] >= 0.45 * len(rows)
    per_sector = Counter(s for r in rows for s in r["sectors"])
    assert min(per_sector[s] for s in TAXONOMY.ids) >= 2
    assert per_sector["business-politics"] >= 15
    # hard cases: business-politics words in passing (share prices, the economy as background)
    assert sum("in passing" in str(r.get("note", "")) for r in rows) >= 5


def test_the_third_held_out_split_has_its_documented_make_up() -> None:
    rows = SPLITS["heldout3"]
    assert len(rows) == 120
    foreign = [r for r in rows if r["lang"] != "en"]
    assert len(foreign) >= 0.1 * len(rows)
    assert {"de", "es", "pt", "ja", "fr", "it", "zh", "nl"} <= {r["lang"] for r in foreign}
    sizes = Counter(len(r["sectors"]) for r in rows)
    assert sizes[0] >= 6 and sizes[2] + sizes[3] >= 0.4 * len(rows)
    per_sector = Counter(s for r in rows for s in r["sectors"])
    assert min(per_sector[s] for s in TAXONOMY.ids) >= 9
    assert per_sector["business-politics"] >= 50 and per_sector["sanctions-regulation"] >= 35
    assert sum("note" in r for r in rows) >= 40


def test_the_business_politics_precision_split_has_its_documented_make_up() -> None:
    rows = SPLITS["dev6"]
    assert len(rows) >= 50
    foreign = [r for r in rows if r["lang"] != "en"]
    assert len(foreign) >= 5
    assert {"de", "es", "pt", "ja", "fr"} <= {r["lang"] for r in foreign}
    per_sector = Counter(s for r in rows for s in r["sectors"])
    assert min(per_sector[s] for s in TAXONOMY.ids) >= 4
    assert 15 <= per_sector["business-politics"] <= 0.4 * len(rows)
    # its point: business words (companies, governments, money, prices) in briefs whose news
    # is not business-politics; each such brief says so in its note
    hard = [
        r
        for r in rows
        if "business-politics" not in r["sectors"] and "note" in r  # type: ignore[operator]
    ]
    assert len(hard) >= 30


def test_esg_renewables_on_the_energy_transition_split() -> None:
    # dev4 is about one sector: its macro-F1 averages sectors with one brief or none, so only
    # micro-F1 and esg-renewables are pinned (measured 0.896 and 0.952 when pinned; one brief
    # moves micro-F1 by about 0.03)
    rows = SPLITS["dev4"]
    figures = MODERN.figures(
        rows, MODERN.classify_rows(rows, TAXONOMY, with_language=True), TAXONOMY.ids
    )
    assert figures["micro"] >= 0.86
    assert figures["per_sector"]["esg-renewables"][2] >= 0.90


def test_no_brief_is_in_two_splits() -> None:
    everything = [row for rows in SPLITS.values() for row in rows]
    assert len(SPLITS) == 9 and len(SPLITS["heldout2"]) >= 150
    assert len({r["id"] for r in everything}) == len(everything)
    assert len({r["title"] for r in everything}) == len(everything)
    assert len({r["text"] for r in everything}) == len(everything)
    known = set(TAXONOMY.ids)
    for row in everything:
        assert set(row["sectors"]) <= known, row["id"]


@pytest.mark.parametrize("split", sorted(FLOORS))
@pytest.mark.parametrize("with_language", [True, False], ids=["language-given", "detected"])
def test_zero_shot_quality_floors_on_modern_briefs(split: str, with_language: bool) -> None:
    rows = SPLITS[split]
    results = MODERN.classify_rows(rows, TAXONOMY, with_language=with_language)
    figures = MODERN.figures(rows, results, TAXONOMY.ids)
    micro, macro, lowest = FLOORS[split]
    per_sector = {sector: f1 for sector, (_, _, f1, _) in figures["per_sector"].items()}
    assert figures["micro"] >= micro
    assert figures["macro"] >= macro
    assert min(per_sector.values()) >= lowest, per_sector


def test_business_politics_precision_on_the_precision_split() -> None:
    # dev6 is full of company, government and money words in briefs whose news is not
    # business-politics: measured precision 0.889 (16 of 18) when pinned, 0.762 before part 9
    rows = SPLITS["dev6"]
    figures = MODERN.figures(
        rows, MODERN.classify_rows(rows, TAXONOMY, with_language=True), TAXONOMY.ids
    )
    precision, recall, _, _ = figures["per_sector"]["business-politics"]
    assert precision >= 0.84
    assert recall >= 0.93


def test_every_modern_label_carries_its_evidence() -> None:
    results = MODERN.classify_rows(DEV + HELDOUT, TAXONOMY, with_language=True)
    labelled = [score for result in results for score in result.scores if score.labelled]
    assert len(labelled) > 500
    assert all(score.explanation for score in labelled)
