"""The batch contract: one result line per input line, errors as rows, never a crash."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from newsdesk.domain import ExtractionError
from newsdesk.extract import ExtractOptions
from newsdesk.extract.batch import BatchSummary, extract_file, extract_jsonl, extract_page_file

PARAGRAPH = (
    "The cable operator said on Monday it would lay a new subsea link between the two islands, "
    "doubling capacity by 2027 and cutting the outage risk that storms bring every winter."
)
GOOD_PAGE = (
    '<html lang="en"><head><title>Subsea cable planned | Wire Daily</title>'
    '<meta property="og:site_name" content="Wire Daily">'
    '<meta property="article:published_time" content="2024-05-06T07:00:00Z"></head><body>'
    "<article><h1>Subsea cable planned</h1>"
    + f"<p>{PARAGRAPH}</p>" * 4
    + "</article></body></html>"
)
RESULT_FIELDS = {"id", "title", "text", "authors", "published", "language", "site_name", "image"}


def _run(lines: list[str], options: ExtractOptions) -> tuple[list[dict[str, object]], BatchSummary]:
    output = io.StringIO()
    summary = extract_jsonl(lines, output, options=options)
    rows = [json.loads(line) for line in output.getvalue().splitlines()]
    return rows, summary


def test_batch_contract_with_good_bad_and_hostile_lines() -> None:
    deep = "<html><body>" + "<div>" * 10_000 + PARAGRAPH + "</div>" * 10_000 + "</body></html>"
    huge_attribute = GOOD_PAGE.replace("<article>", '<article title="' + "x" * 5_000_000 + '">')
    lines = [
        json.dumps({"id": "good", "url": "https://wire.example/cable", "html": GOOD_PAGE}),
        "{not json",
        json.dumps({"id": 7, "url": "https://wire.example/empty", "html": ""}),
        json.dumps({"url": "https://wire.example/no-id", "html": "<html><body></body></html>"}),
        json.dumps({"id": "no-html", "url": "https://wire.example/x"}),
        "",
        json.dumps({"id": "deep", "url": None, "html": deep}),
        json.dumps({"id": "attr", "html": huge_attribute}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "good-again", "html": GOOD_PAGE}),
    ]
    rows, summary = _run(lines, ExtractOptions())
    assert [row["id"] for row in rows] == [
        "good",
        2,
        7,
        4,
        "no-html",
        "deep",
        "attr",
        9,
        "good-again",
    ]
    for row in rows:
        assert set(row) >= RESULT_FIELDS
    by_id = {row["id"]: row for row in rows}
    good = by_id["good"]
    assert "error" not in good
    assert good["title"] == "Subsea cable planned"
    assert good["site_name"] == "Wire Daily"
    assert good["language"] == "en"
    assert str(good["published"]).startswith("2024-05-06T07:00:00")
    assert PARAGRAPH in str(good["text"])
    for failed in (2, 7, 4, "no-html", 9):
        assert by_id[failed]["error"] and by_id[failed]["text"] == ""
    assert "error" not in by_id["good-again"]
    assert summary.pages == 9
    assert summary.errors == sum("error" in row for row in rows)
    assert summary.extracted == summary.pages - summary.errors


def test_a_page_over_its_deadline_becomes_an_error_row_and_the_batch_goes_on() -> None:
    # Parsing 5 MB of attribute alone takes far longer than the 20 ms deadline (the figure:
    # benchmarks/hostile_inputs.py).
    slow = GOOD_PAGE.replace("<article>", '<article title="' + "x" * 5_000_000 + '">')
    lines = [
        json.dumps({"id": "slow", "html": slow}),
        json.dumps({"id": "after", "html": GOOD_PAGE}),
    ]
    rows, summary = _run(lines, ExtractOptions(page_timeout_seconds=0.02))
    assert rows[0]["id"] == "slow" and "timed out" in str(rows[0]["error"])
    assert "readability fallback" in str(rows[0]["error"])
    assert "worker_failed" not in rows[0]
    assert rows[1]["id"] == "after"
    assert summary.pages == 2


def test_extract_file_reads_saved_bytes(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(GOOD_PAGE.replace("<head>", '<head><meta charset="utf-8">').encode())
    article = extract_file(page, url="https://wire.example/cable", options=ExtractOptions())
    assert article.title == "Subsea cable planned"
    assert PARAGRAPH in article.text
    record = extract_page_file(page, url="https://wire.example/cable", options=ExtractOptions())
    assert set(record) >= RESULT_FIELDS
    assert record["id"] == "page.html" and record["extractor"] == "trafilatura-precision"
    assert record["canonical_url"] == "https://wire.example/cable"
    json.dumps(record)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Home</nav></body></html>")
    with pytest.raises(ExtractionError):
        extract_page_file(empty, url=None, options=ExtractOptions())
