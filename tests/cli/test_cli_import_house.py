"""`newsdesk import PATH` with house analysis: Markdown and front-matter HTML files become the
site's own pieces (visibility, break, sectors), other pages in the folder are still extracted,
and JSONL imports work as before."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Invoke

from newsdesk.config import load_settings
from newsdesk.domain.access import Visibility
from newsdesk.domain.house import HOUSE_SOURCE_URL
from newsdesk.store import SqlStore, open_store

PIECE = """---
title: The refinery question
author: A. Analyst
sectors: [rare-earths-commodities]
published: 2026-11-30
---
Japan and Namibia agreed to explore for rare earths together.

The deal was signed by JOGMEC and Epangelo.

<!-- more -->

Zyxwv Mining will invest $321.09 million in a cobalt smelter in Namibia.
"""
PAGE = """<html><head><title>Copper outlook</title></head><body><article>
<h1>Copper outlook</h1><p>Copper prices rose in Lima as miners in Peru cut output again this
week, traders said, and smelters in China paid more for concentrate.</p>
<p>Analysts expect the deficit to widen next year as new mines are delayed.</p>
</article></body></html>"""


def store_at(tmp_path: Path) -> SqlStore:
    return open_store(load_settings(data_dir=tmp_path / "data").store.sqlalchemy_url)


def test_a_folder_of_pieces_and_pages(newsdesk: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "refinery.md").write_text(PIECE, encoding="utf-8")
    (folder / "members.html").write_text(
        "---\ntitle: For members\nvisibility: members\n---\n<p>Members text.</p>",
        encoding="utf-8",
    )
    (folder / "copper.html").write_text(PAGE, encoding="utf-8")
    result = newsdesk("import", str(folder), "--visibility", "pro", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.splitlines()[-1])
    assert report["new"] == 3 and report["failed"] == 0 and report["enriched"] == 3
    store = store_at(tmp_path)
    try:
        house = store.get_source_by_url(HOUSE_SOURCE_URL)
        assert house is not None and house.name == "newsdesk insights"
        by_title = {a.title: a for a in store.list_articles()}
        piece = by_title["The refinery question"]
        assert piece.source_id == house.id and piece.authors == ("A. Analyst",)
        assert piece.visibility is Visibility.PRO and piece.preview_paragraphs == 2
        assert by_title["For members"].visibility is Visibility.MEMBERS  # its own wins
        copper = by_title["Copper outlook"]
        assert copper.source_id != house.id and copper.visibility is Visibility.PRO
        enrichment = store.get_enrichment(piece.id or 0)
        assert enrichment is not None and enrichment.sectors
        assert store.editor_corrections([piece.id or 0])[piece.id or 0] == (
            "rare-earths-commodities",
        )
    finally:
        store.close()


def test_one_piece_and_a_broken_one(newsdesk: Invoke, tmp_path: Path) -> None:
    good = tmp_path / "refinery.md"
    good.write_text(PIECE, encoding="utf-8")
    assert newsdesk("import", str(good)).exit_code == 0
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: T\nvisibility: everyone\n---\nText.", encoding="utf-8")
    result = newsdesk("import", str(broken))
    assert result.exit_code == 0
    assert "failed 1" in result.output
    assert "broken.md: visibility must be public, members or pro" in result.output


def test_jsonl_imports_are_unchanged(newsdesk: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text(
        json.dumps({"url": "https://news.example/a", "title": "A", "text": "Alpha.\n\nBeta."})
        + "\n",
        encoding="utf-8",
    )
    result = newsdesk("import", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1])["new"] == 1
    store = store_at(tmp_path)
    try:
        assert store.get_source_by_url(HOUSE_SOURCE_URL) is None
    finally:
        store.close()
