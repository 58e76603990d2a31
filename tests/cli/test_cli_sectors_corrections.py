"""Editor corrections from the command line: set, survive re-enrichment, export, train."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Invoke

BATTERY_URL = "https://insights.example/battery-plant"
ARTICLES = [
    {
        "url": BATTERY_URL,
        "title": "Carmaker opens battery cell plant",
        "text": "The plant will make lithium-ion battery cells for electric vehicles, "
        "with 40 GWh of annual capacity from 2027.",
    },
    {
        "url": "https://insights.example/opec",
        "title": "OPEC+ extends crude output cuts",
        "text": "Saudi Arabia and Russia will keep oil production 2 million barrels per day "
        "lower, lifting Brent crude prices.",
    },
]


def _import(newsdesk: Invoke, tmp_path: Path) -> dict[str, int]:
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    result = newsdesk("import", str(source))
    assert result.exit_code == 0, result.output
    return {a["url"]: a["id"] for a in _articles(newsdesk)}


def _articles(newsdesk: Invoke) -> list[dict[str, object]]:
    listed = newsdesk("articles", "list", "--format", "jsonl")
    assert listed.exit_code == 0, listed.output
    return [json.loads(line) for line in listed.stdout.splitlines()]


def _sectors_of(newsdesk: Invoke, article_id: int) -> list[tuple[str, bool]]:
    (article,) = [a for a in _articles(newsdesk) if a["id"] == article_id]
    return [(s["id"], s["by_editor"]) for s in article["sectors"]]  # type: ignore[attr-defined]


def test_correction_replaces_labels_and_survives_enrich_all(
    newsdesk: Invoke, tmp_path: Path
) -> None:
    ids = _import(newsdesk, tmp_path)
    oil = ids["https://insights.example/opec"]
    assert ("oil-gas", False) in _sectors_of(newsdesk, oil)

    done = newsdesk("sectors", "correct", str(oil), "oil-gas", "sanctions-regulation")
    assert done.exit_code == 0, done.output
    expected = [("oil-gas", True), ("sanctions-regulation", True)]
    assert sorted(_sectors_of(newsdesk, oil)) == expected
    assert "enriched 2 articles" in newsdesk("enrich", "--all").output
    assert sorted(_sectors_of(newsdesk, oil)) == expected

    assert newsdesk("sectors", "correct", str(oil), "--none").exit_code == 0
    assert newsdesk("enrich", "--all").exit_code == 0
    assert _sectors_of(newsdesk, oil) == []

    assert newsdesk("sectors", "correct", str(oil), "--withdraw").exit_code == 0
    assert ("oil-gas", False) in _sectors_of(newsdesk, oil)


def test_correct_refuses_bad_requests(newsdesk: Invoke, tmp_path: Path) -> None:
    ids = _import(newsdesk, tmp_path)
    oil = str(ids["https://insights.example/opec"])
    unknown = newsdesk("sectors", "correct", oil, "shipping")
    assert unknown.exit_code == 1 and "unknown sectors shipping" in unknown.output
    both = newsdesk("sectors", "correct", oil, "oil-gas", "--none")
    assert both.exit_code == 1 and "exactly one" in both.output
    neither = newsdesk("sectors", "correct", oil)
    assert neither.exit_code == 1
    missing = newsdesk("sectors", "correct", "9999", "oil-gas")
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert [s for s, by_editor in _sectors_of(newsdesk, int(oil)) if by_editor] == []


def test_corrections_export_as_training_lines(newsdesk: Invoke, tmp_path: Path) -> None:
    ids = _import(newsdesk, tmp_path)
    assert newsdesk("sectors", "corrections").stdout == ""
    newsdesk("sectors", "correct", str(ids[BATTERY_URL]), "evs-battery-tech")
    newsdesk("sectors", "correct", str(ids["https://insights.example/opec"]), "--none")

    lines = [json.loads(line) for line in newsdesk("sectors", "corrections").stdout.splitlines()]
    assert lines == [
        {**{k: ARTICLES[0][k] for k in ("title", "text")}, "id": BATTERY_URL,
         "sectors": ["evs-battery-tech"]},
        {**{k: ARTICLES[1][k] for k in ("title", "text")}, "id": ARTICLES[1]["url"],
         "sectors": []},
    ]  # fmt: skip
    out = tmp_path / "corrections.jsonl"
    written = newsdesk("sectors", "corrections", "--out", str(out))
    assert written.exit_code == 0 and "2 corrections written" in written.output
    assert [json.loads(line) for line in out.read_text().splitlines()] == lines


def _labels_file(path: Path, *, battery_examples: int) -> None:
    """Oil and copper examples, a few battery ones, and the battery article labelled oil-gas."""
    rows = []
    for n in range(12):
        rows.append(
            {
                "id": f"o{n}",
                "title": f"Crude oil output {n}",
                "text": "OPEC crude oil barrels refinery pipeline LNG gas",
                "sectors": ["oil-gas"],
            }
        )
        rows.append(
            {
                "id": f"c{n}",
                "title": f"Copper mine {n}",
                "text": "copper mine smelter ore tonnes nickel zinc",
                "sectors": ["mining-metals"],
            }
        )
    rows += [
        {
            "id": f"b{n}",
            "title": f"Battery gigafactory {n}",
            "text": "lithium-ion battery cells electric vehicles cathode GWh",
            "sectors": ["evs-battery-tech"],
        }
        for n in range(battery_examples)
    ]
    rows.append({**ARTICLES[0], "id": BATTERY_URL, "sectors": ["oil-gas"]})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _model_labels(model: Path) -> list[str]:
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    return list(meta["labels"])


def test_corrections_feed_training_and_win_over_the_file(newsdesk: Invoke, tmp_path: Path) -> None:
    ids = _import(newsdesk, tmp_path)
    labels = tmp_path / "labels.jsonl"
    # nine battery examples: one short of what a sector needs to be trained (TrainOptions)
    _labels_file(labels, battery_examples=9)
    newsdesk("sectors", "correct", str(ids[BATTERY_URL]), "evs-battery-tech")

    plain = tmp_path / "plain"
    assert newsdesk("sectors", "train", "--labels", str(labels), "--out", str(plain)).exit_code == 0
    assert "evs-battery-tech" not in _model_labels(plain)

    corrected = tmp_path / "corrected"
    trained = newsdesk(
        "sectors", "train", "--labels", str(labels), "--out", str(corrected), "--with-corrections"
    )
    assert trained.exit_code == 0, trained.output
    assert "1 editor corrections included" in trained.output
    # the correction replaced the file's oil-gas line for that article: ten battery positives
    assert "evs-battery-tech" in _model_labels(corrected)
    meta = json.loads((corrected / "meta.json").read_text(encoding="utf-8"))
    assert meta["examples"] == 12 + 12 + 9 + 1

    exported = tmp_path / "exported.jsonl"
    newsdesk("sectors", "corrections", "--out", str(exported))
    combined = tmp_path / "combined.jsonl"
    combined.write_text(labels.read_text() + exported.read_text(), encoding="utf-8")
    from_file = tmp_path / "from-file"
    assert (
        newsdesk("sectors", "train", "--labels", str(combined), "--out", str(from_file)).exit_code
        == 0
    )
    assert "evs-battery-tech" in _model_labels(from_file)
