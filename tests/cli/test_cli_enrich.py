"""Enrichment as a user meets it: the seed article in, entities and facts out."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Invoke

from research_data import seed_page_text


def _seed_article() -> tuple[str, str]:
    lines = [line for line in seed_page_text().splitlines() if line.strip()]
    return lines[0], "\n\n".join(lines[1:8])


def test_seed_article_yields_its_entities_and_facts(newsdesk: Invoke, tmp_path: Path) -> None:
    title, text = _seed_article()
    record = {
        "url": "https://insights.example/japan-namibia",
        "title": title,
        "text": text,
        "published": "2026-11-26T09:00:00Z",
    }
    source = tmp_path / "seed.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = newsdesk("import", str(source), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1])["enriched"] == 1

    entities = {
        e["id"]: e
        for e in map(
            json.loads, newsdesk("entities", "list", "--format", "jsonl").output.splitlines()
        )
    }
    jogmec = entities["org:jogmec"]
    assert "Japan Organization for Metals and Energy Security" in jogmec["aliases"]
    for expected in (
        "country:NA",
        "country:JP",
        "commodity:dysprosium",
        "commodity:terbium",
        "commodity:yttrium",
    ):
        assert expected in entities, expected
    assert any(e["type"] == "place" and "Lofdal" in e["name"] for e in entities.values())
    assert any(e["type"] == "person" and "Nishimura" in e["name"] for e in entities.values())

    facts = [
        json.loads(line)
        for line in newsdesk(
            "facts", "list", "--type", "agreement", "--format", "jsonl"
        ).output.splitlines()
    ]
    parties = [set(f["parties"]) for f in facts]
    assert any({"org:jogmec"} < p and any("epangelo" in x for x in p) for p in parties)
    assert any(
        "org:jogmec" in p and any("namibia-critical-metals" in x for x in p) for p in parties
    )
    assert all(f["sentence"] and f["article_ids"] == [1] for f in facts)

    (article,) = [
        json.loads(line)
        for line in newsdesk("articles", "list", "--format", "jsonl").output.splitlines()
    ]
    assert "rare-earths-commodities" in {s["id"] for s in article["sectors"]}


def test_enrich_is_idempotent_and_all_redoes(newsdesk: Invoke, tmp_path: Path) -> None:
    title, text = _seed_article()
    source = tmp_path / "seed.jsonl"
    source.write_text(
        json.dumps({"url": "https://x.example/a", "title": title, "text": text}) + "\n"
    )
    newsdesk("import", str(source))
    assert "enriched 0 articles" in newsdesk("enrich").output
    assert "enriched 1 articles" in newsdesk("enrich", "--all").output
    assert len(newsdesk("facts", "list", "--format", "jsonl").output.splitlines()) >= 3
