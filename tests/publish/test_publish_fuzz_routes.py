"""Every route of the app, found from the app itself (the site, the JSON API, deliver's pages
and forms, the admin pages with credentials), driven with generated path parameters, query
strings and form and JSON bodies: huge and negative ids, non-ASCII and broken tokens, naive
datetimes in cursors, 9999-12-31, lone and invalid percent escapes. Nothing may answer 5xx,
and every answer carries the security headers. On both databases (overflows happen there).

Bounded: a fixed number of examples per test, no deadline; derandomized when CI is set.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.config import Settings
from newsdesk.deliver.links import confirm_token, links_for
from newsdesk.domain import Article, Source
from newsdesk.domain.enrichment import (
    Enrichment,
    EntityRecord,
    FactRecord,
    MentionRecord,
    SectorLabel,
)
from newsdesk.domain.subscribers import Subscriber
from newsdesk.publish.web.app import app_routes
from newsdesk.publish.web.routes.admin_sectors import form_name
from newsdesk.publish.web.security import csrf_token
from newsdesk.store import SqlStore
from site_fixtures import ADMIN_PASSWORD

FUZZ = settings(
    max_examples=int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")
BASIC = "Basic " + base64.b64encode(f"admin:{ADMIN_PASSWORD}".encode()).decode()


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


# Values written as they would appear in a URL (already escaped where escaping matters).
RAW_VALUES = [
    "",
    "0",
    "-1",
    "1",
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "0x10",
    quote("١٢٣"),  # Arabic-Indic digits: int() reads them, a database would not
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01T25:61",
    "abc.%C3%A9",
    "%FF",
    "%C3",
    "%00",
    "%ZZ",
    "%",
    "%2e%2e%2f",
    "..",
    "a" * 3000,
    "null",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "relevance",
    "date",
    "html",
    "text",
    "json",
    "xml",
    "atom",
    "oil-gas",
    "commodity:copper",
    "country:CL",
    "quantity",
    "12",
    "52",
    _cursor(["2026-01-01T00:00:00", 5]),  # naive datetime
    _cursor(["2026-01-01T00:00:00+00:00", 10**20]),
    _cursor(["9999-12-31T23:59:59+00:00", 1]),
    _cursor([None, -(2**63)]),
    _cursor([1e308, "x" * 300]),
    _cursor(["2026-01-01T00:00:00+00:00", "k"]),
    _cursor({"o": 10**12}),
    _cursor({"o": -1}),
    _cursor([[1], {}]),
    "!!!not-base64!!!",
]
NAMES = ["cursor", "limit", "token", "from", "to", "next", "q", "sort", "page", "after", "date"]


def _text() -> st.SearchStrategy[str]:
    return st.text(max_size=60).map(lambda text: quote(text, safe=""))


@dataclass(frozen=True)
class Target:
    method: str
    path: str  # with {params}
    path_params: tuple[str, ...]
    query: tuple[str, ...]
    form: tuple[str, ...]
    json_body: bool


def discover(app: Any) -> list[Target]:
    return [
        Target(
            method=method,
            path=route.path,
            path_params=tuple(p.alias for p in route.dependant.path_params),
            query=tuple(p.alias for p in route.dependant.query_params),
            form=tuple(
                p.alias
                for p in route.dependant.body_params
                if type(p.field_info).__name__ == "Form"
            ),
            json_body=any(
                type(p.field_info).__name__ == "Body" for p in route.dependant.body_params
            ),
        )
        for route in app_routes(app.routes)
        for method in sorted(route.methods)
    ]


@pytest.fixture(scope="module")
def fuzz_site(
    shared_empty_site: tuple[Any, SqlStore, Settings],
) -> tuple[Any, list[Target], list[str]]:
    """The app over a few rows (an enriched article in a story, a subscriber), its routes,
    and tokens that are valid, so generated forms also get past the token check."""
    app, store, settings = shared_empty_site
    source = store.add_source(Source(url="https://wire.example/feed.xml", name="Wire"))
    article = store.save_article(
        Article(
            source_id=source.id,
            url="https://wire.example/a",
            canonical_url="https://wire.example/a",
            title="Chile copper deal",
            text="Codelco signed a copper supply deal with Chile. " * 5,
        )
    )
    assert article.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=article.id,
            version="fuzz",
            summary="Codelco signed a copper deal.",
            sectors=(SectorLabel("oil-gas", 0.9, "fuzz"),),
            entities=(EntityRecord("commodity:copper", "copper", "commodity"),),
            mentions=(MentionRecord("commodity:copper", "copper", 0, 6),),
            facts=(FactRecord("f1", "agreement", {"parties": ["commodity:copper"]}, "A deal."),),
        )
    )
    store.import_subscribers(
        [Subscriber(email="reader@example.com", sectors=("oil-gas",))], at=article.created_at
    ) if article.created_at else None
    subscriber = store.get_subscriber_by_email("reader@example.com")
    assert subscriber is not None and subscriber.id is not None
    secret = settings.security.secret_key.get_secret_value()
    links = links_for(
        settings.site.base_url,
        secret,
        subscriber.id,
        settings.mail.sender,
        version=subscriber.token_version,
    )
    tokens = [
        unquote(links.preferences.split("token=", 1)[1]),
        unquote(links.unsubscribe.split("token=", 1)[1]),
        confirm_token(secret, subscriber.id, "nonce"),
        csrf_token(app.state.site.options, form_name(article.id)),
        str(article.id),
        str(article.story_id),
        str(subscriber.id),
        "reader@example.com",
        "READER@Example.com",
    ]
    targets = discover(app)
    paths = {t.path for t in targets}
    # The walk found the site, the API, deliver's forms and the admin pages.
    for expected in ("/", "/api/v1/articles", "/preferences", "/admin/subscribers/{subscriber_id}"):
        assert expected in paths, sorted(paths)
    assert len(targets) >= 40
    return app, targets, tokens


@functools.cache
def _mutated(tokens: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A valid token with something inserted, cut off or swapped: non-ASCII, dots, padding."""

    def mutate(token: str, insert: str, at: float, cut: bool) -> str:
        position = int(len(token) * at)
        changed = token[:position] + insert + ("" if cut else token[position:])
        return quote(changed, safe="")

    return st.builds(
        mutate,
        st.sampled_from(tokens),
        st.one_of(st.text(max_size=4), st.sampled_from([".", "é", "=", "..", "\x00", "%"])),
        st.floats(min_value=0.0, max_value=1.0),
        st.booleans(),
    )


