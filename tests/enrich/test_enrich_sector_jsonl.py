"""JSON-lines edges: the classify contract, training files and editor corrections."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from newsdesk.enrich import (
    ClassifyOptions,
    LabelledDoc,
    SectorModelError,
    TrainOptions,
    append_corrections,
    classify_jsonl,
    iter_lines,
    load_sector_model,
    load_taxonomy,
    read_labelled,
    train_from_jsonl,
)

TAXONOMY = load_taxonomy()

OIL = (
    "Oil prices jump as OPEC cuts output",
    "Crude oil rose 3% after OPEC cut production "
    "by one million barrels per day; refinery margins widened.",
)
GOLD = (
    "Gold miner expands mine",
    "The gold miner will double output at its copper and gold mine, adding a second smelter.",
)
WHEAT = (
    "Wheat crop forecast lowered",
    "The agriculture department cut its wheat harvest "
    "forecast as drought hit farmers; corn and soybean crops were also smaller.",
)
BANK = (
    "Central bank raises interest rates",
    "The central bank raised interest rates by half "
    "a point to fight inflation, and the currency rose against the dollar.",
)


def _labelled_lines(copies: int) -> list[str]:
    rows = []
    for i in range(copies):
        for (title, text), sectors in (
            (OIL, ["oil-gas"]),
            (GOLD, ["mining-metals"]),
            (WHEAT, ["rare-earths-commodities"]),
            (BANK, ["business-politics"]),
        ):
            rows.append(
                json.dumps(
                    {
                        "id": f"{sectors[0]}-{i}",
                        "title": title,
                        "text": f"{text} Item {i}.",
                        "sectors": sectors,
                    }
                )
            )
    return rows


def test_classify_jsonl_writes_one_row_per_line_and_survives_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "title": OIL[0], "text": OIL[1]}),
        "{not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "b", "title": 5, "text": "x"}),
        json.dumps({"id": 7, "title": "", "text": None}),
        json.dumps({"id": "c", "title": BANK[0], "text": BANK[1]}),
    ]
    out = io.StringIO()
    run = classify_jsonl(lines, out, taxonomy=TAXONOMY, model=None, options=ClassifyOptions())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (run.documents, run.errors) == (6, 3)
    assert [r["id"] for r in rows] == ["a", None, None, "b", 7, "c"]
    assert rows[1]["error"].startswith("not JSON") and rows[1]["sectors"] == []
    assert rows[2]["error"] == "a line must be a JSON object"
    assert rows[3]["error"] == "title and text must be strings"
    assert rows[4] == {"id": 7, "language": None, "sectors": []}
    first = rows[0]["sectors"][0]
    assert set(first) == {"id", "score", "explanation"}
    assert first["id"] == "oil-gas" and first["score"] >= 0.5 and "OPEC" in first["explanation"]
    assert [s["id"] for s in rows[5]["sectors"] if s["score"] >= 0.5] == ["business-politics"]
    assert rows[0]["language"] == "en"


def test_classify_jsonl_batches_large_inputs_in_order() -> None:
    lines = [json.dumps({"id": i, "title": OIL[0], "text": OIL[1]}) for i in range(600)]
    out = io.StringIO()
    run = classify_jsonl(iter(lines), out, taxonomy=TAXONOMY, model=None, options=ClassifyOptions())
    assert run.documents == 600
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == list(range(600))


def test_train_from_jsonl_saves_a_model_that_classifies(tmp_path: Path) -> None:
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(_labelled_lines(12)) + "\n", encoding="utf-8")
    model = train_from_jsonl(
        labels,
        tmp_path / "model",
        taxonomy=TAXONOMY,
        options=TrainOptions(min_examples=5, min_df=1),
    )
    assert set(model.labels) == {
        "oil-gas",
        "mining-metals",
        "rare-earths-commodities",
        "business-politics",
    }
    loaded = load_sector_model(tmp_path / "model")
    inputs = tmp_path / "docs.jsonl"
    inputs.write_text(
        json.dumps(
            {
                "id": "x",
                "title": "OPEC output cut lifts crude",
                "text": "Crude oil barrels refinery.",
            }
        )
        + "\n"
    )
    out = io.StringIO()
    classify_jsonl(
        iter_lines(inputs), out, taxonomy=TAXONOMY, model=loaded, options=ClassifyOptions()
    )
    row = json.loads(out.getvalue())
    assert [s["id"] for s in row["sectors"] if s["score"] >= 0.5] == ["oil-gas"]


def test_corrections_become_training_examples_and_replace_earlier_labels(
    tmp_path: Path,
) -> None:
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(_labelled_lines(2)) + "\n", encoding="utf-8")
    correction = LabelledDoc("oil-gas-0", OIL[0], OIL[1], ("oil-gas", "business-politics"))
    assert append_corrections(labels, [correction]) == 1
    examples = read_labelled(labels, taxonomy=TAXONOMY)
    assert len(examples) == 8
    assert examples[-1] == correction


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{oops", "labels.jsonl:2: not JSON"),
        (
            json.dumps({"id": "1", "title": "t", "text": "x", "sectors": ["space"]}),
            "labels.jsonl:2: unknown sectors space",
        ),
        (
            json.dumps({"id": "1", "title": "t", "text": "x", "sectors": "oil-gas"}),
            "sectors must be a list",
        ),
        (json.dumps({"title": "t", "text": "x", "sectors": []}), "needs an id"),
    ],
)
def test_bad_training_lines_are_reported_with_their_line(
    tmp_path: Path, line: str, message: str
) -> None:
    labels = tmp_path / "labels.jsonl"
    labels.write_text(_labelled_lines(1)[0] + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SectorModelError, match=message):
        read_labelled(labels, taxonomy=TAXONOMY)


def test_missing_training_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SectorModelError, match="cannot read training file"):
        read_labelled(tmp_path / "none.jsonl", taxonomy=TAXONOMY)
