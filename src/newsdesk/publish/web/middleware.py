"""The ASGI layers around every route of the app (publish's, deliver's and any added later).

Outermost first, as create_app stacks them:

* ``HeadMiddleware`` — a HEAD request is answered as its GET would be, without the body
  (link checkers, crawlers and uptime monitors ask with HEAD; routes declare GET only).
* ``SecurityHeadersMiddleware`` — CSP, nosniff, frame and referrer headers on every response
  (500s and 413s included, since everything below answers through it); HSTS when the site is
  served over https; ``Cache-Control: no-store`` on every /admin response, and on every
  error answer (4xx, 5xx) of a token route (``is_token_route``).
* ``CatchAllMiddleware`` — an exception no route handled becomes a logged, plain 500 page (or
  JSON under /api/, a line of text under /feeds/) instead of a bare server error without
  headers.
* ``ClientMiddleware`` — the client's address and scheme as domain.clients reads them behind
  the listed proxies; after it, ``request.client.host`` is the client everywhere.
* ``BodyLimitMiddleware`` — request bodies over the limit are refused with 413: on their
  declared Content-Length before anything is read, or as soon as a streamed body passes it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from html import escape
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.domain.clients import Network, client_address, forwarded_scheme

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
# A year, this host only: subdomains of the operator's domain may not all have TLS.
HSTS = (b"strict-transport-security", b"max-age=31536000")
NO_STORE_PREFIXES = ("/admin",)
# A route taking a parameter of one of these names carries a link's credential (a signed email
# link, a sign-in link, a private feed's token): a token route. No cache may keep its errors.
TOKEN_PARAMETERS = frozenset({"token", "feed_token"})
DEFAULT_MAX_BODY_BYTES = 64 * 1024
MAX_DECLARED_DIGITS = 18


def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path == "/openapi.json"


# Crawler files: a search engine's console shows what it got for them, and an HTML page there
# reads as a malformed sitemap rather than as the error it is.
CRAWLER_FILES = ("/sitemap.xml", "/robots.txt")


def wants_text(path: str) -> bool:
    """Feed readers and crawlers get an error as one line of text, not a page: RSS, Atom,
    JSON Feed and sitemaps have no error document, and a reader shows or logs what it got."""
    return path.startswith(("/feeds/", "/sitemaps/")) or path in CRAWLER_FILES


def text_error(
    status: int, detail: object, headers: Mapping[str, str] | None = None
) -> PlainTextResponse:
    """'404 Not Found: no such sector', one line; '404 Not Found' when the detail only repeats
    the status's phrase (Starlette's default for a path no route has)."""
    phrase = HTTPStatus(status).phrase
    line = " ".join(str(detail).split())
    said = (
        f"{status} {phrase}"
        if line.casefold() in ("", phrase.casefold())
        else f"{status} {phrase}: {line}"
    )
    return PlainTextResponse(f"{said}\n", status_code=status, headers=headers)


def plain_error(path: str, status: int, title: str, detail: str) -> Response:
    """An error answer that needs nothing that could itself fail (no templates, no store)."""
    if wants_json(path):
        return JSONResponse({"error": detail}, status_code=status)
    if wants_text(path):
        return text_error(status, detail)
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{status}</title><link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
        '<link rel="stylesheet" href="/static/site.css"></head>'
        f"<body><main><h1>{escape(title)}</h1><p>{escape(detail)}</p>"
        '<p><a href="/">Back to top insights</a></p></main></body></html>'
    )
    return HTMLResponse(page, status_code=status)


def _is_admin(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in NO_STORE_PREFIXES)


def is_token_route(scope: Scope) -> bool:
    """Whether the request's path is one of a token route's (whatever its method or query):
    the app lists their patterns in app.state.token_paths when it is built."""
    state = getattr(scope.get("app"), "state", None)
    patterns: Sequence[re.Pattern[str]] = getattr(state, "token_paths", ())
    path = scope.get("path", "")
    return any(pattern.match(path) for pattern in patterns)


def relative_location(location: bytes, host: bytes | None) -> bytes:
    """A redirect to this request's own Host as a path: Starlette's trailing-slash and /static
    redirects build an absolute URL from the Host header, so `Host: evil.example` made
    `Location: http://evil.example/articles/1`. The site's own redirects are paths already."""
    if host is None:
        return location
    for scheme in (b"http://", b"https://"):
        prefix = scheme + host
        if location.lower().startswith(prefix.lower()):
            rest = location[len(prefix) :]
            if rest[:1] in (b"/", b"?", b""):
                # one leading slash: "//x" would name another host
                return b"/" + rest.lstrip(b"/")
    return location


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response (pure ASGI: no per-request task), and
    makes a redirect to the Host the request named relative (relative_location)."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        admin = _is_admin(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if 300 <= message["status"] < 400:
                    host = next((v for k, v in scope["headers"] if k == b"host"), None)
                    headers = [
                        (k, relative_location(v, host) if k.lower() == b"location" else v)
                        for k, v in headers
                    ]
                if admin or (message["status"] >= 400 and is_token_route(scope)):
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                present = {name.lower() for name, _ in headers}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if self.hsts and HSTS[0] not in present:
                    extra.append(HSTS)
                message["headers"] = [*headers, *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadMiddleware:
    """HEAD as GET without the body: same status and headers (Content-Length and ETag
    included), so caches and monitors see what a GET would get."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server keeps its own scope (it knows the answer to a HEAD has no body).
        await self.app({**scope, "method": "GET"}, receive, send_without_body)


class CatchAllMiddleware:
    """Any exception a route leaves unhandled: logged (path only: queries carry tokens) and
    answered with a plain 500 if the response has not started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            path = scope.get("path", "")
            log.exception("unhandled error answering %s %s", scope.get("method"), path)
            if started:
                raise  # half a response went out: nothing better than closing the connection
            detail = "The server hit a problem answering this request. Please try again later."
            response = plain_error(path, 500, "Something went wrong", detail)
            await response(scope, receive, send)


class ClientMiddleware:
    """Puts the client's own address (and the scheme it used) in the scope when the TCP peer
    is a listed proxy; see domain.clients.client_address."""

    def __init__(self, app: ASGIApp, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in {"http", "websocket"} and client:
            peer = str(client[0])
            forwarded = _header_values(scope, b"x-forwarded-for")
            address = client_address(peer, forwarded, self.trusted)
            scheme = forwarded_scheme(
                peer, _header_values(scope, b"x-forwarded-proto"), self.trusted
            )
            if address != peer or scheme is not None:
                scope = dict(scope)
                scope["client"] = (address, client[1] if address == peer else 0)
                if scheme is not None:
                    scope["scheme"] = scheme if scope["type"] == "http" else f"ws{scheme[4:]}"
        await self.app(scope, receive, send)


def _header_values(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]


class BodyTooLargeError(HTTPException):
    """A request body over the limit (an HTTPException, so FastAPI's body parsing lets it
    through and the app's error pages answer it)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


class BodyLimitMiddleware:
    """413 for bodies over max_bytes (or over the limit of the longest matching path prefix
    in per_prefix, for the few routes that take more), 400 for a malformed Content-Length."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = DEFAULT_MAX_BODY_BYTES,
        *,
        per_prefix: Mapping[str, int] | None = None,
    ) -> None:
        if max_bytes < 1:
            raise ValueError("the body limit must be at least one byte")
        self.app = app
        self.max_bytes = max_bytes
        self.per_prefix = sorted((per_prefix or {}).items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        return next((limit for p, limit in self.per_prefix if path.startswith(p)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.limit_for(path)
        declared = _header_values(scope, b"content-length")
        if declared:
            value = declared[0].strip()
            if len(declared) > 1 or not (value.isascii() and value.isdigit()):
                await _refuse(scope, receive, send, 400, "malformed Content-Length header")
                return
            if len(value) > MAX_DECLARED_DIGITS or int(value) > limit:
                await _refuse(scope, receive, send, 413, BodyTooLargeError(limit).detail)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLargeError as error:
            if started:
                raise
            await _refuse(scope, receive, send, 413, str(error.detail))


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    title = "Request too large" if status == 413 else "That request could not be understood"
    response = plain_error(scope.get("path", ""), status, title, detail)
    response.headers["connection"] = "close"  # the unread body must not be taken as a request
    await response(scope, receive, send)
