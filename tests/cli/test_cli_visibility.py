"""`newsdesk sources add|set --visibility` and `newsdesk import --visibility`: who may read a
source's or an import's articles in full, stored where the access policy reads it."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Invoke

from newsdesk.config import load_settings
from newsdesk.domain.access import Visibility
from newsdesk.store import open_store


def listed(newsdesk: Invoke) -> dict[str, dict[str, object]]:
    output = newsdesk("sources", "list", "--format", "jsonl").output
    return {row["url"]: row for row in map(json.loads, output.splitlines())}


def test_sources_are_public_unless_told_and_set_changes_it(newsdesk: Invoke) -> None:
    pro = newsdesk(
        "sources", "add", "https://wire.example/feed.xml", "--kind", "feed", "--visibility", "pro"
    )
    assert pro.exit_code == 0, pro.output
    assert (
        newsdesk("sources", "add", "https://open.example/feed.xml", "--kind", "feed").exit_code == 0
    )
    rows = listed(newsdesk)
    assert rows["https://wire.example/feed.xml"]["visibility"] == "pro"
    assert rows["https://open.example/feed.xml"]["visibility"] == "public"
    open_id = rows["https://open.example/feed.xml"]["id"]
    changed = newsdesk("sources", "set", str(open_id), "--visibility", "members")
    assert changed.exit_code == 0, changed.output
    assert "visibility members" in changed.output
    assert listed(newsdesk)["https://open.example/feed.xml"]["visibility"] == "members"
    assert "visibility members" in newsdesk("sources", "list").output


def test_bad_visibility_and_unknown_sources_are_clear_errors(newsdesk: Invoke) -> None:
    assert newsdesk("init").exit_code == 0
    bad = newsdesk(
        "sources", "add", "https://wire.example/feed.xml", "--kind", "feed", "--visibility", "vip"
    )
    assert bad.exit_code != 0 and "--visibility must be public, members or pro" in bad.output
    assert listed(newsdesk) == {}
    missing = newsdesk("sources", "set", "42", "--visibility", "pro")
    assert missing.exit_code != 0 and "no such source: 42" in missing.output
    assert newsdesk("sources", "set", "42").exit_code != 0


def test_import_sets_the_visibility_of_every_article_and_again_when_unchanged(
    newsdesk: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "pieces.jsonl"
    lines = [
        {"url": f"https://house.example/{n}", "title": f"Piece {n}", "text": f"First {n}.\n\nMore."}
        for n in range(2)
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    first = newsdesk("import", str(path), "--visibility", "pro", "--format", "json")
    assert first.exit_code == 0, first.output
    assert visibilities(tmp_path) == [Visibility.PRO, Visibility.PRO]
    # The same texts again: nothing to update, but the new visibility is applied.
    again = newsdesk("import", str(path), "--visibility", "members", "--format", "json")
    assert again.exit_code == 0, again.output
    counts = json.loads(again.output.splitlines()[-1])
    assert (counts["unchanged"], counts["access_changed"]) == (2, 2)
    assert visibilities(tmp_path) == [Visibility.MEMBERS, Visibility.MEMBERS]
    same = newsdesk("import", str(path), "--visibility", "members")
    assert same.exit_code == 0, same.output
    assert "unchanged 2, failed" in same.output and "access changed" not in same.output
    moved = newsdesk("import", str(path), "--visibility", "pro")
    assert "unchanged 2 (access changed 2)" in moved.output
    refused = newsdesk("import", str(path), "--visibility", "everyone")
    assert refused.exit_code != 0 and "--visibility must be" in refused.output


def visibilities(tmp_path: Path) -> list[Visibility | None]:
    store = open_store(load_settings(data_dir=tmp_path / "data").store.sqlalchemy_url)
    try:
        return [a.visibility for a in sorted(store.list_articles(), key=lambda a: a.id or 0)]
    finally:
        store.close()
