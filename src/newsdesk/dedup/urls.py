"""URL canonicalization: one spelling per page, so re-fetched and re-shared links match.

Decisions where spellings could mean different pages:

- ``index.html`` (and similar index files) are kept: many servers serve a directory listing or a
  different page at ``/dir/`` than at ``/dir/index.html``; a page that truly is both is still
  caught by its content hash, whereas a wrong merge would lose an article.
- The trailing slash is dropped (except for the root): news sites serve ``/a/b/`` and ``/a/b``
  as one article far more often than as two.
- Only http and https URLs are rewritten; anything else (and anything that does not parse as a
  URL with a host) is returned stripped of surrounding whitespace, unchanged otherwise.
- Query parameters are sorted by name; repeated names keep their relative order.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

from newsdesk.text.hosts import ascii_host

_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = _SUB_DELIMS + ":@/%"
_QUERY_PART_SAFE = "!$'()*+,;:@/?%"  # sub-delims except the separators & and =
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})?")
_SLASHES = re.compile(r"/{2,}")

# Parameters that say how a reader arrived, never which page they asked for.
TRACKING_PARAMETERS = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "__hssc",
        "__hstc",
        "__hsfp",
        "cmpid",
        "dclid",
        "fbclid",
        "gclid",
        "gclsrc",
        "hsctatracking",
        "icid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "ncid",
        "oly_anon_id",
        "oly_enc_id",
        "ref",
        "ref_src",
        "ref_url",
        "s_cid",
        "smid",
        "sr_share",
        "twclid",
        "vero_id",
        "wt.mc_id",
        "yclid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")


def _normalize_escapes(part: str, safe: str) -> str:
    """Decode escapes of unreserved characters, upper-case the others, escape the unsafe."""

    def fix(match: re.Match[str]) -> str:
        digits = match.group(1)
        if digits is None:  # a lone "%" is a literal percent sign
            return "%25"
        char = chr(int(digits, 16))
        return char if char in _UNRESERVED else f"%{digits.upper()}"

    return quote(_ESCAPE.sub(fix, part), safe=safe)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 for an absolute path."""
    output: list[str] = []
    segments = path.split("/")[1:]
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if output:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/" + "/".join(output)


def _canonical_path(path: str) -> str:
    path = _SLASHES.sub("/", _normalize_escapes(path, _PATH_SAFE))
    if not path.startswith("/"):
        path = "/" + path
    path = _remove_dot_segments(path)
    return path.rstrip("/") or "/"


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _canonical_query(query: str) -> str:
    kept: list[tuple[str, str | None]] = []
    for pair in query.split("&"):
        if not pair:
            continue
        name, sep, value = pair.partition("=")
        name = _normalize_escapes(name, _QUERY_PART_SAFE)
        if is_tracking_parameter(name):
            continue
        kept.append((name, _normalize_escapes(value, _QUERY_PART_SAFE) if sep else None))
    kept.sort(key=lambda item: item[0])
    return "&".join(name if value is None else f"{name}={value}" for name, value in kept)


def _canonical_host(host: str) -> str:
    try:
        return ascii_host(host)
    except ValueError:
        return host.lower().rstrip(".")


def _canonical(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = _canonical_host(parts.hostname)
    if not host:
        return url
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port  # raises ValueError on a port that is not a number in range
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        netloc = f"{_normalize_escapes(userinfo, _SUB_DELIMS + ':%')}@{netloc}"
    return urlunsplit(
        (scheme, netloc, _canonical_path(parts.path), _canonical_query(parts.query), "")
    )


# Ingest canonicalises an entry's URL when it reads the feed, when it checks the entry and when
# it decides the article (and ~7 us a time is worth keeping): the recent answers are kept.
@lru_cache(maxsize=8192)
def canonicalize_url(url: str) -> str:
    """The canonical spelling of an http(s) URL; idempotent and never raises.

    Lower-case scheme and host, IDNA (punycode) host, no default port, no fragment, no
    tracking parameters, the other parameters sorted, percent-escapes normalised, duplicate
    slashes and dot segments removed, no trailing slash except for the root.
    """
    url = url.strip()
    try:
        return _canonical(url)
    except ValueError:  # includes UnicodeError
        return url
