"""The Fetcher: polite, guarded HTTP GETs that return a FetchResponse or raise FetchError."""

from __future__ import annotations

import asyncio
import ssl
import time
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import httpx

from newsdesk.domain import FetchError, FetchErrorKind, FetchResponse, utcnow
from newsdesk.fetch.body import ACCEPT_ENCODING, read_capped, too_large
from newsdesk.fetch.charset import detect_encoding
from newsdesk.fetch.hosts import HostGate, HostSlots
from newsdesk.fetch.options import FetchOptions
from newsdesk.fetch.retry import is_retryable, parse_retry_after, retry_delay
from newsdesk.fetch.robots import (
    ROBOTS_MAX_BYTES,
    RobotsCache,
    RobotsRules,
    robots_url,
    rules_from_response,
)
from newsdesk.fetch.ssrf import AllowEntry, Target, check_url, parse_allow_entry
from newsdesk.fetch.transport import GuardedTransport

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# A robots.txt behind too many redirects, or redirected off-limits, counts as unavailable:
# allow all (RFC 9309 §2.3.1.2).
_ROBOTS_UNAVAILABLE = frozenset(
    {
        FetchErrorKind.TOO_MANY_REDIRECTS,
        FetchErrorKind.BLOCKED_DESTINATION,
        FetchErrorKind.BAD_URL,
    }
)


