"""House analysis into the store: render a piece (Markdown through markdown-it-py, then the
nh3 allow-list), attribute it to the built-in house source named after the site, and write it
through the same dedup and story path as every article, so enrichment, stories, search and
digests treat it like any other. Used by `newsdesk import` and the admin editor.

Markdown is rendered with raw HTML off (a <script> in a piece is shown as text), links and
images limited to http(s), mailto and relative addresses, then sanitized again. The preview
marker splits the piece in two halves rendered apart, so the break falls between paragraphs:
the text keeps one paragraph per block and the piece records how many come before the marker.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from markdown_it import MarkdownIt

from newsdesk.dedup import DedupOptions, StoryOptions
from newsdesk.domain import ExtractedArticle, FeedEntry, NewsdeskError, Source, SourceKind, utcnow
from newsdesk.domain.access import DEFAULT_POLICY, Visibility
from newsdesk.domain.house import (
    HOUSE_EXTRA,
    HOUSE_SOURCE_URL,
    HousePiece,
    RenderedPiece,
)
from newsdesk.domain.ports import Store
from newsdesk.extract.sanitize import sanitize_html
from newsdesk.pipeline.summary import IngestSummary
from newsdesk.pipeline.writer import ArticleWriter, PreparedArticle
from newsdesk.sources.house import (
    HousePieceError,
    is_house_file,
    parse_house_piece,
    split_at_marker,
)
from newsdesk.text.normalize import strip_markup
from newsdesk.text.sentences import paragraphs

NON_PROSE = {"table": "[Table in the full analysis]", "pre": "[Code in the full analysis]"}
_NON_PROSE_TAG = re.compile(r"<(/?)\s*(table|pre)\b[^<>]*>", re.IGNORECASE)
_ROW = re.compile(r"<tr\b[^<>]*>", re.IGNORECASE)
_CELL = re.compile(r"<t[dh]\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
DEFAULT_PREVIEW = DEFAULT_POLICY.preview_paragraphs
_ALLOWED_LINK = ("http://", "https://", "mailto:", "/", "#", "./", "../")


def _markdown() -> MarkdownIt:
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    renderer.enable("table").enable("strikethrough")
    renderer.validateLink = _safe_link  # type: ignore[method-assign]
    return renderer


def _safe_link(url: str) -> bool:
    """Only web, mail and relative links (markdown-it already refuses javascript: & co)."""
    lowered = url.strip().lower()
    return lowered.startswith(_ALLOWED_LINK) or ":" not in lowered.split("/", 1)[0]


_MARKDOWN = _markdown()


def render_piece(
    body: str, body_format: str = "markdown", *, default_preview: int = DEFAULT_PREVIEW
) -> RenderedPiece:
    """The stored form of a piece's body: sanitized HTML, plain paragraphs, its break.

    The text is the prose (a table or code block is one line saying where it is) and then,
    after all of it, each table's rows ("a | b | c") and each code block's lines, so search
    and enrichment read them. A preview is the text's first paragraphs and never reaches
    them: the break is at most the prose's paragraphs. A piece without a marker but with a
    table gets that break explicitly, the site's default (default_preview) or the whole prose
    if shorter, since the default applied at reading could be longer than the prose."""
    before, after = split_at_marker(body)
    html_before = _html(before, body_format)
    html_after = _html(after, body_format) if after is not None else ""
    head_prose, head_blocks = prose_and_blocks(html_before)
    tail_prose, tail_blocks = prose_and_blocks(html_after)
    head, tail = paragraphs(head_prose), paragraphs(tail_prose)
    beyond = [line for block in (*head_blocks, *tail_blocks) for line in block_lines(block)]
    preview = len(head) if after is not None else None
    if preview is None and beyond:
        preview = min(len(head), max(0, default_preview))
    return RenderedPiece(
        html="\n".join(part for part in (html_before, html_after) if part),
        text="\n\n".join([*head, *tail, *beyond]),
        preview_paragraphs=preview,
    )


def prose_only(html: str) -> str:
    """The HTML with each table and preformatted block (outermost) replaced by one paragraph
    that says what is there. A preview shows the text's first paragraphs, and a table's cells
    became one-word paragraphs of it: none of a cell's text may reach a preview."""
    return prose_and_blocks(html)[0]


