"""Crawl a running newsdesk site from outside, then hit every route it found with hostile requests.

An operator's check after an upgrade or a template change (and what our held-back site crawls
do): nothing needs the source tree, only the site's URL.

1. Crawl: every same-origin link reachable from / (and from /admin with the admin password),
   pages, feeds, sitemaps and the assets they load. Recorded: any status >= 500, a link the
   site renders that answers 404/410 (broken), an HTML page without a <title>, HTML the parser
   reports errors in, and assets (stylesheets, scripts, images) that fail.
2. Hostile (with --hostile): each distinct path found (ids kept, one per route shape) and every
   path of /openapi.json, asked with huge, NUL, unicode, negative and huge page/cursor values,
   repeated and wrongly typed parameters, path traversal and very long paths; HEAD, OPTIONS and
   methods the route does not have; odd Accept and Content-Type; bodies over the limit; malformed
   and token-less form posts to every form found. Recorded: any status >= 500, an API error
   that is not JSON `{"error": "..."}`, a 2xx to a write without its CSRF token, a traceback or
   a server path in a body, an error page without a <title>, a 401 without WWW-Authenticate
   and a 405 without Allow.

    .venv/bin/python benchmarks/site_crawl.py http://127.0.0.1:8000/ \
        [--admin-password PW] [--bearer KEY] [--cookie NAME=VALUE] [--hostile] \
        [--max-pages N] [--json report.json]

Prints one line per finding and a summary; exits 1 when anything was found. Every request is
a GET or HEAD during the crawl; the hostile pass posts only malformed or token-less forms
(nothing a well-behaved site accepts), so run it against a demo or staging instance anyway.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import re
import socket
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from html import unescape as html_unescape
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import httpx
from lxml import etree, html

HTML_TYPES = ("text/html", "application/xhtml+xml")
# libxml2's HTML parser predates HTML5: these "errors" are the HTML5 elements it does not know.
HTML5_NOISE = re.compile(r"Tag \S+ invalid|htmlParseEntityRef: expecting ';'")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/[^\"]+\.py\", line \d+")
ASSET_TAGS = {"link": "href", "script": "src", "img": "src", "source": "src"}
NEVER_FOLLOW = ("/signout", "/unsubscribe", "/confirm", "/signin/confirm")
MAX_VARIANTS_PER_PATH = 6
# Forms that take no CSRF token by design: asking for a sign-in email acts for nobody (the
# address is only mailed, cross-site posts are refused by their Origin): members/web/signin.py.
TOKENLESS_FORMS = ("/signin",)
# Where the crawl starts: / and the pages nothing links to for every viewer (a signed-out
# reader sees no link to /account; monitors ask /healthz).
STARTS = ["/", "/robots.txt", "/sitemap.xml", "/openapi.json", "/healthz", "/signin", "/reports"]
STARTS += ["/account", "/pro", "/preferences", "/unsubscribe", "/confirm"]
HUGE = "9" * 40


@dataclass
class Finding:
    kind: str
    method: str
    url: str
    status: int
    note: str = ""


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    pages: int = 0
    assets: int = 0
    forms: dict[str, str] = field(default_factory=dict)  # action -> method
    paths: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    variants: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, method: str, url: str, status: int, note: str = "") -> None:
        finding = Finding(kind, method, url[:300], status, note[:300])
        if finding not in self.findings:
            self.findings.append(finding)
            print(f"{kind:<18}{status:>4} {method:<7} {finding.url}  {finding.note}", flush=True)


class Site:
    def __init__(self, base: str, *, timeout: float, headers: dict[str, str]) -> None:
        self.base = base.rstrip("/") + "/"
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))
        self.client = httpx.Client(timeout=timeout, headers=headers, follow_redirects=False)
        self.report = Report()
        self.secrets: list[str] = []
        self.variants = MAX_VARIANTS_PER_PATH

    def request(self, method: str, url: str, **kwargs: object) -> httpx.Response | None:
        self.report.requests += 1
        if self.report.requests % 1000 == 0:
            print(f"  ... {self.report.requests} requests", file=sys.stderr, flush=True)
        try:
            return self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as error:
            self.report.add("transport-error", method, url, 0, f"{type(error).__name__}: {error}")
            return None

    def internal(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" == (
            self.origin
        )


def _content_type(response: httpx.Response) -> str:
    value: str = response.headers.get("content-type", "")
    return value.split(";", maxsplit=1)[0].strip().lower()


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _route_shape(path: str) -> str:
    """/articles/17 and /articles/18 are one route: digits and long tokens as placeholders."""
    return re.sub(r"/(?:\d+|[^/]*:[^/]*|[^/]*\d{2,}[^/]*)(?=/|$)", "/{}", path)


def check_body(site: Site, method: str, url: str, response: httpx.Response) -> None:
    text = response.text if len(response.content) < 5_000_000 else ""
    for secret in site.secrets:
        if secret in text or secret in response.headers.get("location", ""):
            site.report.add("leak", method, url, response.status_code, secret)
    if TRACEBACK.search(text):
        site.report.add("traceback-in-body", method, url, response.status_code)
    if response.status_code >= 500:
        site.report.add("server-error", method, url, response.status_code, text[:120])
    if response.status_code == 401 and "www-authenticate" not in response.headers:
        site.report.add("401-no-challenge", method, url, 401, "a 401 needs WWW-Authenticate")
    if response.status_code == 405 and "allow" not in response.headers:
        site.report.add("405-no-allow", method, url, 405, "a 405 needs Allow")
    path = urlsplit(url).path
    if path.startswith("/api/") and response.status_code >= 400 and method != "HEAD":
        try:
            body = response.json()
        except ValueError:
            body = None
        if not (isinstance(body, dict) and set(body) == {"error"} and body["error"]):
            site.report.add("api-error-shape", method, url, response.status_code, text[:120])
    if (
        _content_type(response) in HTML_TYPES
        and method != "HEAD"
        and response.status_code != 304
        and not html_title(text)
    ):
        site.report.add("no-title", method, url, response.status_code)


def check_format(site: Site, url: str, response: httpx.Response) -> None:
    """A feed, sitemap or export that answered 200 must parse as what its type says: XML
    (RSS, Atom, sitemaps), JSON (the API, JSON Feed, exports) or CSV with rows as wide as
    its header."""
    kind = _content_type(response)
    if response.status_code != 200 or kind in HTML_TYPES:
        return
    problem = ""
    try:
        if kind.endswith("xml"):  # application/rss+xml, application/atom+xml, text/xml
            etree.fromstring(response.content, etree.XMLParser(resolve_entities=False))
        elif kind.endswith("json"):  # application/json, application/feed+json
            json.loads(response.content)
        elif kind == "text/csv":
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            if rows and any(len(row) != len(rows[0]) for row in rows if row):
                problem = "rows of different widths"
    except (etree.XMLSyntaxError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        problem = str(error)
    if problem:
        site.report.add("unparseable", "GET", url, response.status_code, f"{kind}: {problem}")


def html_title(text: str) -> str:
    try:
        document = html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError):
        return ""
    return (document.findtext(".//title") or "").strip()


def parse_errors(text: str) -> list[str]:
    parser = etree.HTMLParser(recover=True)
    etree.fromstring(text.encode(), parser)
    return [
        f"line {entry.line}: {entry.message}"
        for entry in parser.error_log
        if not HTML5_NOISE.search(entry.message)
    ]


def links_of(base_url: str, text: str) -> tuple[list[str], list[str], dict[str, str]]:
    """The page's links, its assets and its forms (action -> method)."""
    try:
        document = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return [], [], {}
    pages = [urljoin(base_url, a.get("href", "")) for a in document.iter("a") if a.get("href")]
    assets = []
    for tag, attribute in ASSET_TAGS.items():
        for element in document.iter(tag):
            value = element.get(attribute)
            if value and (tag != "link" or element.get("rel") in ("stylesheet", "icon")):
                assets.append(urljoin(base_url, value))
            elif value and tag == "link" and element.get("rel") == "alternate":
                pages.append(urljoin(base_url, value))
    forms = {
        urljoin(base_url, form.get("action") or base_url): (form.get("method") or "get").upper()
        for form in document.iter("form")
    }
    return pages, assets, forms


