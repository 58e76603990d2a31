"""The guarded network edge: resolve names ourselves, check every address, connect to it.

httpx hands each connection to an httpcore network backend. ``GuardedNetworkBackend`` wraps
the default one so the SSRF check runs on the address actually connected to, on every hop:
the name is resolved here, every answer is checked, and the connection goes to a checked
address (a second, rebinding DNS answer never gets a say). httpcore errors become FetchError.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache

import anyio
import httpcore
import httpx

from newsdesk.domain import FetchError, FetchErrorKind
from newsdesk.fetch.ssrf import (
    AllowEntry,
    IPAddress,
    blocked,
    is_allowed_host,
    is_blocked_address,
    parse_host,
)


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        parsed = parse_host(host)
    except ValueError as exc:
        raise FetchError(FetchErrorKind.BAD_URL, str(exc)) from exc
    if not isinstance(parsed, str):
        return [parsed]
    try:
        answers = await anyio.getaddrinfo(parsed, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(FetchErrorKind.DNS, f"cannot resolve {host!r}: {exc.strerror}") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(FetchErrorKind.DNS, f"{host!r} has no address")
    return addresses


Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses that pass the SSRF check or whose host is allow-listed."""

    def __init__(
        self,
        allow: tuple[AllowEntry, ...],
        inner: httpcore.AsyncNetworkBackend | None = None,
        resolver: Resolver = resolve,
    ) -> None:
        self._allow = allow
        self._inner = inner or httpcore.AnyIOBackend()
        self._resolve = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port)
        if not is_allowed_host(parse_host(host), port, self._allow):
            refused = [address for address in addresses if is_blocked_address(address)]
            if refused:
                raise blocked(f"{host} resolves to {refused[0]}, which is not a public address")
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        if failure is None:
            raise FetchError(FetchErrorKind.DNS, f"{host!r} has no address")
        raise failure

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@contextmanager
def fetch_errors(url: str) -> Iterator[None]:
    """Turn httpcore's exceptions into FetchError with the kind a caller can act on."""
    try:
        yield
    except httpcore.TimeoutException as exc:
        raise FetchError(FetchErrorKind.TIMEOUT, f"{type(exc).__name__}", url=url) from exc
    except httpcore.ConnectError as exc:
        kind = FetchErrorKind.TLS if _caused_by_tls(exc) else FetchErrorKind.CONNECT
        raise FetchError(kind, str(exc) or type(exc).__name__, url=url) from exc
    except httpcore.NetworkError as exc:
        raise FetchError(
            FetchErrorKind.CONNECT, f"connection broke: {exc or type(exc).__name__}", url=url
        ) from exc
    except httpcore.UnsupportedProtocol as exc:
        raise FetchError(FetchErrorKind.BAD_URL, str(exc), url=url) from exc
    except httpcore.ProtocolError as exc:
        raise FetchError(FetchErrorKind.PROTOCOL, str(exc), url=url) from exc
    except ssl.SSLError as exc:
        raise FetchError(FetchErrorKind.TLS, str(exc), url=url) from exc


class _GuardedResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterable[bytes], url: str) -> None:
        self._stream = stream
        self._url = url

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with fetch_errors(self._url):
            async for part in self._stream:
                yield part

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()


@cache
def default_ssl_context() -> ssl.SSLContext:
    """One verifying context for the process: loading the CA bundle is slow, sharing is safe."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.AsyncBaseTransport):
    """httpx transport over an httpcore pool whose every connection goes through the guard."""

    def __init__(
        self,
        allow: tuple[AllowEntry, ...],
        *,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 16,
    ) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or default_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            network_backend=GuardedNetworkBackend(allow),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with fetch_errors(str(request.url)):
            response = await self._pool.handle_async_request(core_request)
        assert isinstance(response.stream, AsyncIterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_GuardedResponseStream(response.stream, str(request.url)),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
