"""File imports: HTML folder, JSONL and WARC, each streaming and reporting bad items."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.sources import ImportedPage, ImportProblem, iter_html_folder, iter_jsonl, iter_warc

ARTICLE = """<html><head><title>Saved {n}</title>
<meta property="article:published_time" content="2024-01-0{n}T10:00:00+01:00">
{canonical}</head><body><p>Story {n}</p></body></html>"""


def test_html_folder_uses_canonical_link_or_file_url(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.html").write_text(
        ARTICLE.format(n=1, canonical='<link rel="canonical" href="https://live.example/1">')
    )
    (tmp_path / "sub" / "b.htm").write_text(ARTICLE.format(n=2, canonical=""))
    (tmp_path / "sub" / "c.html").write_text(
        ARTICLE.format(n=3, canonical='<link rel="canonical" href="/relative-only">')
    )
    (tmp_path / "notes.txt").write_text("not html")
    (tmp_path / "big.html").write_bytes(b"<html>" + b"x" * 3000 + b"</html>")
    items = list(iter_html_folder(tmp_path, max_file_bytes=2000))
    problems = [i for i in items if isinstance(i, ImportProblem)]
    pages = [i for i in items if isinstance(i, ImportedPage)]
    assert [p.location for p in problems] == [str(tmp_path / "big.html")]
    assert [p.url for p in pages] == [
        "https://live.example/1",
        (tmp_path / "sub" / "b.htm").resolve().as_uri(),
        (tmp_path / "sub" / "c.html").resolve().as_uri(),
    ]
    assert pages[0].title == "Saved 1"
    assert pages[0].published == datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    assert pages[1].html is not None
    assert "Story 2" in pages[1].html


def test_jsonl_good_lines_and_numbered_problems(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "url": "https://j.example/1",
                "html": "<p>one</p>",
                "title": "One",
                "published": "2024-05-06T07:08:09Z",
            }
        ),
        "",
        "{broken json",
        json.dumps({"url": "ftp://j.example/2", "text": "x"}),
        json.dumps({"url": "https://j.example/3"}),
        json.dumps({"url": "https://j.example/4", "text": "four", "published": "someday"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"url": "https://j.example/5", "text": "five " * 100}),
        json.dumps({"url": "https://j.example/6", "text": "six\u0000", "published": "2024-05-06"}),
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_jsonl(path, max_line_bytes=300))
    assert [(i.line, i.message.split(":")[0]) for i in items if isinstance(i, ImportProblem)] == [
        (3, "invalid JSON"),
        (4, "missing or non-http(s) 'url'"),
        (5, "needs a non-empty 'html' or 'text'"),
        (6, "unreadable 'published'"),
        (7, "expected a JSON object"),
        (8, "line over 300 bytes"),
    ]
    pages = [i for i in items if isinstance(i, ImportedPage)]
    assert pages == [
        ImportedPage(
            url="https://j.example/1",
            html="<p>one</p>",
            text=None,
            title="One",
            published=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        ),
        ImportedPage(
            url="https://j.example/6",
            html=None,
            text="six",
            title=None,
            published=datetime(2024, 5, 6, tzinfo=UTC),
        ),
    ]
    assert str(items[1]) == f"{path}:3: {items[1].message}"  # type: ignore[union-attr]


def test_jsonl_gzip(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl.gz"
    record = {"url": "https://z.example/1", "text": "zipped", "title": "Z"}
    path.write_bytes(gzip.compress((json.dumps(record) + "\n").encode()))
    assert list(iter_jsonl(path)) == [
        ImportedPage(url="https://z.example/1", html=None, text="zipped", title="Z", published=None)
    ]


def write_warc(path: Path) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)

        def response(url: str, status: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )

        response(
            "https://w.example/story",
            "200 OK",
            "text/html; charset=iso-8859-1",
            "<html><head><title>Caf\u00e9 story</title></head><body>x</body></html>".encode(
                "iso-8859-1"
            ),
        )
        response("https://w.example/logo.png", "200 OK", "image/png", b"\x89PNG")
        response("https://w.example/missing", "404 Not Found", "text/html", b"<html>404</html>")
        writer.write_record(
            writer.create_warc_record(
                "https://w.example/req",
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                length=18,
            )
        )
        response("https://w.example/big", "200 OK", "text/html", b"<html>" + b"y" * 5000)


def test_warc_yields_html_responses_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    items = list(iter_warc(path, max_record_bytes=1000))
    assert len(items) == 2
    page, problem = items
    assert isinstance(page, ImportedPage)
    assert page.url == "https://w.example/story"
    assert page.title == "Caf\u00e9 story"
    assert isinstance(problem, ImportProblem)
    assert "https://w.example/big" in problem.message


def test_warc_that_is_not_a_warc_reports_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"this is not a warc file\r\n" * 10)
    (item,) = list(iter_warc(path))
    assert isinstance(item, ImportProblem)
    assert "not a readable WARC" in item.message