def crawl(site: Site, starts: Iterable[str], *, max_pages: int, verbose: bool = False) -> None:
    queue: deque[tuple[str, str]] = deque((urljoin(site.base, s), "") for s in starts)
    seen = site.report.seen
    seen.update(url for url, _ in queue)
    assets_seen: set[str] = set()
    budget = site.report.pages + max_pages
    while queue and site.report.pages < budget:
        url, referrer = queue.popleft()
        response = site.request("GET", url)
        if response is None:
            continue
        site.report.pages += 1
        site.report.paths.add(urlsplit(url).path)
        if verbose:
            print(f"  {response.status_code} {url}", flush=True)
        check_body(site, "GET", url, response)
        check_format(site, url, response)
        if response.status_code in (404, 410) and referrer:
            site.report.add("broken-link", "GET", url, response.status_code, f"on {referrer}")
        if response.is_redirect:
            target = urljoin(url, response.headers.get("location", ""))
            if site.internal(target) and _without_fragment(target) not in seen:
                seen.add(_without_fragment(target))
                queue.append((_without_fragment(target), referrer or url))
            continue
        if response.status_code >= 400:
            continue
        if _content_type(response) in ("application/xml", "text/xml"):  # a sitemap
            pages = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", response.text)
            _enqueue(site, queue, url, [html_unescape(p) for p in pages])
            continue
        if _content_type(response) not in HTML_TYPES:
            continue
        for problem in parse_errors(response.text)[:3]:
            site.report.add("html-parse", "GET", url, response.status_code, problem)
        pages, assets, forms = links_of(url, response.text)
        site.report.forms.update({a: m for a, m in forms.items() if site.internal(a)})
        for asset in assets:
            if site.internal(asset) and asset not in assets_seen:
                assets_seen.add(asset)
                fetched = site.request("GET", asset)
                site.report.assets += 1
                if fetched is not None and fetched.status_code >= 400:
                    site.report.add("asset-failed", "GET", asset, fetched.status_code, f"on {url}")
        _enqueue(site, queue, url, pages)


