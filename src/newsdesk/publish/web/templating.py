"""The Jinja2 environment: autoescaping everywhere, filters for dates and safe JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from newsdesk.publish.web.options import SiteOptions
from newsdesk.text.dates import has_time_of_day, iso_moment
from newsdesk.text.normalize import shorten
from newsdesk.text.sentences import unquoted

_TIME_ELEMENT = Markup('<time datetime="%s" data-style="%s">%s</time>')


def format_date(value: datetime | None, style: str = "date") -> Markup:
    """A <time> element: ISO in the attribute (site.js shows it in the reader's locale).

    A date-only value (``text.dates``) is a date whatever the style asked: its attribute is the
    bare date, which site.js shows as that calendar day in every time zone."""
    if value is None:
        return Markup("")
    value = value.astimezone(UTC)
    if not has_time_of_day(value):
        style = "date"
    pattern = "%-d %b %Y, %H:%M UTC" if style == "datetime" else "%-d %b %Y"
    shown = value.strftime(pattern)
    # Markup's % escapes each value as .format does, in half the time (a page of search
    # results shows twenty dates).
    return _TIME_ELEMENT % (iso_moment(value), style, shown)


def build_environment(options: SiteOptions, template_packages: Sequence[str] = ()) -> Environment:
    """Templates of publish.web first, then those of the given packages (their templates/)."""
    loaders = [PackageLoader("newsdesk.publish.web", "templates")]
    loaders += [PackageLoader(package, "templates") for package in template_packages]
    environment = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters["date"] = format_date
    environment.filters["escape_attr"] = escape
    environment.filters["shorten"] = shorten
    environment.filters["unquoted"] = unquoted
    environment.globals["site"] = options
    environment.globals["sectors"] = options.sectors
    return environment


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    environment: Environment = request.app.state.templates
    html = environment.get_template(template).render(
        request=request,
        path=request.url.path,
        viewer=getattr(request.state, "viewer", None),
        **(context or {}),
    )
    return HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
