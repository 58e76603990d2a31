"""Hostile arguments to the operator's commands: each is refused in one line starting
`error:`, with exit status 1 or 2 (click's usage errors), and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import Invoke

HUGE = "9" * 30  # beyond SQLite's 64-bit integers

TOO_LARGE = [
    ("sources", "set", HUGE, "--visibility", "pro"),
    ("sources", "remove", HUGE),
    ("alerts", "remove", HUGE),
    ("alerts", "rotate-secret", HUGE),
    ("sectors", "correct", HUGE, "--none"),
    ("articles", "list", "--source", HUGE),
    ("articles", "list", "--limit", HUGE),
    ("entities", "list", "--article", HUGE),
    ("entities", "list", "--limit", HUGE),
    ("facts", "list", "--limit", HUGE),
    ("ingest", "--source", HUGE),
    ("sources", "add", "https://example.com/feed.xml", "--kind", "feed", "--interval", HUGE),
]


def _refused(result: object, *, code: int = 1) -> list[str]:
    exit_code = getattr(result, "exit_code", None)
    output: str = getattr(result, "output", "")
    assert exit_code == code, output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("error: ")
    return lines


@pytest.fixture
def initialised(newsdesk: Invoke) -> Invoke:
    assert newsdesk("init").exit_code == 0
    return newsdesk


@pytest.mark.parametrize("command", TOO_LARGE, ids=" ".join)
def test_an_id_or_limit_too_large_for_the_database_is_one_line(
    command: tuple[str, ...], initialised: Invoke
) -> None:
    [line] = _refused(initialised(*command))
    assert "a number is too large" in line


def test_a_source_id_in_other_digits_is_looked_up_as_a_url(initialised: Invoke) -> None:
    assert _refused(initialised("sources", "remove", "²")) == ["error: no such source: ²"]


@pytest.mark.parametrize(
    "command", [("sources", "export", "--output"), ("sectors", "corrections", "--out")]
)
def test_writing_to_a_missing_folder_or_a_folder_is_one_line(
    command: tuple[str, ...], initialised: Invoke, tmp_path: Path
) -> None:
    [line] = _refused(initialised(*command, str(tmp_path / "missing" / "out.txt")))
    assert "No such file or directory" in line


def test_exporting_sources_to_a_folder_is_one_line(initialised: Invoke, tmp_path: Path) -> None:
    [line] = _refused(initialised("sources", "export", "--output", str(tmp_path)))
    assert "Is a directory" in line


UNKNOWN_FORMAT = [
    (("sources", "list"), "table or jsonl"),
    (("articles", "list"), "table or jsonl"),
    (("entities", "list"), "table or jsonl"),
    (("facts", "list"), "table or jsonl"),
    (("config", "show"), "table or json"),
    (("ingest", "--once"), "text or json"),
    (("digest", "send"), "text or json"),
    (("demo", "--no-serve"), "text or json"),
    (("extract", "page.html"), "text or json"),
]


@pytest.mark.parametrize(("command", "formats"), UNKNOWN_FORMAT, ids=" ".join)
def test_an_unknown_format_is_refused_rather_than_ignored(
    command: tuple[str, ...], formats: str, initialised: Invoke
) -> None:
    assert _refused(initialised(*command, "--format", "xml")) == [
        f"error: --format must be {formats}, not 'xml'"
    ]


def test_import_refuses_an_unknown_format_before_importing(
    initialised: Invoke, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text("<html><body><p>hello</p></body></html>")
    assert _refused(initialised("import", str(pages), "--format", "xml")) == [
        "error: --format must be text or json, not 'xml'"
    ]


def test_an_unknown_fact_type_is_refused_rather_than_listing_nothing(initialised: Invoke) -> None:
    assert _refused(initialised("facts", "list", "--type", "bogus")) == [
        "error: --type must be one of agreement, investment, quantity, policy"
    ]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://", "needs a host"),
        ("http://:80/", "needs a host"),
        ("http://exa mple.com/feed", "invalid host name"),
        ("http://exa\x00mple.com/feed", "invalid host name"),
        ("http://[zz]/feed", "cannot parse"),
        ("http://127.0.0.1/feed", "127.0.0.1 is not a public address"),
        ("http://169.254.169.254/latest", "is not a public address"),
        ("http://localhost:8080/feed", "localhost is loopback"),
    ],
)
def test_a_source_added_with_its_kind_is_checked_as_the_fetcher_checks_it(
    url: str, problem: str, initialised: Invoke
) -> None:
    [line] = _refused(initialised("sources", "add", url, "--kind", "feed"))
    assert problem in line
    assert "no sources yet" in initialised("sources", "list").output


def test_a_private_source_on_the_allow_list_may_be_added_with_its_kind(
    initialised: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_HOSTS", "127.0.0.1:8080")
    added = initialised("sources", "add", "http://127.0.0.1:8080/feed", "--kind", "feed")
    assert added.exit_code == 0, added.output


@pytest.mark.parametrize("weight", ["inf", "nan"])
def test_a_source_weight_must_be_a_finite_number(weight: str, initialised: Invoke) -> None:
    result = initialised(
        "sources", "add", "https://example.com/feed.xml", "--kind", "feed", "--weight", weight
    )
    assert result.exit_code in (1, 2), result.output
    assert "--weight" in result.output
    assert "Traceback" not in result.output


def test_opml_import_refuses_feeds_the_fetcher_would_refuse(
    initialised: Invoke, tmp_path: Path
) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="Good" xmlUrl="https://a.example/feed.xml"/>'
        '<outline text="Twice" xmlUrl="https://a.example/feed.xml"/>'
        '<outline xmlUrl="javascript:alert(1)"/>'
        '<outline xmlUrl="http://127.0.0.1/feed"/>'
        '<outline xmlUrl="https://"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = initialised("sources", "import", str(opml))
    assert result.exit_code == 0, result.output
    assert "imported 1 sources, skipped 4" in result.output
    assert "127.0.0.1 is not a public address" in result.output
    assert "needs a host" in result.output
    listed = initialised("sources", "list", "--format", "jsonl").output.splitlines()
    assert len(listed) == 1
    assert '"url": "https://a.example/feed.xml"' in listed[0]
