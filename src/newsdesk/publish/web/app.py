"""The application factory. Route modules in publish.web.routes are found and included."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.domain.clients import parse_trusted_proxies
from newsdesk.domain.errors import describe_problems
from newsdesk.domain.paging import BadCursorError
from newsdesk.domain.ratelimit import MemoryRateLimiter, RateLimiter
from newsdesk.publish.ports import HouseDesk, ProOffer, ViewerResolver, anonymous_viewer
from newsdesk.publish.web import routes
from newsdesk.publish.web.caching import HttpCacheMiddleware
from newsdesk.publish.web.context import SiteContext, SiteStore
from newsdesk.publish.web.middleware import (
    TOKEN_PARAMETERS,
    BodyLimitMiddleware,
    CatchAllMiddleware,
    ClientMiddleware,
    HeadMiddleware,
    SecurityHeadersMiddleware,
    is_token_route,
    text_error,
    wants_json,
    wants_text,
)
from newsdesk.publish.web.openapi import exact_openapi
from newsdesk.publish.web.options import SiteOptions
from newsdesk.publish.web.page_cache import PageCache
from newsdesk.publish.web.pagination import cursor_status
from newsdesk.publish.web.path_ids import NonCanonicalPathError, canonical_path_ids
from newsdesk.publish.web.reader import uncounted_routes
from newsdesk.publish.web.routes.admin_index import admin_pages, standalone_pages
from newsdesk.publish.web.security import admin_password_problem
from newsdesk.publish.web.static import StaticAssets
from newsdesk.publish.web.templating import build_environment, render
from newsdesk.sources.house import MAX_PIECE_BYTES

STATIC_DIR = Path(__file__).parent / "static"


def route_modules() -> list[str]:
    """Every module of publish.web.routes, in name order (one module per resource)."""
    return sorted(
        f"{routes.__name__}.{info.name}"
        for info in pkgutil.iter_modules(routes.__path__)
        if not info.name.startswith("_")
    )


def app_routes(routes: Iterable[Any]) -> list[APIRoute]:
    """Every APIRoute of an app (pass app.routes), through the routers it includes: FastAPI
    keeps an included router as one route wrapping the original, so app.routes alone lists
    none of their routes."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(app_routes(route.original_router.routes))
        elif hasattr(route, "routes"):
            found.extend(app_routes(route.routes))
    return found


# What a token route answers to a request it cannot read, rather than a list of its fields.
BAD_LINK = (
    "This link or form could not be read: it may be cut short or changed. Open the link "
    "from your latest email again."
)
# A body that is no JSON object at all: pydantic says so for an object it cannot read fields from.
NOT_AN_OBJECT = frozenset({"model_attributes_type", "model_type", "dict_type"})


def request_problems(errors: Sequence[Mapping[str, Any]]) -> str:
    """The message of a 422: each value named by where it is (its first location part, "query"
    or "body", left out); a body that is not a JSON object, or no body, said in words rather
    than as pydantic's ": Input should be a valid dictionary" or "1: JSON decode error"."""
    named: list[Mapping[str, Any]] = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        kind = error.get("type")
        if kind == "json_invalid":
            reason = (error.get("ctx") or {}).get("error") or "malformed"
            where = f" at character {loc[1]}" if len(loc) > 1 else ""
            named.append({"loc": ("body",), "msg": f"not valid JSON{where} ({reason})"})
        elif loc == ("body",) and kind in NOT_AN_OBJECT:
            named.append(
                {"loc": ("body",), "msg": "expected a JSON object (Content-Type: application/json)"}
            )
        elif loc == ("body",) and kind == "missing":
            named.append({"loc": ("body",), "msg": "required (a JSON object), none was sent"})
        else:
            named.append({**error, "loc": loc[1:] if len(loc) > 1 else loc})
    return describe_problems(named)


def unreadable_body(cause: BaseException | None) -> str | None:
    """What lay behind FastAPI's bare "There was an error parsing the body" 400, in words: a
    JSON body nested deeper than the parser goes, bytes that are not UTF-8, or an integer
    longer than Python reads (4,300 digits)."""
    if isinstance(cause, RecursionError):
        return "body: not valid JSON (nested too deep)"
    if isinstance(cause, UnicodeDecodeError):
        return "body: not valid JSON (not UTF-8 text)"
    if isinstance(cause, ValueError) and "integer string conversion" in str(cause):
        # Python's limit on the digits of an integer it reads (sys.get_int_max_str_digits)
        return "body: not valid JSON (a number with too many digits)"
    return None


def allowed_methods(routes: Iterable[APIRoute], path: str) -> str | None:
    """The Allow header of a 405 for this path: the methods of every route at it (HEAD with GET:
    HeadMiddleware answers it), or None when no route is at it. Starlette lists only the first
    route's, so /signin (a GET route and a POST route) said "Allow: GET"."""
    methods: set[str] = set()
    for route in routes:
        if route.path_regex.match(path):
            methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods)) or None


