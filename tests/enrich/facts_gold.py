"""The facts golds (tests/enrich/data/facts_*_gold.jsonl, read by benchmarks/enrich_facts.py)
as the tests read them: each line with the body of the demo article it quotes."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "src" / "newsdesk" / "demo" / "corpus" / "articles"
DATA = ROOT / "tests" / "enrich" / "data"


def gold_with_bodies(name: str) -> list[tuple[dict[str, Any], str]]:
    """Each line of the gold file `name` and the body text of the demo article it names."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    found = []
    for line in lines:
        item = json.loads(line)
        article = tomllib.loads((CORPUS / f"{item['article']}.toml").read_text(encoding="utf-8"))
        found.append((item, article["body"]))
    return found
