"""Numeric path ids in their one form: ASCII digits, no leading zeros.

FastAPI reads an ``int`` path parameter as pydantic does in lax mode, so ``/articles/066``,
``/articles/+66``, ``/articles/66.0``, ``/articles/%2066`` and ``/articles/1_0`` (article 10!)
all answered as articles: one page under many URLs for caches, crawlers and the page cache.
``create_app`` gives every route of the app one dependency, ``canonical_path_ids``, which reads
the ids of a route whose path has ``int`` parameters before the route reads them (whatever
package added the route):

* digits only, no leading zero (or ``0`` itself): the route answers as before (a 422 when the
  number is beyond what the route takes);
* digits with leading zeros (``066``, ``articles-00.xml``): they name the number, so a page
  answers ``301`` to the canonical path (relative, query kept); the JSON API and methods
  other than GET/HEAD answer ``404`` (an API client should use the ids it was given, and a
  redirected POST becomes a GET);
* anything else (signs, decimals, spaces, underscores, other scripts' digits): ``404``, the
  path names nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

_DIGITS = re.compile(r"[0-9]+")
REDIRECT_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class IdDecision:
    """``serve``, ``redirect`` (to ``canonical``, the param name to its canonical text) or
    ``not_found``."""

    action: str
    canonical: Mapping[str, str]


SERVE = IdDecision("serve", {})
NOT_FOUND = IdDecision("not_found", {})


def decide_path_ids(values: Mapping[str, str], *, may_redirect: bool) -> IdDecision:
    """What a request whose id parameters hold these texts gets (pure)."""
    canonical: dict[str, str] = {}
    for name, text in values.items():
        if _DIGITS.fullmatch(text) is None:
            return NOT_FOUND
        # string work, not int(): int() refuses a 5,000-digit segment with a ValueError
        plain = text.lstrip("0") or "0"
        if plain != text:
            canonical[name] = plain
    if not canonical:
        return SERVE
    return IdDecision("redirect", canonical) if may_redirect else NOT_FOUND


def canonical_path(raw_path: str, path_format: str, canonical: Mapping[str, str]) -> str:
    """The raw path with each named parameter's segment rewritten. Segments are counted from
    the end, so a prefix the app is mounted under stays as it was."""
    segments = raw_path.split("/")
    formats = path_format.split("/")
    for offset, template in enumerate(reversed(formats), start=1):
        if any("{" + name + "}" in template for name in canonical):
            # a segment of one id and literal text ("articles-{part}.xml")
            segments[-offset] = template.format_map(canonical)
    return "/".join(segments)


class NonCanonicalPathError(Exception):
    """The request named an id in a padded form; ``location`` is the canonical path."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _id_params(route: APIRoute) -> tuple[str, ...]:
    return tuple(
        field.name for field in route.dependant.path_params if field.field_info.annotation is int
    )


def canonical_path_ids(request: Request) -> None:
    """The app-wide dependency (create_app gives it to every route, before the route's own
    parameters are read): a 404 or a NonCanonicalPathError for an id not in its one form."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    names = _id_params(route)
    if not names:
        return
    params = request.path_params
    values = {name: str(params.get(name, "")) for name in names}
    path = request.url.path
    may_redirect = request.method in REDIRECT_METHODS and not path.startswith("/api/")
    decision = decide_path_ids(values, may_redirect=may_redirect)
    if decision.action == "not_found":
        raise HTTPException(status_code=404, detail="Not Found")
    if decision.action == "redirect":
        raw: bytes = request.scope.get("raw_path") or path.encode()
        if raw.count(b"/") != path.count("/"):
            # an encoded slash (/articles%2F066): the raw segments no longer line up with the
            # route's, so a rewrite would point elsewhere (it sent /articles%2F066 to /66)
            raise HTTPException(status_code=404, detail="Not Found")
        location = canonical_path(raw.decode("latin-1"), route.path_format, decision.canonical)
        query = request.scope.get("query_string", b"").decode("latin-1")
        raise NonCanonicalPathError(location + ("?" + query if query else ""))
