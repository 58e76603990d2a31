"""The measurement contracts: `newsdesk extract` and `newsdesk classify` as others call them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli_support import Invoke

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from pipeline_pages import article_page
from pipeline_texts import COPPER, LNG


def test_extract_one_page_as_text_and_json(newsdesk: Invoke, tmp_path: Path) -> None:
    page = tmp_path / "copper.html"
    page.write_text(article_page("Kansanshi stake sold", COPPER), encoding="utf-8")
    text = newsdesk("extract", str(page))
    assert text.exit_code == 0
    assert "215,000 tonnes of copper" in text.output
    assert "Sign up for Top Insights Today" not in text.output
    as_json = json.loads(
        newsdesk("extract", str(page), "--url", "https://x.example/a", "--format", "json").output
    )
    assert as_json["title"] == "Kansanshi stake sold"
    assert {"title", "text", "authors", "published", "language", "site_name", "image"} <= set(
        as_json
    )


def test_extract_batch_contract_survives_bad_rows(newsdesk: Invoke, tmp_path: Path) -> None:
    rows = [
        {"id": "good", "url": "https://x.example/lng", "html": article_page("Qatar LNG", LNG)},
        {"id": "empty", "url": "https://x.example/e", "html": ""},
        {"id": "nohtml", "url": "https://x.example/n"},
    ]
    source = tmp_path / "pages.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    result = newsdesk("extract", "--input", str(source), "--output", str(out))
    assert result.exit_code == 0, result.output
    results = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert len(results) == 4
    assert "27-year agreement" in results["good"]["text"]
    keys = {"id", "title", "text", "authors", "published", "language", "site_name", "image"}
    assert keys <= set(results["good"])
    for bad in ("empty", "nohtml", 4):
        assert results[bad]["error"] and results[bad]["text"] == ""


def test_classify_and_train_contract(newsdesk: Invoke, tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        json.dumps(
            {
                "id": "oil",
                "title": "OPEC+ extends crude output cuts",
                "text": "Saudi Arabia and Russia will keep oil production 2 million "
                "barrels per day lower, lifting Brent crude prices.",
            }
        )
        + "\n"
        + "{broken\n",
        encoding="utf-8",
    )
    preds = tmp_path / "preds.jsonl"
    assert newsdesk("classify", "--input", str(docs), "--output", str(preds)).exit_code == 0
    rows = [json.loads(line) for line in preds.read_text().splitlines()]
    assert rows[0]["id"] == "oil"
    top = max(rows[0]["sectors"], key=lambda s: s["score"])
    assert top["id"] == "oil-gas" and top["score"] >= 0.5
    assert rows[1].get("error")

    labels = tmp_path / "labels.jsonl"
    examples = []
    for n in range(12):
        examples.append(
            {
                "id": f"o{n}",
                "title": f"Crude oil output {n}",
                "text": "OPEC crude oil barrels refinery pipeline LNG gas",
                "sectors": ["oil-gas"],
            }
        )
        examples.append(
            {
                "id": f"c{n}",
                "title": f"Copper mine {n}",
                "text": "copper mine smelter ore tonnes nickel zinc",
                "sectors": ["mining-metals"],
            }
        )
    labels.write_text("\n".join(json.dumps(e) for e in examples) + "\n", encoding="utf-8")
    model = tmp_path / "model"
    trained = newsdesk("sectors", "train", "--labels", str(labels), "--out", str(model))
    assert trained.exit_code == 0, trained.output
    with_model = newsdesk("classify", "--input", str(docs), "--model", str(model))
    assert with_model.exit_code == 0, with_model.output
    assert json.loads(with_model.stdout.splitlines()[0])["id"] == "oil"
    missing = newsdesk("classify", "--input", str(docs), "--model", str(tmp_path / "nope"))
    assert missing.exit_code == 1 and "not a sector model" in missing.output