DATES = st.one_of(
    st.sampled_from(["9999-12-31", "0001-01-01"]),  # the edges of what Python can hold
    st.sampled_from(["1970-01-01", "2026-02-29", "9999-12-31T23:59", "2026-1-1"]),
    st.dates().map(lambda day: day.isoformat()),
)
CURSORS = st.builds(
    lambda key, ident: _cursor([key, ident]),
    st.one_of(st.none(), st.datetimes().map(lambda moment: moment.isoformat()), st.floats()),
    st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=10)),
)


@functools.cache
def _value_for(name: str, tokens: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Values for a parameter, leaning to what its name suggests (dates, cursors, tokens)."""
    if name in {"from", "to", "date", "after"}:
        return st.one_of(DATES, DATES, DATES, _value(tokens))
    if name == "cursor":
        return st.one_of(CURSORS, CURSORS, _value(tokens))
    if name in {"token", "csrf_token"}:
        return st.one_of(_mutated(tokens), _mutated(tokens), _value(tokens))
    return _value(tokens)


@functools.cache
def _value(tokens: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(RAW_VALUES),
        _mutated(tokens),
        st.tuples(_text(), _text()).map(".".join),  # token-shaped
        st.sampled_from([quote(t, safe="") for t in tokens]),
        _text(),
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
    )


def call(app: Any, method: str, raw_path: str, query: str, headers: dict[str, str], body: bytes):  # type: ignore[no-untyped-def]
    """One request as uvicorn hands it to the app: path percent-decoded, query as sent."""
    sent: list[dict[str, Any]] = []
    chunks = [body]

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": chunks.pop() if chunks else b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode("ascii"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-length", str(len(body)).encode()),
            *((k.encode(), v.encode("latin-1")) for k, v in headers.items()),
        ],
        "client": ("198.51.100.77", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode().lower() for k, _ in start["headers"]}


@st.composite
def requests(draw: st.DrawFn, target: Target, tokens: tuple[str, ...]) -> tuple[Any, ...]:
    value = _value(tokens)
    path = target.path
    for name in target.path_params:
        part = draw(st.one_of(value, st.sampled_from(["1", "xml", "json", "atom"])))
        path = path.replace("{" + name + "}", part.replace("/", "%2F").replace("?", "%3F") or "x")
    own = list(target.query) or NAMES
    names = draw(st.lists(st.sampled_from(own * 4 + NAMES), max_size=5))
    query = "&".join(f"{quote(name)}={draw(_value_for(name, tokens))}" for name in names)
    headers: dict[str, str] = {}
    if path.startswith("/admin") and draw(st.integers(0, 9)) > 0:
        headers["authorization"] = BASIC
    body = b""
    if target.form:
        fields = draw(st.lists(st.sampled_from(target.form), max_size=8))
        body = "&".join(f"{name}={draw(_value_for(name, tokens))}" for name in fields)
        body = body.encode("latin-1")
        headers["content-type"] = draw(
            st.sampled_from(
                ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]
            )
        )
    elif target.json_body:
        document = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "email": st.one_of(st.text(max_size=40), st.integers(), st.none()),
                    "sectors": st.lists(st.text(max_size=20), max_size=5) | st.text(max_size=5),
                    "consent": st.booleans() | st.text(max_size=5),
                    "entities": st.lists(st.text(max_size=20), max_size=5),
                },
            )
        )
        raw = json.dumps(document).encode()
        body = draw(st.sampled_from([raw, raw[:-1], b"\xff\xfe", b"[]", b"null"]))
        headers["content-type"] = "application/json"
    if target.method == "POST" and draw(st.booleans()):
        headers["origin"] = draw(st.sampled_from(["http://127.0.0.1:8000", "null", "https://e.x"]))
    return target.method, path, query, headers, body


def _targets() -> list[str]:
    """method and path of every route, for test ids (the app is built per backend later)."""
    from newsdesk.bootstrap import build_site
    from newsdesk.store import open_store

    store = open_store("sqlite://", migrate=False)
    try:
        settings = Settings(secret_key="x" * 32)  # type: ignore[arg-type]
        return [f"{t.method} {t.path}" for t in discover(build_site(settings, store))]
    finally:
        store.close()


ROUTES = _targets()


@pytest.mark.parametrize("route", ROUTES)
def test_no_route_answers_5xx_to_generated_requests(
    fuzz_site: tuple[Any, list[Target], list[str]], route: str
) -> None:
    app, targets, tokens = fuzz_site
    method, path = route.split(" ", 1)
    (target,) = [t for t in targets if t.method == method and t.path == path]

    @FUZZ
    @given(request=requests(target, tuple(tokens)))
    def answers_without_5xx(request: tuple[Any, ...]) -> None:
        method, path, query, headers, body = request
        status, names = call(app, method, path, query, headers, body)
        assert status < 500, (method, path, query, headers, body[:200])
        missing = [h for h in SECURITY_HEADERS if h not in names]
        assert not missing, (status, method, path, missing)

    answers_without_5xx()
