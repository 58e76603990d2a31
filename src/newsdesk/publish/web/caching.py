"""HTTP caching of every answer of the site, decided in one place.

``HttpCacheMiddleware`` (one ASGI layer around every route, inside the body limit) does, per
response:

* **Vary** ``Cookie, Authorization`` on every viewer-dependent answer (one whose route asked
  who is viewing: context.CurrentViewer marks the request before the resolver runs, so a
  refused credential's answer varies too).
* **Cache-Control** by ``cache_control``: ``no-store`` under /admin and wherever a route said
  so (sign-in, account, forms with CSRF tokens); ``private, no-cache`` for an answer made for
  a viewer who is not anonymous, or one that sets a cookie; a route's own choice otherwise
  (public feeds, sitemaps); ``public, max-age=0, s-maxage=N`` for an anonymous GET answered
  200 (a reverse proxy may keep it N seconds, keyed by the Vary headers; browsers revalidate
  every time, so one who signs in never sees the anonymous page from their own cache); and
  ``no-cache`` for any other GET answered 200.
* **ETag / Last-Modified and 304**: a GET answered 200 (and not no-store) gets a strong ETag
  of its body and of the viewer's access (``access_key``: anonymous, or the member, kind and
  plan), so a member and an anonymous reader never share one, and Last-Modified the time this
  process first served that ETag for that URL and access. ``not_modified`` (RFC 9110 13.2.2:
  If-None-Match decides when present, else If-Modified-Since) turns a match into a 304.
* **Rendered-page cache** (page_cache.PageCache) for anonymous article, sector and search
  pages and API search answers: kept only when the answer was made for an anonymous viewer
  and ended up public; served only while the store's content version is unchanged, after
  the viewer resolver says this request is anonymous too (so a member never gets the
  anonymous page, and the anonymous page never holds a member's) and the anonymous quota
  has counted it. What an answer holds is decided by the routes through the access policy
  (domain.access.decide) alone: this layer only keeps an anonymous viewer's answer for the
  next anonymous viewer. ``X-Page-Cache: hit | miss`` says which. Keyed on the exact path
  and query string, not normalised (a kept answer is the route's answer to that very
  request); the key's bytes count against the cache's memory bound, and a query string
  longer than MAX_KEPT_QUERY_BYTES is never kept, so many spellings of one search cost no
  more than the bound.
* **One render per miss** (page_cache.SingleFlight): a request that carries no credentials
  (no Cookie, no Authorization: certainly anonymous) and misses the cache renders the page if
  no such render of that key and content version is in progress, else waits for that one
  and is then served from the cache as above (viewer resolved, quota counted). A request with
  credentials never waits and never leads: its answer could not be kept anyway, and a kept
  page is only ever served after the resolver says the request is anonymous. When the
  render kept nothing (an error, any answer that may not be kept), every waiter renders on
  its own.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.domain.access import ANONYMOUS, Viewer, ViewerKind
from newsdesk.domain.models import utcnow
from newsdesk.publish.web.context import SiteContext
from newsdesk.publish.web.middleware import NO_STORE_PREFIXES
from newsdesk.publish.web.page_cache import CachedPage, PageCache, SingleFlight
from newsdesk.publish.web.reader import Reader, enforce_quota

VARY = "Cookie, Authorization"
PRIVATE = "private, no-cache"
NO_CACHE = "no-cache"
NO_STORE = "no-store"
# The pages the rendered-page cache keeps (matched against the whole path).
CACHED_PAGES = (
    re.compile(r"/articles/[0-9]+"),
    re.compile(r"/sectors/[A-Za-z0-9_-]+"),
    re.compile(r"/search"),
    re.compile(r"/api/v1/search"),
)
# Longer query strings are answered but never kept (a search's words are cut at 500
# characters; its filters and cursor add well under a kilobyte).
MAX_KEPT_QUERY_BYTES = 2048
MAX_TAGGED_BYTES = 4 * 1024 * 1024  # larger answers stream through without an ETag
MAX_VALIDATORS = 20_000  # (URL, access) pairs whose first-served time is remembered
PAGE_CACHE_HEADER = b"x-page-cache"
_DROPPED_FROM_304 = {b"content-length", b"content-type", b"content-encoding"}
Headers_ = list[tuple[bytes, bytes]]


def is_anonymous(viewer: Viewer | None) -> bool:
    return viewer is not None and viewer.kind is ViewerKind.ANONYMOUS


def access_key(viewer_dependent: bool, viewer: Viewer | None) -> str:
    """What an answer's ETag depends on besides its body: nothing for an answer that is the
    same for everyone, else who it was made for (a credential refused: "refused")."""
    if not viewer_dependent:
        return "any"
    if viewer is None:
        return "refused"
    if viewer.kind is ViewerKind.ANONYMOUS:
        return "anonymous"
    until = viewer.plan_until.isoformat() if viewer.plan_until else ""
    plan = viewer.plan.value if viewer.plan else ""
    return f"{viewer.kind.value}:{viewer.member_id}:{plan}:{until}"


def is_admin(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in NO_STORE_PREFIXES)


def cache_control(
    *,
    method: str,
    status: int,
    path: str,
    own: str | None,
    viewer_dependent: bool,
    viewer: Viewer | None,
    sets_cookie: bool,
    shared_seconds: int,
) -> str | None:
    """The Cache-Control of an answer (None: none). own is what the route set."""
    if is_admin(path):
        return NO_STORE
    if own is not None and NO_STORE in own.lower():
        return own
    if (viewer_dependent and not is_anonymous(viewer)) or sets_cookie:
        return PRIVATE
    if own is not None:
        return own
    if method not in {"GET", "HEAD"} or status != 200:
        return None
    if viewer_dependent:
        return f"public, max-age=0, s-maxage={shared_seconds}" if shared_seconds else NO_CACHE
    return NO_CACHE


def merged_vary(values: Iterable[str]) -> str:
    """The Vary values given with Cookie and Authorization added (each once)."""
    wanted: list[str] = []
    for value in [*values, VARY]:
        for part in (p.strip() for p in value.split(",")):
            if part and part.lower() not in {w.lower() for w in wanted}:
                wanted.append(part)
    return ", ".join(wanted)


def etag_of(body: bytes, access: str) -> str:
    digest = hashlib.blake2b(body, digest_size=16, person=b"newsdesk-etag")
    digest.update(b"\0" + access.encode())
    return f'"{digest.hexdigest()}"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(
    request_headers: Mapping[str, str], etag: str | None, last_modified: datetime | None
) -> bool:
    """RFC 9110 13.2.2 for GET: If-None-Match decides when present (weak comparison, "*"
    matches anything), else If-Modified-Since (an unreadable date is ignored)."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        if etag is None:
            return False
        tags = {_opaque(tag) for tag in if_none_match.split(",")}
        return "*" in tags or _opaque(etag) in tags
    if_modified_since = request_headers.get("if-modified-since")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified <= since


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


