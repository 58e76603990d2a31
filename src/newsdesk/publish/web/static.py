"""The site's static files (/static): Starlette's StaticFiles, with a Range header it cannot
read ignored as RFC 9110 (section 14.2) asks, not refused, and an If-Modified-Since that is no
date ignored (section 13.1.3).

Starlette answers 400 to a Range in another unit ("pages=1-2") or with a range-set that is not
one ("bytes=abc", "bytes=5-1"); the standard says to ignore the first and allows ignoring the
second, so the file is served whole (200). A well-formed range the file cannot satisfy
("bytes=99999-" on a smaller file) stays a 416 with Content-Range.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from newsdesk.publish.web.caching import not_modified

# int-range ("0-99", "100-") or suffix-range ("-500"); positions of at most 18 digits (more
# is beyond any file, and Python's int() refuses past 4,300 digits).
_RANGE_SPEC = re.compile(r"(?:([0-9]{1,18})-([0-9]{1,18})?|-[0-9]{1,18})")
MAX_RANGES = 100  # Starlette serves the whole file past this many ranges


def readable_range(value: str) -> bool:
    """Whether a Range header is a byte range-set as RFC 9110 writes it: `bytes=` and one or
    more comma-separated int-ranges (first <= last) or suffix-ranges (empty elements
    allowed)."""
    unit, equals, range_set = value.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return False
    specs = [spec.strip() for spec in range_set.split(",") if spec.strip()]
    if not specs or len(specs) > MAX_RANGES:
        return False
    for spec in specs:
        match = _RANGE_SPEC.fullmatch(spec)
        if match is None:
            return False
        first, last = match.groups()
        if first is not None and last is not None and int(last) < int(first):
            return False
    return True


class StaticAssets(StaticFiles):
    """StaticFiles that serves a file whole when the request's Range cannot be read (one
    Range header, well formed, or none at all), and answers conditional requests as the pages
    do (caching.not_modified)."""

    def is_not_modified(self, response_headers: Headers, request_headers: Headers) -> bool:
        # Starlette compares parsedate() tuples: "32 Dec 9999 99:99:99" (no date, so to be
        # ignored) read as later than any file and got a 304; offsets were ignored.
        modified = response_headers.get("last-modified")
        last_modified = parsedate_to_datetime(modified) if modified else None
        return not_modified(request_headers, response_headers.get("etag"), last_modified)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = scope.get("headers", [])
            ranges = [value for name, value in headers if name == b"range"]
            if ranges and (len(ranges) > 1 or not readable_range(ranges[0].decode("latin-1"))):
                scope = {**scope, "headers": [(n, v) for n, v in headers if n != b"range"]}
        await super().__call__(scope, receive, send)
