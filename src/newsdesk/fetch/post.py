"""Guarded POSTs (webhook deliveries): the same SSRF guard and allow-list as every fetch.

The URL is checked before anything is sent, and the connection goes only to an address that
passes the guard, resolved at the moment of connecting (a name that pointed somewhere public
when a webhook was registered and points at a private address now is refused now). Redirects
are never followed: a 3xx is the answer. ``check_destination`` runs the same checks without
sending anything, for refusing a URL when it is registered.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Self

import httpx

from newsdesk.domain import FetchError, FetchErrorKind
from newsdesk.fetch.ssrf import (
    AllowEntry,
    Target,
    blocked,
    check_url,
    is_blocked_address,
    parse_allow_entry,
)
from newsdesk.fetch.transport import GuardedTransport, Resolver, resolve

MAX_ANSWER_BYTES = 64 * 1024  # of a receiver's answer, read and dropped


@dataclass(frozen=True)
class PostResult:
    status: int | None  # None: no HTTP answer (refused, unreachable, timed out)
    error: str | None
    seconds: float


async def check_destination(
    url: str, allow_hosts: tuple[str, ...], *, resolver: Resolver = resolve
) -> Target:
    """The URL's target if it may be posted to now; FetchError (BLOCKED_DESTINATION, BAD_URL,
    DNS) otherwise. Names are resolved and every address checked, as at connection time."""
    allow = tuple(parse_allow_entry(entry) for entry in allow_hosts)
    target = check_url(url, allow)
    if not target.allowed and isinstance(target.host, str):
        addresses = await resolver(target.host, target.port)
        refused = [address for address in addresses if is_blocked_address(address)]
        if refused:
            raise blocked(
                f"{target.host} resolves to {refused[0]}, which is not a public address", url
            )
    return target


class GuardedPoster:
    """``async with GuardedPoster(allow_hosts, user_agent=…) as poster: await poster.post(…)``"""

    def __init__(
        self, allow_hosts: tuple[str, ...], *, user_agent: str, timeout: float = 15.0
    ) -> None:
        self._allow: tuple[AllowEntry, ...] = tuple(parse_allow_entry(e) for e in allow_hosts)
        self._user_agent = user_agent
        self._timeout = timeout
        self._transport: GuardedTransport | None = None

    async def __aenter__(self) -> Self:
        self._transport = GuardedTransport(self._allow, max_connections=8)
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

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
        """POST body to url; the whole exchange within the timeout. Never raises for the
        receiver's failures: they come back as the result."""
        if self._transport is None:
            raise RuntimeError("use GuardedPoster as an async context manager")
        started = time.monotonic()
        try:
            target = check_url(url, self._allow)
            request = httpx.Request(
                "POST",
                target.url,
                headers={"User-Agent": self._user_agent, **headers},
                content=body,
                extensions={
                    "timeout": dict.fromkeys(("connect", "read", "write", "pool"), self._timeout)
                },
            )
            async with asyncio.timeout(self._timeout):
                response = await self._transport.handle_async_request(request)
                try:
                    read = 0
                    async for chunk in response.aiter_raw():
                        read += len(chunk)
                        if read > MAX_ANSWER_BYTES:
                            break
                finally:
                    await response.aclose()
        except FetchError as error:
            return PostResult(None, str(error), time.monotonic() - started)
        except TimeoutError:
            return PostResult(
                None, f"no answer within {self._timeout:g} s", time.monotonic() - started
            )
        except httpx.HTTPError as error:
            kind = FetchErrorKind.PROTOCOL
            return PostResult(None, f"{kind}: {error}", time.monotonic() - started)
        return PostResult(response.status_code, None, time.monotonic() - started)