def prose_and_blocks(html: str) -> tuple[str, list[str]]:
    """prose_only's HTML, and the HTML of each block it replaced, in order."""
    kept: list[str] = []
    blocks: list[str] = []
    outer, depth, position, start = "", 0, 0, 0
    for tag in _NON_PROSE_TAG.finditer(html):
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if depth == 0:
            if not closing:
                kept.append(html[position : tag.start()])
                outer, depth, start = name, 1, tag.start()
        elif name == outer:
            depth += -1 if closing else 1
            if depth == 0:
                kept.append(f"<p>{NON_PROSE[outer]}</p>")
                blocks.append(html[start : tag.end()])
                position = tag.end()
    if depth:  # never closed (sanitized HTML always is): the rest is the block's
        kept.append(f"<p>{NON_PROSE[outer]}</p>")
        blocks.append(html[start:])
    else:
        kept.append(html[position:])
    return "".join(kept), blocks


def block_lines(block: str) -> list[str]:
    """A table's rows as lines of its cells ("a | b | c"), or a code block's lines; plain
    text, spaces collapsed, empty lines left out."""
    if block[1:4].lower() == "pre":
        lines = _ANY_TAG.sub("", block).splitlines()
        return [line for line in map(strip_markup, lines) if line]
    rows = []
    for row in _ROW.split(block)[1:]:
        cells = [strip_markup(cell) for cell in _CELL.split(row)[1:]]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _html(source: str, body_format: str) -> str:
    raw = _MARKDOWN.render(source) if body_format == "markdown" else source
    return sanitize_html(raw, base_url=None)


def house_source(store: Store, site_name: str) -> Source:
    """The built-in source of house pieces, named after the site (renamed with it)."""
    found = store.get_source_by_url(HOUSE_SOURCE_URL)
    if found is None:
        return store.add_source(
            Source(
                url=HOUSE_SOURCE_URL,
                name=site_name,
                kind=SourceKind.PAGE,
                rights="full",  # the publisher's own text: the site may show all of it
                enabled=False,  # never fetched
                disabled_reason="house analysis",
            )
        )
    if found.name != site_name:
        found = replace(found, name=site_name)
        store.update_source(found)
    return found


def prepared_piece(
    piece: HousePiece, rendered: RenderedPiece, visibility: Visibility | None
) -> PreparedArticle:
    extracted = ExtractedArticle(
        text=rendered.text,
        html=rendered.html,
        title=piece.title,
        authors=piece.authors,
        published=piece.published,
        extractor="house",
    )
    entry = FeedEntry(
        url=piece.url,
        guid=piece.slug,
        title=piece.title,
        published=piece.published,
        authors=piece.authors,
    )
    return PreparedArticle(
        entry=entry,
        url=piece.url,
        canonical_url=piece.url,
        extracted=extracted,
        visibility=visibility,
        preview_paragraphs=rendered.preview_paragraphs,
    )