def token_paths(routes: Iterable[APIRoute]) -> tuple[re.Pattern[str], ...]:
    """The path patterns of the token routes: those with a path or query parameter named in
    TOKEN_PARAMETERS, their dependencies' included (a form's token came from our own page)."""
    found: list[re.Pattern[str]] = []
    for route in routes:
        if _parameter_names(route.dependant) & TOKEN_PARAMETERS and route.path_regex not in found:
            found.append(route.path_regex)
    return tuple(found)


def _parameter_names(dependant: Dependant) -> set[str]:
    names = {field.name for field in [*dependant.path_params, *dependant.query_params]}
    for dependency in dependant.dependencies:
        names |= _parameter_names(dependency)
    return names


def create_app(
    store: SiteStore,
    options: SiteOptions,
    *,
    routers: Sequence[APIRouter] = (),
    template_packages: Sequence[str] = (),
    limiter: RateLimiter | None = None,
    viewer_resolver: ViewerResolver = anonymous_viewer,
    house: HouseDesk | None = None,
    pro_offer: ProOffer | None = None,
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """The site over a store; routers/template_packages come from other packages (bootstrap).

    limiter is the app's one rate limiter (give the same one to the routers that limit);
    by default one in this process's memory. viewer_resolver says who is asking (everyone is
    anonymous without it), house is the house analysis editor's back end (its pages answer
    404 without it), pro_offer what the Pro page offers (a lead form, sign-up), body_limits
    larger request bodies for the path prefixes of other packages' routes. ValueError for an
    admin password too short to use, a trusted proxy that is no address, or a route under a
    request quota (the API, full-text pages) that does not ask CurrentReader, which counts
    every request against its viewer's quota (publish.web.reader)."""
    problem = admin_password_problem(options.admin_password)
    if problem is not None:
        raise ValueError(problem)
    trusted = parse_trusted_proxies(options.trusted_proxies)
    app = FastAPI(
        title=options.site_name,
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        dependencies=[Depends(canonical_path_ids)],
    )
    app.state.site = SiteContext(
        store=store,
        options=options,
        limiter=MemoryRateLimiter() if limiter is None else limiter,
        viewer_resolver=viewer_resolver,
        house=house,
        pro_offer=pro_offer,
    )
    app.state.templates = build_environment(options, template_packages)
    # add_middleware puts each layer outside the ones added before it.
    app.state.page_cache = PageCache(
        max_bytes=options.page_cache_megabytes * 1024 * 1024,
        seconds=options.page_cache_seconds,
    )
    app.add_middleware(
        HttpCacheMiddleware,
        shared_seconds=options.shared_cache_seconds,
        pages=app.state.page_cache,
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=options.max_body_bytes,
        # The house analysis editor posts a whole piece (form-encoded: up to 3 bytes a byte).
        per_prefix={"/admin/analysis": 4 * MAX_PIECE_BYTES, **(body_limits or {})},
    )
    app.add_middleware(ClientMiddleware, trusted=trusted)
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=options.base_url.startswith("https://"))
    app.add_middleware(HeadMiddleware)
    app.mount("/static", StaticAssets(directory=STATIC_DIR), name="static")
    for name in route_modules():
        module = importlib.import_module(name)
        app.include_router(module.router)
    for router in routers:
        app.include_router(router)
    served = app_routes(app.routes)
    app.state.token_paths = token_paths(served)
    app.state.admin_pages = admin_pages(standalone_pages(served))
    uncounted = uncounted_routes(served)
    if uncounted:
        raise ValueError(f"routes under a request quota that never count it: {uncounted}")
    app.openapi = exact_openapi(app, [sector.id for sector in options.sectors])  # type: ignore[method-assign]

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        headers = dict(error.headers or {})
        if error.status_code == 400 and (unreadable := unreadable_body(error.__cause__)):
            error = StarletteHTTPException(400, unreadable)
        if error.status_code == 405:
            headers["Allow"] = allowed_methods(served, request.url.path) or headers.get("Allow", "")
        if wants_json(request.url.path):
            return JSONResponse(
                {"error": error.detail}, status_code=error.status_code, headers=headers
            )
        if wants_text(request.url.path):
            return text_error(error.status_code, error.detail, headers)
        return render(
            request,
            "error.html",
            {"status": error.status_code, "detail": error.detail},
            status_code=error.status_code,
            headers=headers,
        )

    @app.exception_handler(NonCanonicalPathError)
    async def _padded_id(_: Request, error: NonCanonicalPathError) -> Response:
        return RedirectResponse(error.location, status_code=301)

    @app.exception_handler(BadCursorError)
    async def _bad_cursor(request: Request, _: BadCursorError) -> Response:
        given = request.query_params.get("cursor") or request.query_params.get("after") or ""
        status, message = cursor_status(given)
        return await _http_error(request, StarletteHTTPException(status, message))

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, error: RequestValidationError) -> Response:
        # The first part of a location says where the value came from ("query", "body").
        problems = request_problems(error.errors())
        status = 422
        if is_token_route(request.scope):  # a mailed link cut short or changed: say so
            status, problems = 400, BAD_LINK
        if wants_json(request.url.path):
            return JSONResponse({"error": problems}, status_code=status)
        if wants_text(request.url.path):
            return text_error(status, problems)
        detail = {"status": status, "detail": problems}
        return render(request, "error.html", detail, status_code=status)

    return app
