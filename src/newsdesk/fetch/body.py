"""Reading a response body within a byte cap measured after decompression.

Content-Encoding is decoded here rather than by httpx so that a gzip bomb is stopped after
``max_bytes`` decoded bytes: every decompression call is bounded by ``max_length``.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterable, Iterator

from newsdesk.domain import FetchError, FetchErrorKind

ACCEPT_ENCODING = "gzip, deflate"
_STEP = 64 * 1024  # largest piece one decompression call may produce


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data

    def finish(self) -> Iterator[bytes]:
        yield from ()


class _Zlib:
    """gzip (possibly several members) or deflate, with bounded output per call."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in {"gzip", "x-gzip"}
        self._wbits = 16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS
        self._decompressor = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._started and data and not self._gzip:
            self._started = True
            # "deflate" is sent both zlib-wrapped (as specified) and raw; look at the header.
            if (data[0] & 0x0F) != 8 or int.from_bytes(data[:2], "big") % 31:
                self._wbits = -zlib.MAX_WBITS
                self._decompressor = zlib.decompressobj(self._wbits)
        pending = data
        while True:
            try:
                out = self._decompressor.decompress(pending, _STEP)
            except zlib.error as exc:
                raise FetchError(
                    FetchErrorKind.PROTOCOL, f"corrupt compressed body: {exc}"
                ) from exc
            if out:
                yield out
            pending = self._decompressor.unconsumed_tail
            if self._decompressor.eof and self._decompressor.unused_data.strip(b"\0"):
                pending = self._decompressor.unused_data + pending
                self._decompressor = zlib.decompressobj(self._wbits)
                continue
            if not pending and len(out) < _STEP:
                return

    def finish(self) -> Iterator[bytes]:
        out = self._decompressor.flush()
        if out:
            yield out


def decoder_for(content_encoding: str) -> _Identity | _Zlib:
    encodings = [e.strip().lower() for e in content_encoding.split(",") if e.strip()]
    encodings = [e for e in encodings if e != "identity"]
    if not encodings:
        return _Identity()
    if len(encodings) == 1 and encodings[0] in {"gzip", "x-gzip", "deflate"}:
        return _Zlib(encodings[0])
    raise FetchError(FetchErrorKind.PROTOCOL, f"unsupported content-encoding {content_encoding!r}")


def too_large(max_bytes: int, url: str) -> FetchError:
    return FetchError(
        FetchErrorKind.TOO_LARGE, f"body exceeds {max_bytes} bytes after decompression", url=url
    )


async def read_capped(
    raw: AsyncIterable[bytes],
    *,
    content_encoding: str,
    max_bytes: int,
    url: str,
    truncate: bool = False,
) -> bytes:
    """Decode ``raw`` and return at most ``max_bytes``; beyond that raise TOO_LARGE, or with
    ``truncate`` return the first ``max_bytes`` bytes. Stops reading as soon as the cap is hit.
    """
    decoder = decoder_for(content_encoding)
    body = bytearray()

    def take(pieces: Iterator[bytes]) -> bool:
        for piece in pieces:
            body.extend(piece)
            if len(body) > max_bytes:
                if truncate:
                    del body[max_bytes:]
                    return False
                raise too_large(max_bytes, url)
        return True

    async for chunk in raw:
        if not take(decoder.feed(chunk)):
            return bytes(body)
    take(decoder.finish())
    return bytes(body)