class FirstServed:
    """When this process first served each (URL, access, ETag): the Last-Modified it gives.

    Bounded; a forgotten pair starts again from now (a later Last-Modified only costs a
    client a full answer instead of a 304)."""

    def __init__(self, limit: int = MAX_VALIDATORS) -> None:
        self.limit = limit
        self._seen: OrderedDict[str, tuple[str, datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def since(self, key: str, etag: str) -> datetime:
        with self._lock:
            seen = self._seen.get(key)
            if seen is None or seen[0] != etag:
                seen = (etag, utcnow().replace(microsecond=0))
                self._seen[key] = seen
                while len(self._seen) > self.limit:
                    self._seen.popitem(last=False)
            self._seen.move_to_end(key)
            return seen[1]


def page_key(scope: Scope) -> str | None:
    """The page cache's key of a request, or None for one it never keeps."""
    if scope.get("method") != "GET":
        return None
    path: str = scope.get("path", "")
    if not any(pattern.fullmatch(path) for pattern in CACHED_PAGES):
        return None
    query: bytes = scope.get("query_string", b"")
    if len(query) > MAX_KEPT_QUERY_BYTES:
        return None
    return f"{path}?{query.decode('latin-1')}" if query else path


def _header(headers: Headers_, name: bytes) -> str | None:
    values = [value.decode("latin-1") for key, value in headers if key.lower() == name]
    return ", ".join(values) if values else None


def _without(headers: Headers_, *names: bytes) -> Headers_:
    return [(key, value) for key, value in headers if key.lower() not in names]


def carries_credentials(scope: Scope) -> bool:
    """Whether a request sends anything a viewer resolver could read as a member's."""
    return any(name in {b"cookie", b"authorization"} for name, _ in scope.get("headers", []))


def may_serve_cached(scope: Scope, site: SiteContext) -> bool:
    """Whether a kept anonymous page may answer this request: the resolver says the viewer is
    anonymous (a refused credential is not) and the anonymous quota lets it through. Blocking
    (the resolver and the limiter may read the database): run it in a thread."""
    request = Request(scope)
    try:
        if not is_anonymous(site.viewer_resolver(request)):
            return False
        enforce_quota(request, site, Reader.of(ANONYMOUS, utcnow(), site.options.policy))
    except HTTPException:
        return False  # the route answers it (401, 429) as it always does
    return True


class HttpCacheMiddleware:
    """Applies the caching policy above to every HTTP answer (pure ASGI)."""

    def __init__(self, app: ASGIApp, *, shared_seconds: int, pages: PageCache) -> None:
        self.app = app
        self.shared_seconds = shared_seconds
        self.pages = pages
        self.first_served = FirstServed()
        self.flights = SingleFlight()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = page_key(scope) if self.pages.enabled else None
        if key is None:
            await _Answer(self, scope, None, None, send).run(receive)
            return
        site: SiteContext = scope["app"].state.site
        version = await run_in_threadpool(site.store.content_version)
        page = self.pages.get(key, version)
        if page is None and not carries_credentials(scope):
            flight_key = f"{version} {key}"
            flight = self.flights.take(flight_key)
            if flight is not None:  # this request renders it; identical ones wait

                def land() -> None:
                    self.flights.land(flight_key, flight)

                try:
                    await _Answer(self, scope, key, version, send, kept=land).run(receive)
                finally:
                    land()  # again if it ended before its body (an error, a big answer)
                return
            if await self.flights.wait(flight_key):
                page = self.pages.get(key, version)
        if page is not None and await run_in_threadpool(may_serve_cached, scope, site):
            await self._send_page(scope, page, send)
            return
        await _Answer(self, scope, key, version, send).run(receive)

    async def _send_page(self, scope: Scope, page: CachedPage, send: Send) -> None:
        headers = [*page.headers, (PAGE_CACHE_HEADER, b"hit")]
        if not_modified(Headers(scope=scope), page.etag, page.last_modified):
            await _send_304(send, headers)
            return
        await send({"type": "http.response.start", "status": page.status, "headers": headers})
        await send({"type": "http.response.body", "body": page.body})

    def headers_for(self, scope: Scope, status: int, headers: Headers_) -> Headers_:
        """The answer's headers with Vary and Cache-Control as the policy says."""
        state = scope.get("state", {})
        dependent = bool(state.get("viewer_dependent"))
        viewer = state.get("viewer")
        decided = cache_control(
            method=scope.get("method", "GET"),
            status=status,
            path=scope.get("path", ""),
            own=_header(headers, b"cache-control"),
            viewer_dependent=dependent,
            viewer=viewer,
            sets_cookie=_header(headers, b"set-cookie") is not None,
            shared_seconds=self.shared_seconds,
        )
        kept = _without(headers, b"cache-control")
        if dependent:
            vary = [value.decode("latin-1") for key, value in kept if key.lower() == b"vary"]
            kept = [*_without(kept, b"vary"), (b"vary", merged_vary(vary).encode("latin-1"))]
        if decided is not None:
            kept.append((b"cache-control", decided.encode("latin-1")))
        return kept


class _Answer:
    """One answer on its way out through the middleware: headers decided, body buffered to
    tag it (up to MAX_TAGGED_BYTES), 304 when the client has it, kept when it may be."""

    def __init__(
        self,
        cache: HttpCacheMiddleware,
        scope: Scope,
        key: str | None,
        version: int | None,
        send: Send,
        *,
        kept: Callable[[], None] | None = None,
    ) -> None:
        self.cache = cache
        self.kept = kept  # called once the page is kept or not, before it is sent
        self.scope = scope
        self.key = key
        self.version = version
        self.send = send
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.size = 0
        self.passing = False

    async def run(self, receive: Receive) -> None:
        await self.cache.app(self.scope, receive, self.on_message)

    async def on_message(self, message: Message) -> None:
        if self.passing:
            await self.send(message)
        elif message["type"] == "http.response.start":
            await self.on_start(message)
        elif message["type"] == "http.response.body" and self.start is not None:
            await self.on_body(message)
        else:
            await self.send(message)

    async def on_start(self, message: Message) -> None:
        status = int(message["status"])
        headers = self.cache.headers_for(self.scope, status, list(message.get("headers", [])))
        message["headers"] = headers
        control = (_header(headers, b"cache-control") or "").lower()
        taggable = (
            self.scope.get("method") == "GET"
            and status == 200
            and NO_STORE not in control
            and _header(headers, b"etag") is None  # static files tag (and 304) themselves
        )
        if not taggable:
            self.passing = True
            await self.send(message)
            return
        self.start = message

    async def on_body(self, message: Message) -> None:
        assert self.start is not None
        body = message.get("body", b"")
        self.chunks.append(body)
        self.size += len(body)
        more = bool(message.get("more_body", False))
        if self.size > MAX_TAGGED_BYTES and more:
            self.passing = True  # too big to hold: send what came, untagged
            await self.send(self.start)
            await self.send(
                {"type": "http.response.body", "body": b"".join(self.chunks), "more_body": True}
            )
            return
        if not more:
            await self.finish(b"".join(self.chunks))

    async def finish(self, body: bytes) -> None:
        assert self.start is not None
        state = self.scope.get("state", {})
        dependent = bool(state.get("viewer_dependent"))
        viewer = state.get("viewer")
        access = access_key(dependent, viewer)
        etag = etag_of(body, access)
        target = (
            self.scope.get("path", "") + "?" + self.scope.get("query_string", b"").decode("latin-1")
        )
        since = self.cache.first_served.since(f"{access} {target}", etag)
        headers: Headers_ = [
            *self.start["headers"],
            (b"etag", etag.encode()),
            (b"last-modified", http_date(since).encode()),
        ]
        if self.key is not None:
            headers.append((PAGE_CACHE_HEADER, b"miss"))
            if self.version is not None and self._keepable(headers, dependent, viewer):
                page = CachedPage(
                    version=self.version,
                    stored_at=self.cache.pages.clock(),
                    status=200,
                    headers=tuple(_without(headers, PAGE_CACHE_HEADER)),
                    body=body,
                    etag=etag,
                    last_modified=since,
                )
                self.cache.pages.put(self.key, page)
        if self.kept is not None:
            self.kept()  # waiters need not wait for this client to read its answer
        if not_modified(Headers(scope=self.scope), etag, since):
            await _send_304(self.send, headers)
            return
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})

    @staticmethod
    def _keepable(headers: Headers_, dependent: bool, viewer: Viewer | None) -> bool:
        """Only an answer made for an anonymous viewer that ended up public, without a
        cookie, goes into the shared page cache."""
        control = (_header(headers, b"cache-control") or "").lower()
        return (
            dependent
            and is_anonymous(viewer)
            and control.startswith("public")
            and _header(headers, b"set-cookie") is None
        )


async def _send_304(send: Send, headers: Headers_) -> None:
    kept = [(key, value) for key, value in headers if key.lower() not in _DROPPED_FROM_304]
    await send({"type": "http.response.start", "status": 304, "headers": kept})
    await send({"type": "http.response.body", "body": b""})
