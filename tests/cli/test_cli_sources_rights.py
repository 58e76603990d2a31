"""`newsdesk sources add --rights` and the rights shown by `sources list`."""

from __future__ import annotations

import json

from cli_support import Invoke


def test_rights_are_stored_and_listed(newsdesk: Invoke) -> None:
    added = newsdesk(
        "sources", "add", "https://wire.example/feed.xml", "--kind", "feed", "--rights", "full"
    )
    assert added.exit_code == 0, added.output
    default = newsdesk("sources", "add", "https://other.example/feed.xml", "--kind", "feed")
    assert default.exit_code == 0, default.output
    listed = newsdesk("sources", "list", "--format", "jsonl")
    rights = {row["url"]: row["rights"] for row in map(json.loads, listed.output.splitlines())}
    assert rights == {
        "https://wire.example/feed.xml": "full",
        "https://other.example/feed.xml": "excerpt",
    }
    table = newsdesk("sources", "list")
    assert "rights full" in table.output and "rights excerpt" in table.output


def test_unknown_rights_are_refused(newsdesk: Invoke) -> None:
    assert newsdesk("init").exit_code == 0
    result = newsdesk(
        "sources", "add", "https://wire.example/feed.xml", "--kind", "feed", "--rights", "all"
    )
    assert result.exit_code != 0
    assert "--rights must be full, excerpt or link" in result.output
    assert newsdesk("sources", "list", "--format", "jsonl").output.strip() == ""