def _enqueue(site: Site, queue: deque[tuple[str, str]], referrer: str, links: list[str]) -> None:
    for found in links:
        link = _without_fragment(found)
        path = urlsplit(link).path
        if not site.internal(link) or link in site.report.seen or path.startswith(NEVER_FOLLOW):
            continue
        shape = _route_shape(path) + ("?" if urlsplit(link).query else "")
        if site.report.variants.get(shape, 0) >= site.variants:
            continue
        site.report.variants[shape] = site.report.variants.get(shape, 0) + 1
        site.report.seen.add(link)
        queue.append((link, referrer))


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


HOSTILE_VALUES = [
    "",
    "-1",
    "0",
    HUGE,
    "-" + HUGE,
    "1e309",
    "NaN",
    "x" * 20_000,
    "%00",
    "a%00b",
    "%FF%FE",
    "%C3",
    "%",
    "١٢٣",
    "\u202e\u0000",
    "..%2F..%2Fetc%2Fpasswd",
    "[]",
    "{}",
    "true",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    _b64({"k": HUGE, "id": -1}),
    _b64(["x"] * 3),
    _b64("a" * 500),
    "!!!!",
]
HOSTILE_PARAMS = ["page", "cursor", "after", "limit", "q", "from", "to", "sector", "id", "sort"]


def hostile_queries(path: str) -> Iterator[str]:
    for name in HOSTILE_PARAMS:
        for value in HOSTILE_VALUES:
            encoded = value if "%" in value else urlencode({name: value})[len(name) + 1 :]
            yield f"{path}?{name}={encoded}"
    yield path + "?" + "&".join(f"page={n}" for n in range(200))  # repeated
    yield path + "?" + "&".join(f"p{n}=1" for n in range(1000))  # many
    yield path + "?page[]=1&page[x]=2&limit=1&limit=2"


def hostile_paths(path: str) -> Iterator[str]:
    yield path + "/"
    yield path + "/%2e%2e/%2e%2e/etc/passwd"
    yield path + "/" + "a" * 8000
    yield path + "%00"
    yield path + "/..;/admin"
    yield path.replace("/", "//", 1)
    if re.search(r"/\d+(?=/|$)", path):
        for value in ("-1", "0", HUGE, "1.5", "%20", "%C3%A9", "1%00"):
            yield re.sub(r"/\d+(?=/|$)", "/" + value, path, count=1)


def hostile(site: Site, *, api_paths: Iterable[str], only: re.Pattern[str] | None) -> None:
    shapes: dict[str, str] = {}
    siblings: dict[str, int] = {}
    for path in sorted(site.report.paths | set(api_paths)):
        if "{" in path or (only is not None and not only.search(path)):
            continue
        # /sectors/oil-gas and /sectors/mining-metals are one route too: two of each folder
        # and extension are asked, not all nine sectors' pages and feeds.
        folder = re.sub(r"/[^/]+(\.\w+)?$", r"/*\1", path)
        if _route_shape(path) in shapes or siblings.get(folder, 0) >= 2:
            continue
        siblings[folder] = siblings.get(folder, 0) + 1
        shapes[_route_shape(path)] = path
    print(f"  hostile: {len(shapes)} routes, {len(site.report.forms)} forms", file=sys.stderr)
    hostile_forms(site)
    methods = ["HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"]
    accepts = [
        "application/json",
        "*/*;q=x",
        "text/html;level=" + "9" * 500,
        "\u00e9/\u00e9".encode().decode("latin-1"),
    ]
    for path in shapes.values():
        url = urljoin(site.base, path.lstrip("/"))
        for query in hostile_queries(path):
            _ask(site, "GET", urljoin(site.base, query.lstrip("/")))
        for odd in hostile_paths(path):
            _ask(site, "GET", urljoin(site.base, odd.lstrip("/")))
        for method in methods:
            _ask(site, method, url)
        _ask(site, "POST", url, content=b"x", headers={"content-type": "application/json"})
        for accept in accepts:
            _ask(site, "GET", url, headers={"accept": accept.encode("latin-1")})  # raw bytes


