"""What the app answers to what it cannot serve: 4xx for malformed input, 413 for bodies over
the limit (before they are read), a 500 page for its own faults; every one of them with the
security headers. On both databases: the ids that overflowed did so in the database driver."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.publish.web import SiteOptions, create_app
from newsdesk.publish.web.middleware import DEFAULT_MAX_BODY_BYTES
from newsdesk.publish.web.reader import CurrentReader
from newsdesk.store import SqlStore
from site_fixtures import ADMIN_AUTH

Build = Callable[..., tuple[Any, SqlStore, Settings]]
HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")
NON_ASCII_TOKEN = "abc.%C3%A9"  # "abc.é" once decoded
HUGE_ID = "99999999999999999999"  # beyond 64 bits


def cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def assert_headers(response: Any) -> None:
    for name in HEADERS:
        assert name in response.headers, (name, response.status_code)


@pytest.fixture(scope="module")
def client(shared_empty_site: tuple[Any, SqlStore, Settings]) -> TestClient:
    return TestClient(shared_empty_site[0], raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/unsubscribe?token={NON_ASCII_TOKEN}", 400),
        (f"/confirm?token={NON_ASCII_TOKEN}", 400),
        (f"/preferences?token={NON_ASCII_TOKEN}", 400),
        (f"/articles/{HUGE_ID}", 422),
        (f"/stories/{HUGE_ID}", 422),
        (f"/api/v1/articles/{HUGE_ID}", 422),
        (f"/api/v1/stories/{HUGE_ID}", 422),
        (f"/api/v1/articles?source={HUGE_ID}", 422),
        ("/articles/2147483648", 422),  # ids are 32-bit on PostgreSQL
        ("/search?q=copper&source=2147483648", 400),
        ("/api/v1/search?q=copper&source=99999999999", 400),
        ("/articles/0", 422),
        ("/articles/-1", 404),  # not an id (test_publish_path_ids)
        ("/facts?to=9999-12-31", 200),
        # The export is Pro's: an anonymous request is refused before its dates are read
        # (test_publish_facts_csv sends the far-future date as a Pro reader).
        ("/facts.csv?to=9999-12-31", 403),
        ("/api/v1/facts?to=9999-12-31", 200),
        ("/search?q=copper&to=9999-12-31", 200),
        ("/api/v1/search?q=copper&to=9999-12-31", 200),
        ("/api/v1/articles?cursor=" + cursor(["2026-01-01T00:00:00", 5]), 404),  # naive
        ("/api/v1/articles?cursor=" + cursor(["2026-01-01T00:00:00+00:00", 10**20]), 404),
        ("/api/v1/stories?cursor=" + cursor(["2026-01-01T00:00:00+00:00", -(10**20)]), 404),
        ("/api/v1/search?q=x&sort=date&cursor=" + cursor(["2026-01-01T00:00", 5]), 404),
        ("/facts?cursor=" + cursor(["2026-01-01T00:00:00", "k"]), 404),
        # "undated" positions exist for articles only (found by test_publish_fuzz_routes)
        ("/api/v1/stories?cursor=" + cursor([None, 0]), 404),
        ("/sectors/oil-gas?after=" + cursor([None, 0]), 404),
        # a time at the calendar's edge with an offset overflowed when bound (500)
        ("/api/v1/articles?cursor=" + cursor(["9999-12-31T23:59:59-14:00", 5]), 404),
        ("/stories?after=" + cursor(["0001-01-01T00:00:00+14:00", 5]), 404),
        ("/api/v1/facts?cursor=" + cursor(["9999-12-31T23:59:59-14:00", "k"]), 404),
    ],
)
def test_malformed_input_is_a_4xx_with_security_headers(
    client: TestClient, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert_headers(response)


def test_non_ascii_tokens_in_forms_are_refused_cleanly(client: TestClient) -> None:
    for path, data in (
        ("/confirm", {"token": "abc.é"}),
        ("/preferences", {"token": "abc.é", "sectors": "oil-gas"}),
    ):
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert_headers(response)
    response = client.post(f"/unsubscribe?token={NON_ASCII_TOKEN}")
    assert response.status_code == 400
    assert_headers(response)


def test_a_non_ascii_admin_form_token_is_a_403(empty_site: Build) -> None:
    app, store, _ = empty_site()
    from newsdesk.domain import Article

    article = store.save_article(
        Article(
            source_id=None,
            url="https://a.example/1",
            canonical_url="https://a.example/1",
            title="t",
            text="x",
        )
    )
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post(
        f"/admin/articles/{article.id}/sectors",
        data={"csrf_token": "abc.é", "sector": "oil-gas"},
        auth=ADMIN_AUTH,
    )
    assert response.status_code == 403
    assert_headers(response)
    huge = client.get(f"/admin/subscribers/{HUGE_ID}", auth=ADMIN_AUTH)
    assert huge.status_code == 422
    assert client.get(f"/admin/articles/{HUGE_ID}/sectors", auth=ADMIN_AUTH).status_code == 422


def _broken_app(store: SqlStore) -> Any:
    router = APIRouter()

    @router.get("/boom")
    def boom(token: str = "") -> None:
        raise RuntimeError("a bug in a route")

    @router.get("/api/v1/boom")
    def api_boom(_reader: CurrentReader) -> None:  # an API route counts its quota
        raise RuntimeError("a bug in an API route")

    return create_app(store, SiteOptions(), routers=[router])


def test_a_bug_is_a_logged_500_page_with_every_security_header(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    client = TestClient(_broken_app(store), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR):
        page = client.get("/boom?token=secret-link-token")
    assert page.status_code == 500
    assert "text/html" in page.headers["content-type"]
    assert "Something went wrong" in page.text and "a bug in a route" not in page.text
    assert_headers(page)
    assert "unhandled error answering GET /boom" in caplog.text
    assert "secret-link-token" not in caplog.text  # the query (tokens) is not logged
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.json() == {
        "error": "The server hit a problem answering this request. Please try again later."
    }
    assert_headers(api)


class Upload:
    """An ASGI request body sent in chunks, counting how many the app asked for."""

    def __init__(self, chunk: bytes, chunks: int) -> None:
        self.chunk, self.left, self.read = chunk, chunks, 0

    async def receive(self) -> dict[str, Any]:
        self.read += 1
        self.left -= 1
        return {"type": "http.request", "body": self.chunk, "more_body": self.left > 0}


def call(app: Any, method: str, path: str, headers: dict[str, str], upload: Upload) -> Any:
    """One request through the ASGI app; (status, headers) of its answer."""
    sent: list[dict[str, Any]] = []
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("198.51.100.7", 1234),
        "server": ("testserver", 80),
        "state": {},
    }

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await app(scope, upload.receive, send)

    asyncio.run(run())
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}


def test_a_150_mb_json_body_is_refused_on_its_declared_length_unread(empty_site: Build) -> None:
    app, _, _ = empty_site()
    upload = Upload(b"x" * 1024 * 1024, 150)
    headers = {"content-type": "application/json", "content-length": str(150 * 1024 * 1024)}
    status, answer = call(app, "POST", "/api/v1/subscribe", headers, upload)
    assert status == 413
    assert upload.read == 0
    assert "content-security-policy" in answer


@pytest.mark.parametrize("path", ["/api/v1/subscribe", "/subscribe", "/confirm"])
def test_a_streamed_body_is_cut_off_just_past_the_limit(empty_site: Build, path: str) -> None:
    app, _, _ = empty_site()
    upload = Upload(b"a=" + b"x" * (16 * 1024 - 2), 10_000)  # 160 MB, no declared length
    kind = "application/json" if path.startswith("/api") else "application/x-www-form-urlencoded"
    status, answer = call(app, "POST", path, {"content-type": kind}, upload)
    assert status == 413
    assert upload.read * 16 * 1024 <= DEFAULT_MAX_BODY_BYTES + 16 * 1024
    assert "x-content-type-options" in answer


def test_one_click_unsubscribe_reads_only_the_start_of_its_body(empty_site: Build) -> None:
    app, _, _ = empty_site()
    upload = Upload(b"List-Unsubscribe=One-Click" + b"&" * 998, 60)  # 60 KiB, within limit
    status, _ = call(app, "POST", "/unsubscribe?token=abc.def", {}, upload)
    assert status == 400  # the token is not valid; what matters is what was read
    assert upload.read == 1


def test_the_body_limit_is_a_setting(empty_site: Build) -> None:
    app, _, _ = empty_site(max_body_bytes=2048)
    client = TestClient(app, raise_server_exceptions=False)
    body = {"email": "a@example.com", "sectors": ["oil-gas"], "consent": True}
    small = client.post("/api/v1/subscribe", json=body)
    assert small.status_code == 202
    big = client.post("/api/v1/subscribe", json={**body, "entities": ["x" * 100] * 30})
    assert big.status_code == 413
    assert big.json() == {"error": "request body larger than 2048 bytes"}
    bad = client.post("/api/v1/subscribe", content=b"{}", headers={"content-length": "12x"})
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("email=%00", 422),  # PostgreSQL refuses NUL in text: found by the route fuzzer
        ("email=not-an-address", 422),
        ("email=READER@Example.com&date=9999-12-31", 422),  # the day's window would overflow
        ("email=READER@Example.com&date=0001-01-01", 422),
        ("email=READER@Example.com&date=2026-03-02&format=text", 200),  # any case finds them
        ("email=nobody@example.com", 404),
    ],
)
def test_the_digest_preview_refuses_what_it_cannot_look_up(
    empty_site: Build, query: str, status: int
) -> None:
    from newsdesk.domain.models import utcnow
    from newsdesk.domain.subscribers import Subscriber

    app, store, _ = empty_site()
    store.import_subscribers([Subscriber(email="reader@example.com")], at=utcnow())
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get(f"/admin/digest/preview?{query}", auth=ADMIN_AUTH)
    assert response.status_code == status
    assert_headers(response)


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        # Found by a site crawl posting malformed bodies: these were ": Input should be a valid
        # dictionary or object to extract fields from" and "1: JSON decode error".
        (b"{", "application/json", "body: not valid JSON at character 1 (Expecting property"),
        (b"email=a@example.com", "application/x-www-form-urlencoded", "body: expected a JSON"),
        (b"x", "text/plain", "body: expected a JSON object (Content-Type: application/json)"),
        (b"[1]", "application/json", "body: expected a JSON object"),
        (b"null", "application/json", "body: expected a JSON object"),
        (b"", "application/json", "body: required (a JSON object), none was sent"),
        (b'{"email": 1}', "application/json", "email: Input should be a valid string"),
    ],
)
def test_a_malformed_api_body_is_a_422_that_says_what_is_wrong(
    client: TestClient, content: bytes, kind: str, message: str
) -> None:
    answer = client.post("/api/v1/subscribe", content=content, headers={"content-type": kind})
    assert answer.status_code == 422
    assert set(answer.json()) == {"error"}
    assert answer.json()["error"].startswith(message)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        # A GET route and a POST route at one path: Starlette's 405 named only the first.
        ("PUT", "/signin", "GET, HEAD, POST"),
        ("DELETE", "/admin/analysis", "GET, HEAD, POST"),
        ("PATCH", "/preferences", "GET, HEAD, POST"),
        ("PUT", "/api/v1/articles", "GET, HEAD"),
        ("DELETE", "/api/v1/articles/1", "GET, HEAD"),
        ("GET", "/api/v1/subscribe", "POST"),
        ("OPTIONS", "/", "GET, HEAD"),
        ("PUT", "/static/site.css", "GET, HEAD"),
        # Methods HTTP never defined (WebDAV's, or none at all) reach the app as any other.
        ("BREW", "/", "GET, HEAD"),
        ("PROPFIND", "/api/v1/articles", "GET, HEAD"),
        ("M-SEARCH", "/signin", "GET, HEAD, POST"),
    ],
)
def test_a_405_lists_every_method_the_path_has(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    answer = client.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allow
    assert_headers(answer)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"[" * 20_000 + b"]" * 20_000, "body: not valid JSON (nested too deep)"),
        (b'{"a":' * 5_000 + b"1" + b"}" * 5_000, "body: not valid JSON (nested too deep)"),
        (b'{"email": "\xff\xfe"}', "body: not valid JSON (not UTF-8 text)"),
        (
            b'{"email": ' + b"9" * 5_000 + b"}",
            "body: not valid JSON (a number with too many digits)",
        ),
        (
            b'{"sectors": [-' + b"1" * 4_301 + b"]}",
            "body: not valid JSON (a number with too many digits)",
        ),
    ],
)
def test_a_json_body_the_parser_cannot_read_is_a_400_that_says_why(
    empty_site: Build, body: bytes, said: str
) -> None:
    app, _, _ = empty_site()
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post(
        "/api/v1/subscribe", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json() == {"error": said}
    assert_headers(response)


@pytest.mark.parametrize("method", ["BREW", "PROPFIND"])
def test_every_route_answers_an_unknown_method_with_a_405_and_its_methods(
    client: TestClient, method: str
) -> None:
    """Each path of the site (its parameters filled in) refuses a method it has no route for
    with 405 and an Allow header, never a 404, 500 or a page. (Under `newsdesk serve`,
    uvicorn's httptools parser answers 400 itself to a method it does not know, BREW say,
    before the app sees it; PROPFIND and M-SEARCH it knows and passes on.)"""
    import re

    def paths_of(routes: list[Any], prefix: str = "") -> set[str]:
        found = set()
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:  # FastAPI keeps an included router's routes inside it
                inner = prefix + route.include_context.prefix
                found |= paths_of(included.routes, inner)
            elif getattr(route, "path", ""):
                found.add(re.sub(r"\{[^}]+\}", "1", prefix + route.path))
        return found

    paths = paths_of(client.app.routes)  # type: ignore[attr-defined]
    assert len(paths) > 30
    wrong = {}
    for path in sorted(paths):
        answer = client.request(method, path)
        if answer.status_code != 405 or not answer.headers.get("allow"):
            wrong[path] = answer.status_code
        else:
            assert method not in answer.headers["allow"]
    assert wrong == {}