class Fetcher:
    """Use as ``async with Fetcher(options) as fetcher: await fetcher.fetch(url)``.

    One Fetcher holds the connection pool, the per-host gate and the robots.txt cache, so
    share one per run rather than one per request.
    """

    def __init__(
        self,
        options: FetchOptions,
        *,
        ssl_context: ssl.SSLContext | None = None,
        gate: HostSlots | None = None,
    ):
        self.options = options
        self._allow: tuple[AllowEntry, ...] = tuple(
            parse_allow_entry(entry) for entry in options.allow_hosts
        )
        self._ssl_context = ssl_context
        # Per-host politeness: in this process unless a gate shared with others is given.
        self._gate: HostSlots = gate or HostGate(
            delay=options.host_delay, concurrency=options.concurrency
        )
        self._robots = RobotsCache()
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._transport: GuardedTransport | None = None

    async def __aenter__(self) -> Self:
        # The transport is used without httpx.AsyncClient: the client would parse Location
        # headers and read proxy settings from the environment, and both are ours to judge.
        self._transport = GuardedTransport(
            self._allow,
            ssl_context=self._ssl_context,
            max_connections=self.options.concurrency * 2,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._transport is not None:
            await self._transport.aclose()
            self._transport = None

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
    ) -> FetchResponse:
        """GET ``url`` following up to ``max_redirects`` redirects, each hop through the guard.

        A 304 comes back as a FetchResponse with status 304 and an empty body. Retries 5xx,
        429 and broken connections with exponential back-off, honouring Retry-After up to
        ``max_retry_after``. Raises FetchError (GONE for 410, HTTP_STATUS for other statuses).
        """
        target = check_url(url, self._allow)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        robots = check_robots and self.options.respect_robots
        attempt = 0
        while True:
            try:
                return await self._attempt(url, target, headers, robots=robots)
            except FetchError as error:
                if not is_retryable(error) or attempt >= self.options.retries:
                    raise
                if error.retry_after is not None and (
                    error.retry_after > self.options.max_retry_after
                ):
                    raise FetchError(
                        error.kind,
                        f"{error}; server asks to retry after {error.retry_after:.0f} s",
                        url=error.url,
                        status=error.status,
                        retry_after=error.retry_after,
                    ) from error
                delay = retry_delay(
                    attempt, backoff_base=self.options.backoff_base, retry_after=error.retry_after
                )
                attempt += 1
                await asyncio.sleep(delay)

    async def _attempt(
        self,
        url: str,
        target: Target,
        headers: dict[str, str],
        *,
        robots: bool,
        max_bytes: int | None = None,
    ) -> FetchResponse:
        """One try: every redirect hop and the whole body within ``options.timeout``.

        The deadline starts when the first hop gets its host slot, so waiting politely behind
        other requests to the same host does not eat into it.
        """
        started = time.monotonic()
        deadline: float | None = None
        visited = {target.url}
        for _hop in range(self.options.max_redirects + 1):
            if robots:
                await self._check_robots(target)
            async with self._gate.slot(f"{target.host}:{target.port}"):
                if deadline is None:
                    deadline = asyncio.get_running_loop().time() + self.options.timeout
                outcome = await self._request_by(deadline, url, target, headers, max_bytes)
            if isinstance(outcome, FetchResponse):
                return FetchResponse(
                    url=url,
                    final_url=outcome.final_url,
                    status=outcome.status,
                    headers=outcome.headers,
                    body=outcome.body,
                    encoding=outcome.encoding,
                    elapsed_seconds=time.monotonic() - started,
                )
            target = check_url(outcome, self._allow)
            if target.url in visited:
                raise FetchError(
                    FetchErrorKind.TOO_MANY_REDIRECTS,
                    f"redirect loop back to {target.url}",
                    url=url,
                )
            visited.add(target.url)
        raise FetchError(
            FetchErrorKind.TOO_MANY_REDIRECTS,
            f"more than {self.options.max_redirects} redirects",
            url=url,
        )

    async def _request_by(
        self,
        deadline: float,
        url: str,
        target: Target,
        headers: dict[str, str],
        max_bytes: int | None,
    ) -> FetchResponse | str:
        try:
            async with asyncio.timeout_at(deadline):
                return await self._request(url, target, headers, max_bytes)
        except TimeoutError as exc:
            raise FetchError(
                FetchErrorKind.TIMEOUT,
                f"no complete response within {self.options.timeout:g} s",
                url=url,
            ) from exc

    async def _request(
        self, url: str, target: Target, headers: dict[str, str], max_bytes: int | None
    ) -> FetchResponse | str:
        """One HTTP exchange: a final response, or the absolute URL a redirect points to."""
        if self._transport is None:
            raise RuntimeError("use Fetcher as an async context manager")
        timeout = self.options.timeout
        try:
            request = httpx.Request(
                "GET",
                target.url,
                headers={
                    "User-Agent": self.options.user_agent,
                    "Accept-Encoding": ACCEPT_ENCODING,
                    "Accept": "*/*",
                    **headers,
                },
                extensions={
                    "timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout)
                },
            )
        except httpx.InvalidURL as exc:
            raise FetchError(FetchErrorKind.BAD_URL, str(exc), url=url) from exc
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            status = response.status_code
            if status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(
                        FetchErrorKind.PROTOCOL, f"HTTP {status} without Location", url=url
                    )
                return urljoin(target.url, str(location).strip())
            if status == 304:
                return self._response(target, response, b"")
            if 200 <= status < 300:
                return self._response(target, response, await self._body(response, max_bytes))
            retry_after = parse_retry_after(response.headers.get("retry-after"), now=utcnow())
            kind = FetchErrorKind.GONE if status == 410 else FetchErrorKind.HTTP_STATUS
            raise FetchError(
                kind,
                f"HTTP {status} {response.reason_phrase} from {target.url}".rstrip(),
                url=url,
                status=status,
                retry_after=retry_after,
            )
        finally:
            await response.aclose()

    async def _body(self, response: httpx.Response, max_bytes: int | None) -> bytes:
        cap = max_bytes if max_bytes is not None else self.options.max_bytes
        encoding = response.headers.get("content-encoding", "")
        declared = response.headers.get("content-length", "")
        if max_bytes is None and not encoding and declared.isdigit() and int(declared) > cap:
            raise too_large(cap, str(response.url))
        return await read_capped(
            response.aiter_raw(),
            content_encoding=encoding,
            max_bytes=cap,
            url=str(response.url),
            truncate=max_bytes is not None,
        )

    @staticmethod
    def _response(target: Target, response: httpx.Response, body: bytes) -> FetchResponse:
        # The body is already decoded, so the headers describing its wire form would mislead.
        headers = {
            key.lower(): value
            for key, value in response.headers.items()
            if key.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
        }
        content_type = headers.get("content-type", "")
        return FetchResponse(
            url=target.url,
            final_url=target.url,
            status=response.status_code,
            headers=headers,
            body=body,
            encoding=detect_encoding(content_type, body) if body else None,
        )

    async def _check_robots(self, target: Target) -> None:
        rules = await self.robots_rules(target)
        if not rules.allows(target.url):
            reason = rules.reason or f"robots.txt of {target.origin} disallows this path"
            raise FetchError(FetchErrorKind.ROBOTS, f"{reason}: {target.url}", url=target.url)

    async def robots_rules(self, target: Target) -> RobotsRules:
        """The origin's robots.txt rules, fetched once per origin and cached (see robots)."""
        origin = target.origin
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._robots.get(origin)
            if cached is not None:
                return cached
            rules = await self._load_robots(origin)
            self._robots.put(origin, rules)
            return rules

    async def _load_robots(self, origin: str) -> RobotsRules:
        url = robots_url(origin)
        try:
            response = await self._attempt(
                url, check_url(url, self._allow), {}, robots=False, max_bytes=ROBOTS_MAX_BYTES
            )
        except FetchError as error:
            if error.kind in _ROBOTS_UNAVAILABLE:
                return RobotsRules()
            if error.status is None:
                raise  # the site itself cannot be reached: report that, not robots
            return rules_from_response(error.status, b"")
        return rules_from_response(response.status, response.body)