def hostile_forms(site: Site) -> None:
    for action, method in sorted(site.report.forms.items()):
        if method != "POST":
            continue
        posts: list[tuple[str, dict[str, object]]] = [
            ("empty form", {"data": {}}),
            ("no csrf token", {"data": {"email": "a@example.com", "q": "x"}}),
            ("bad csrf token", {"data": {"csrf": "x" * 64, "email": "\u0000@x"}}),
            ("malformed urlencoded", {"content": b"%%%=&&==%ZZ&a=%C3", "headers": _form}),
            ("wrong content type", {"content": b"{", "headers": {"content-type": "text/plain"}}),
            (
                "json body",
                {"content": b'{"a": [1]}', "headers": {"content-type": "application/json"}},
            ),
            (
                "broken multipart",
                {
                    "content": b"--x\r\nbad",
                    "headers": {"content-type": "multipart/form-data; boundary=x"},
                },
            ),
            ("over the limit", {"content": b"a=" + b"x" * (4 * 1024 * 1024), "headers": _form}),
        ]
        status = declared_too_large(site, action)
        if status is not None and not 400 <= status < 500:
            site.report.add("huge-length", "POST", action, status, f"Content-Length: {HUGE}")
        for note, kwargs in posts:
            response = _ask(site, "POST", action, **kwargs)
            tokenless = urlsplit(action).path in TOKENLESS_FORMS
            if response is not None and 200 <= response.status_code < 300 and not tokenless:
                site.report.add("post-accepted", "POST", action, response.status_code, note)


_form = {"content-type": "application/x-www-form-urlencoded"}


def declared_too_large(site: Site, url: str) -> int | None:
    """The status of a post declaring a body of 10^40 bytes and sending none (httpx will not
    send such a request, so over a socket); None when the connection fails."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        return None
    host, port = parts.hostname or "", parts.port or 80
    request = (
        f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {HUGE}\r\n"
        "Connection: close\r\n\r\n"
    )
    site.report.requests += 1
    try:
        with socket.create_connection((host, port), timeout=10) as connection:
            connection.sendall(request.encode())
            head = connection.recv(64).decode("latin-1")
    except OSError:
        return None
    match = re.match(r"HTTP/1\.[01] (\d{3})", head)
    return int(match.group(1)) if match else None


def _ask(site: Site, method: str, url: str, **kwargs: object) -> httpx.Response | None:
    response = site.request(method, url, **kwargs)
    if response is not None:
        check_body(site, method, url, response)
    return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the site's URL, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--admin-password", help="crawl /admin too, as user admin")
    parser.add_argument("--bearer", help="an API key, sent on every request")
    parser.add_argument("--cookie", action="append", default=[], help="NAME=VALUE (a session)")
    parser.add_argument("--hostile", action="store_true", help="then the hostile pass")
    parser.add_argument("--only", help="hostile pass: only paths this regular expression finds")
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        help="a word only hidden text holds (after a Pro piece's break): a leak if any "
        "answer to this viewer contains it",
    )
    parser.add_argument("--max-pages", type=int, default=3000)
    parser.add_argument(
        "--variants",
        type=int,
        default=MAX_VARIANTS_PER_PATH,
        help="pages crawled per route shape (/articles/{}; raise it to read every article)",
    )
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--json", help="write the findings here too")
    parser.add_argument("--verbose", action="store_true", help="print every page crawled")
    args = parser.parse_args()

    headers = {"user-agent": "newsdesk-site-crawl/1"}
    if args.bearer:
        headers["authorization"] = f"Bearer {args.bearer}"
    site = Site(args.base, timeout=args.timeout, headers=headers)
    site.secrets = args.secret
    site.variants = args.variants
    for cookie in args.cookie:
        name, _, value = cookie.partition("=")
        site.client.cookies.set(name, value)
    started = time.monotonic()
    crawl(
        site,
        STARTS,
        max_pages=args.max_pages,
        verbose=args.verbose,
    )
    if args.admin_password:
        site.client.auth = httpx.BasicAuth("admin", args.admin_password)
        crawl(site, ["/admin"], max_pages=args.max_pages, verbose=args.verbose)
    if args.hostile:
        spec = site.request("GET", urljoin(site.base, "openapi.json"))
        api = list(spec.json().get("paths", {})) if spec and spec.status_code == 200 else []
        hostile(site, api_paths=api, only=re.compile(args.only) if args.only else None)
    report = site.report
    kinds: dict[str, int] = {}
    for finding in report.findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
    print(
        f"\n{report.pages} pages, {report.assets} assets, {len(report.forms)} forms, "
        f"{report.requests} requests in {time.monotonic() - started:.0f} s; "
        f"{len(report.findings)} findings {kinds or ''}"
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump([asdict(f) for f in report.findings], out, indent=1)
    sys.exit(1 if report.findings else 0)


if __name__ == "__main__":
    main()
