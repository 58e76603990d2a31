"""Errors every stage raises, so callers can report them without knowing the stage."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any


class NewsdeskError(Exception):
    """Base for errors newsdesk reports to a user as a clear one-line message."""


class FetchErrorKind(StrEnum):
    BLOCKED_DESTINATION = "blocked destination"
    BAD_URL = "bad url"
    DNS = "dns failure"
    CONNECT = "connection failed"
    TLS = "tls error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too large"
    TOO_MANY_REDIRECTS = "too many redirects"
    HTTP_STATUS = "http status"
    GONE = "gone"
    ROBOTS = "disallowed by robots.txt"
    PROTOCOL = "protocol error"


class FetchError(NewsdeskError):
    """A fetch that did not produce a usable response."""

    def __init__(
        self,
        kind: FetchErrorKind,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{kind.value}: {message}")
        self.kind = kind
        self.url = url
        self.status = status
        self.retry_after = retry_after


class SourceParseError(NewsdeskError):
    """Bytes that claimed to be a feed, sitemap or OPML file but could not be read safely."""


class ExtractionError(NewsdeskError):
    """A page from which no article could be extracted."""


def describe_problems(
    errors: Iterable[Mapping[str, Any]],
    *,
    where: Callable[[Sequence[Any]], str] | None = None,
) -> str:
    """One line for validation errors in pydantic's shape (dicts with "loc" and "msg"):
    "place: what is wrong; …"; where names a location (default: its parts joined by dots)."""
    name = where or (lambda loc: ".".join(str(part) for part in loc))
    return "; ".join(f"{name(tuple(error['loc']))}: {error['msg']}" for error in errors)


class FencedOut(Exception):  # noqa: N818 - a state, not a failure to report as one
    """A write by a poll that another poll of the same source has superseded (its worker was
    presumed dead and the source handed to another): the write is refused, nothing stored.

    Not a NewsdeskError on purpose: the stages' handlers of bad input must not swallow it;
    it ends the poll."""
