"""House analysis: pieces the publisher writes, as parsed (sources.house) and as rendered
(pipeline.house) for storing, previewing and editing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from newsdesk.domain.access import Visibility

HOUSE_SOURCE_URL = "newsdesk:house"  # the built-in source every house piece belongs to
HOUSE_URL_PREFIX = "house:"  # a piece's URL is house:<slug>: no original to link to
HOUSE_EXTRA = "house"  # key in Article.extra: the piece's source text, for editing


@dataclass(frozen=True)
class HousePiece:
    title: str
    body: str  # Markdown or HTML, front matter removed, the preview marker still in
    slug: str
    body_format: Literal["markdown", "html"] = "markdown"
    authors: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    visibility: Visibility | None = None  # None: the import's --visibility, else public
    published: datetime | None = None

    @property
    def url(self) -> str:
        return HOUSE_URL_PREFIX + self.slug


@dataclass(frozen=True)
class RenderedPiece:
    """A piece's body as stored: sanitized HTML, its plain-text paragraphs, and its break."""

    html: str
    text: str
    preview_paragraphs: int | None  # paragraphs before the marker; None: no marker
