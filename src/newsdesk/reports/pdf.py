"""A report's HTML document as a PDF, with WeasyPrint (the optional ``pdf`` extra, imported on
first use so that ``import newsdesk`` stays light).

WeasyPrint would fetch whatever a document points at: images, stylesheets, ``file:`` URLs,
``<link rel=attachment>`` files it embeds. The report's HTML escapes every stored text, so no
such element can come from an article; and the URL fetcher given to WeasyPrint serves only
this package's own assets (``ASSET_BASE`` + a file name in ``reports/assets``) and refuses
everything else — no network, no ``file:``, no ``data:`` — as a second wall.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from typing import Any

from newsdesk.domain.errors import NewsdeskError

ASSET_BASE = "https://report-assets.newsdesk.invalid/"
_ASSET_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class PdfUnavailableError(NewsdeskError):
    """WeasyPrint (or the Pango library it needs) is not installed."""


class RefusedResourceError(ValueError):
    """A document asked for something outside the package's assets."""


def asset_bytes(url: str) -> tuple[bytes, str]:
    """(content, media type) of a package asset URL; RefusedResourceError for anything else."""
    if not url.startswith(ASSET_BASE):
        raise RefusedResourceError(f"reports fetch nothing outside their own assets: {url[:80]}")
    name = url[len(ASSET_BASE) :]
    suffix = name[name.rfind(".") :] if "." in name else ""
    if not _ASSET_NAME.match(name) or ".." in name or suffix not in _MEDIA_TYPES:
        raise RefusedResourceError(f"not a report asset: {name[:80]}")
    asset = resources.files("newsdesk.reports") / "assets" / name
    if not asset.is_file():
        raise RefusedResourceError(f"no such report asset: {name}")
    return asset.read_bytes(), _MEDIA_TYPES[suffix]


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise PdfUnavailableError(
            "PDF reports need WeasyPrint: pip install 'newsdesk[pdf]' (and its Pango library: "
            f"scripts/system-deps.sh pdf): {error}"
        ) from error
    return weasyprint


def _fetcher(weasyprint: Any) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnly(URLFetcher):  # type: ignore[misc]
        """Serves ASSET_BASE files of the package; refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            del headers
            body, media_type = asset_bytes(url)
            return URLFetcherResponse(url, body, {"Content-Type": media_type})

    del weasyprint
    return AssetsOnly(allowed_protocols=("https",), allow_redirects=False)


def render_pdf(html: str) -> bytes:
    """The PDF of a report document (see render.render_html)."""
    weasyprint = _weasyprint()
    # WeasyPrint reports each layout step at INFO; a report is one step for us.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    document = weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=_fetcher(weasyprint))
    pdf: bytes = document.write_pdf()
    return pdf