class HouseWriter:
    """Writes house pieces of one site: each renders, is stored (or updated: the slug is its
    key), gets exactly its visibility and break, its source text for the editor, and the
    sectors it names as an editor's labels."""

    def __init__(
        self,
        store: Store,
        *,
        site_name: str,
        sector_ids: Iterable[str],
        dedup_options: DedupOptions,
        story_options: StoryOptions | None = None,
        clock: Callable[[], datetime] = utcnow,
        default_preview: int = DEFAULT_PREVIEW,
    ) -> None:
        self._store = store
        self._default_preview = default_preview
        self._source = house_source(store, site_name)
        self._sectors = frozenset(sector_ids)
        self._writer = ArticleWriter(store, dedup_options, story_options or StoryOptions(), clock)

    def write(
        self,
        piece: HousePiece,
        summary: IngestSummary,
        *,
        default_visibility: Visibility | None = None,
    ) -> int:
        unknown = sorted(set(piece.sectors) - self._sectors)
        if unknown:
            raise HousePieceError(f"{piece.slug}: unknown sectors: {', '.join(unknown)}")
        rendered = render_piece(
            piece.body, piece.body_format, default_preview=self._default_preview
        )
        if not rendered.text.strip():
            raise HousePieceError(f"{piece.slug}: the piece has no text once rendered")
        visibility = piece.visibility or default_visibility or Visibility.PUBLIC
        article_id = self._writer.write_article(
            self._source, prepared_piece(piece, rendered, visibility), summary
        )
        if article_id is None:
            raise HousePieceError(
                f"{piece.slug}: the same text is already stored as another article"
            )
        self._store.set_article_access(
            article_id, visibility=visibility, preview_paragraphs=rendered.preview_paragraphs
        )
        self._store.set_article_extra(article_id, HOUSE_EXTRA, _source_text(piece))
        if piece.sectors:
            self._store.set_editor_sectors(article_id, list(piece.sectors))
        return article_id


def _source_text(piece: HousePiece) -> dict[str, object]:
    """What the editor needs to open the piece again."""
    return {
        "format": piece.body_format,
        "body": piece.body,
        "slug": piece.slug,
        "sectors": list(piece.sectors),
        "visibility": str(piece.visibility) if piece.visibility else None,
    }


def house_files(path: Path) -> list[Path]:
    """The house pieces at path: the file itself, or the folder's Markdown files and HTML
    files with front matter (other HTML files are pages to extract)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and is_house_file(p))
    return [path] if is_house_file(path) else []


def import_house_files(
    files: Sequence[Path], writer: HouseWriter, *, visibility: Visibility | None = None
) -> IngestSummary:
    """`newsdesk import` of house pieces; a bad file is reported and the rest go on."""
    started = time.perf_counter()
    summary = IngestSummary(sources=1)
    for file in files:
        try:
            with file.open("rb") as stream:
                data = stream.read(MAX_READ)
            piece = parse_house_piece(data, name=file.name)
            writer.write(piece, summary, default_visibility=visibility)
        except NewsdeskError as error:
            summary.failed += 1
            summary.errors.append(str(error))
        except OSError as error:
            summary.failed += 1
            summary.errors.append(f"{file.name}: {error.strerror or error}")
    summary.seconds = time.perf_counter() - started
    return summary


MAX_READ = 1024 * 1024 + 1  # one byte over the cap, so parse_house_piece says it is too big


def source_text_of(extra: dict[str, object]) -> dict[str, object] | None:
    """The editor's copy of a stored piece (None: not a house piece, or an old one)."""
    value = extra.get(HOUSE_EXTRA)
    return value if isinstance(value, dict) else None


class HouseDesk:
    """What the admin editor uses (publish.ports.HouseDesk): render a draft, save a piece
    (stored, then enriched at once, so it joins stories, search and digests)."""

    def __init__(
        self,
        store: Store,
        *,
        site_name: str,
        sector_ids: Iterable[str],
        dedup_options: DedupOptions,
        enrich: Callable[[list[int]], object],
        default_preview: int = DEFAULT_PREVIEW,
    ) -> None:
        self._store = store
        self._default_preview = default_preview
        self._site_name = site_name
        self._sectors = tuple(sector_ids)
        self._dedup = dedup_options
        self._enrich = enrich

    def render(self, body: str, body_format: str = "markdown") -> RenderedPiece:
        return render_piece(body, body_format, default_preview=self._default_preview)

    def save(self, piece: HousePiece) -> int:
        """Store or update the piece (its slug is its key); HousePieceError says why not."""
        summary = IngestSummary()
        writer = HouseWriter(
            self._store,
            site_name=self._site_name,
            sector_ids=self._sectors,
            dedup_options=self._dedup,
            default_preview=self._default_preview,
        )
        article_id = writer.write(piece, summary)
        if summary.changed_ids:
            self._enrich(summary.changed_ids)
        return article_id
