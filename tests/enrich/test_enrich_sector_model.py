"""Trained sector model: quality floors on Reuters-21578, persistence, and combination rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from newsdesk.demo.corpus_loader import load_corpus
from newsdesk.enrich import (
    MODEL_FORMAT_VERSION,
    ClassifyOptions,
    LabelledDoc,
    SectorModel,
    SectorModelError,
    TrainOptions,
    classify,
    classify_batch,
    load_sector_model,
    load_taxonomy,
    parse_taxonomy,
    train_sector_model,
)
from research_data import load_benchmark, reuters_corpus

DATA = Path(__file__).parent / "data"
TAXONOMY = load_taxonomy()
OPTIONS = ClassifyOptions()
TRAIN_DOCS = 2000  # the first TRAIN documents with text: trains in a few seconds
TEST_DOCS = 1000


REUTERS = load_benchmark("sectors")


def _with_text(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [r for r in rows if str(r["title"]).strip() or str(r["text"]).strip()]


@pytest.fixture(scope="module")
def test_rows() -> list[dict[str, object]]:
    return list(REUTERS.load_split("TEST", reuters_corpus()))


@pytest.fixture(scope="module")
def model() -> SectorModel:
    rows = _with_text(REUTERS.load_split("TRAIN", reuters_corpus()))[:TRAIN_DOCS]
    docs = [
        LabelledDoc(str(r["id"]), str(r["title"]), str(r["text"]), tuple(r["sectors"]))  # type: ignore[arg-type]
        for r in rows
    ]
    return train_sector_model(docs, taxonomy=TAXONOMY, options=TrainOptions())


@pytest.fixture(scope="module")
def demo_model() -> SectorModel:
    """A model trained on the shipped demo corpus: for the mechanics (persistence, refusals,
    fallbacks), which must be tested on every machine, research data or not."""
    corpus = load_corpus(datetime(2026, 1, 1, tzinfo=UTC))
    docs = [
        LabelledDoc(a.slug, a.title, "\n\n".join(a.paragraphs), a.sectors) for a in corpus.articles
    ]
    return train_sector_model(docs, taxonomy=TAXONOMY, options=TrainOptions(min_examples=5))


def _f1(rows: list[dict[str, object]], sector_model: SectorModel | None) -> tuple[float, float]:
    results = classify_batch(
        [(str(r["title"]), str(r["text"])) for r in rows],
        taxonomy=TAXONOMY,
        model=sector_model,
        options=OPTIONS,
    )
    truth = np.array([[s in r["sectors"] for s in REUTERS.SECTORS] for r in rows])  # type: ignore[operator]
    predicted = np.array([[s in res.labels for s in REUTERS.SECTORS] for res in results])
    return (
        float(f1_score(truth, predicted, average="micro")),
        float(f1_score(truth, predicted, average="macro")),
    )


def test_trained_model_quality_floor_on_a_reuters_subset(
    model: SectorModel, test_rows: list[dict[str, object]]
) -> None:
    # measured 0.959 / 0.874 on this subset (#17 part 6; full TEST in benchmarks/sectors.py:
    # 0.914 / 0.875). The steadier threshold choice costs this subset one sanctions-regulation
    # document of 37 (0.958 / 0.878 before) while full TEST macro rose 0.869 -> 0.875; training
    # is deterministic, so the margin only absorbs scikit-learn version drift
    micro, macro = _f1(_with_text(test_rows)[:TEST_DOCS], model)
    assert micro >= 0.95
    assert macro >= 0.87


def test_trained_model_quality_floor_on_all_of_reuters_test(
    test_rows: list[dict[str, object]],
) -> None:
    # The figure the "the trained model must not get worse" is about: trained on all of
    # TRAIN, scored on all 3,019 TEST documents, as benchmarks/sectors.py reports it. Measured
    # 0.914 / 0.875 (#17 part 6; 0.914 / 0.872 before #17 part 5, 0.869 between parts 5 and 6).
    rows = _with_text(REUTERS.load_split("TRAIN", reuters_corpus()))
    docs = [
        LabelledDoc(str(r["id"]), str(r["title"]), str(r["text"]), tuple(r["sectors"]))  # type: ignore[arg-type]
        for r in rows
    ]
    full_model = train_sector_model(docs, taxonomy=TAXONOMY, options=TrainOptions())
    micro, macro = _f1(test_rows, full_model)
    assert micro >= 0.905
    assert macro >= 0.865


def test_zero_shot_quality_floor_on_all_of_reuters_test(test_rows: list[dict[str, object]]) -> None:
    # measured 0.879 / 0.816 on all 3,019 TEST documents (#17 part 5; 0.880 / 0.834 before
    # the modern-news terms of #17); the floor is micro 0.75. The macro margin is
    # small because Reuters maps only `trade` to sanctions-regulation (0.681 F1 here)
    micro, macro = _f1(test_rows, None)
    assert micro >= 0.86
    assert macro >= 0.81


def test_a_batch_gives_each_document_what_it_gets_alone(
    model: SectorModel, test_rows: list[dict[str, object]]
) -> None:
    # Throughput (docs/s, single process) is printed by benchmarks/sectors.py.
    rows = _with_text(test_rows)[:40]
    docs = [(str(r["title"]), str(r["text"])) for r in rows]
    batch = classify_batch(docs, taxonomy=TAXONOMY, model=model, options=OPTIONS)
    assert len(batch) == len(docs)
    for (title, text), result in zip(docs, batch, strict=True):
        alone = classify(title, text, taxonomy=TAXONOMY, model=model, options=OPTIONS)
        assert list(result.scores) == alone


def test_model_covers_reuters_sectors_and_zero_shot_covers_the_modern_ones(
    model: SectorModel,
) -> None:
    assert set(model.labels) == set(REUTERS.SECTORS)
    cases = [json.loads(line) for line in (DATA / "modern_sectors.jsonl").read_text().splitlines()]
    for case in cases:
        scores = classify(
            case["title"], case["text"], taxonomy=TAXONOMY, model=model, options=OPTIONS
        )
        labelled = {s.id for s in scores if s.labelled}
        modern = {s for s in case["sectors"] if s not in model.labels}
        assert modern <= labelled, case["id"]


def test_trained_labels_explain_with_model_terms_and_evidence(model: SectorModel) -> None:
    scores = classify(
        "SAUDI OIL OUTPUT FALLS AS OPEC CUTS",
        "Saudi Arabia's crude oil output fell to 3.5 mln barrels per day, oil industry "
        "sources said, as OPEC members kept to their production quotas.",
        taxonomy=TAXONOMY,
        model=model,
        options=OPTIONS,
    )
    top = scores[0]
    assert top.id == "oil-gas" and top.score >= 0.9
    assert top.explanation.startswith("model: ")
    assert "evidence: " in top.explanation and "OPEC" in top.explanation


def test_save_and_load_give_identical_scores(demo_model: SectorModel, tmp_path: Path) -> None:
    demo_model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "meta.json",
        "taxonomy.toml",
        "vocabulary.json",
        "weights.npz",
    ]
    loaded = load_sector_model(tmp_path / "m")
    assert loaded.labels == demo_model.labels
    docs = [
        ("GOLD OUTPUT RISES AT SOUTH AFRICAN MINES", "Gold production rose 4 pct."),
        ("FED RAISES DISCOUNT RATE", "The Federal Reserve raised its discount rate."),
    ]
    before = classify_batch(docs, taxonomy=TAXONOMY, model=demo_model, options=OPTIONS)
    after = classify_batch(docs, taxonomy=TAXONOMY, model=loaded, options=OPTIONS)
    assert before == after


def test_model_of_another_format_is_refused(demo_model: SectorModel, tmp_path: Path) -> None:
    demo_model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["format_version"] = MODEL_FORMAT_VERSION + 1
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(SectorModelError, match="format 2; this newsdesk reads format 1"):
        load_sector_model(tmp_path / "m")


def test_missing_or_damaged_model_is_refused(demo_model: SectorModel, tmp_path: Path) -> None:
    with pytest.raises(SectorModelError, match="not a sector model"):
        load_sector_model(tmp_path)
    demo_model.save(tmp_path / "m")
    (tmp_path / "m" / "weights.npz").write_bytes(b"not numpy")
    with pytest.raises(SectorModelError, match="damaged sector model"):
        load_sector_model(tmp_path / "m")


def test_non_english_document_uses_zero_shot_even_with_a_model(demo_model: SectorModel) -> None:
    result = classify_batch(
        [
            (
                "Le prix du pétrole grimpe",
                "Le baril de pétrole brut a dépassé 80 dollars après la décision des pays "
                "producteurs de réduire leur production, et le gaz naturel est aussi plus cher.",
            )
        ],
        taxonomy=TAXONOMY,
        model=demo_model,
        options=OPTIONS,
    )[0]
    assert result.language == "fr"
    assert result.labels == ("oil-gas",)
    assert not result.scores[0].explanation.startswith("model:")


def test_empty_document_gets_no_label_from_a_model(demo_model: SectorModel) -> None:
    scores = classify("", "", taxonomy=TAXONOMY, model=demo_model, options=OPTIONS)
    assert [s for s in scores if s.labelled] == []


def test_model_for_another_taxonomy_is_refused_at_classify(demo_model: SectorModel) -> None:
    small = parse_taxonomy(
        '[[sector]]\nid = "oil-gas"\nname = "Oil"\ndescription = "Oil."\n'
        '[sector.terms.en]\n"crude" = 3.0\n'
    )
    with pytest.raises(ValueError, match="taxonomy lacks"):
        classify("x", "y", taxonomy=small, model=demo_model, options=OPTIONS)


def test_training_needs_enough_examples_and_known_sectors() -> None:
    few = [LabelledDoc(str(i), "Crude oil", "Oil prices.", ("oil-gas",)) for i in range(3)]
    with pytest.raises(SectorModelError, match="nothing to train"):
        train_sector_model(few, taxonomy=TAXONOMY, options=TrainOptions())
    with pytest.raises(SectorModelError, match="unknown sectors space"):
        train_sector_model(
            [LabelledDoc("1", "a", "b", ("space",))], taxonomy=TAXONOMY, options=TrainOptions()
        )


def test_megabyte_of_html_with_a_model_is_read_only_up_to_the_cap(model: SectorModel) -> None:
    # The time for a megabyte is printed by benchmarks/hostile_inputs.py.
    paragraph = (
        "<p>Crude oil output from the refinery rose to 2 mln <b>barrels</b> per day, "
        "OPEC said.</p><script>var chips = 'gold';</script>\n"
    )
    text = paragraph * (1_000_000 // len(paragraph) + 1)
    scores = classify(
        "<h1>OPEC OUTPUT RISES</h1>", text, taxonomy=TAXONOMY, model=model, options=OPTIONS
    )
    assert {s.id for s in scores if s.labelled} == {"oil-gas"}
    assert all("<" not in s.explanation and "script" not in s.explanation for s in scores)
    read = OPTIONS.max_chars + 1000  # prepare_text strips markup from this much, then cuts
    gold = "<p>Gold miners expect record bullion output, dealers said.</p>" * 20_000
    assert (
        classify(
            "<h1>OPEC OUTPUT RISES</h1>",
            text[:read] + gold,
            taxonomy=TAXONOMY,
            model=model,
            options=OPTIONS,
        )
        == scores
    )
