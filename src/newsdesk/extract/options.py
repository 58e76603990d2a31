"""Per-call options of the extraction stage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ExtractOptions:
    """How one page is extracted; built by ``bootstrap`` from settings, or by hand in tests."""

    include_tables: bool = True
    # The extractor trusted first; the batch falls back to readability when a page hangs.
    primary_extractor: Literal["trafilatura", "readability"] = "trafilatura"
    # trafilatura's primary pass favours precision (drops more furniture: captions, teasers,
    # link lists). When its text is under recall_guard_share of the page's paragraph text, a
    # balanced pass is asked too and wins if it keeps recall_guard_gain times more text.
    favor_precision: bool = True
    recall_guard_share: float = 0.3
    recall_guard_gain: float = 1.2
    # ...unless that balanced pass is another region of the page: it holds almost none of the
    # precision pass's text (decision.other_region_reason); then the precision pass stays,
    # except when the publisher's articleBody (json_ld_body) holds the balanced pass and not
    # the precision one (decision.publisher_backs_other_region).
    recall_guard_same_region: bool = True
    # Blocks the precision pass dropped between two blocks it kept next to each other
    # (subheadings, short paragraphs, list items) go back when they read as article text
    # (interior.restore_reason).
    restore_interior: bool = True
    # ...also where the gap between the two kept blocks is long only because of boxes inside
    # it (a photo gallery's captions, an embedded video teaser): its runs of running text
    # between the boxes are looked at one by one (interior.split_boxed_gap).
    interior_boxed_gaps: bool = True
    # A body that starts with the page's <h1> headline loses that line: the title is metadata
    # (ExtractedArticle.title), and article bodies in published benchmarks leave it out.
    drop_headline: bool = True
    # ...and any later body block that repeats the page's <title> or og:title (the headline
    # printed again under a lead photo or above a section) leaves too.
    drop_repeated_title: bool = True
    # A body block that is only a link to another article of the same site ("Read also:
    # <a>Other headline</a>", a related-headlines list) is dropped (links.is_related_link_block).
    drop_related_links: bool = True
    # The publisher's own article text (JSON-LD articleBody) as a second opinion on the kept
    # body: when it holds at least json_ld_min_coverage of the body's word 4-grams, the body's
    # leading and trailing blocks it does not hold are dropped (decision.publisher_body_opinion);
    # it also settles a recall-guard split between two regions (see recall_guard_same_region).
    json_ld_body: bool = True
    json_ld_min_coverage: float = 0.5
    # The publisher's articleBody as the text itself, on a page rendered by JavaScript whose
    # HTML shows only a fragment of the story (a caption, a standfirst) or none at all: when
    # it is the page's one articleBody, of at least json_ld_text_min_words words and at most
    # json_ld_text_max_chars characters, and the HTML's text has under json_ld_text_max_share
    # of its words and is tiny (under json_ld_text_tiny_words) or at least json_ld_text_min_held
    # of its 4-grams are in it (decision.publisher_text_reason). None: never.
    json_ld_text_min_words: int | None = 150
    json_ld_text_max_share: float = 0.25
    json_ld_text_tiny_words: int = 40
    json_ld_text_min_held: float = 0.5
    json_ld_text_max_chars: int = 200_000
    # A paragraph shortly before the body that the page declares as its description (meta,
    # og:, twitter: or JSON-LD description) is the standfirst its container left out: it goes
    # in front of the body (standfirst.standfirst_reason).
    declared_standfirst: bool = True
    # A photo caption printed as a body paragraph that opens with its credit in an element of its
    # own (<span class="copyright">Agency</span> Caption...) beside an image leaves the body
    # (credits.credit_caption_reason).
    drop_credited_captions: bool = True
    # A body block that is the text of a <figcaption> with an image in its parent (a caption the
    # precision pass kept because it sits beside its figure, not in it) leaves the body
    # (credits.figure_caption_reason).
    drop_figure_captions: bool = True
    # ...also when the caption is the body's first block (the lead photo's caption printed
    # above the text), as long as some other block stays.
    drop_leading_captions: bool = True
    # The body's last blocks (at most two, never its first) that are paragraphs set wholly in
    # italics (an editor's note, a series blurb, where the piece first appeared) leave the
    # body (notes.trailing_note_reason).
    drop_trailing_notes: bool = True
    # The first line of the body's first block and the last line of its last block, when line
    # breaks split the block (a story set as one paragraph of <br>-separated lines), get the
    # boilerplate rules as blocks do: a date or contact line there leaves (edge_lines.py).
    drop_edge_lines: bool = True
    # The body's trailing blocks that a cheap density reading of the page (its densest
    # container's text, density.density_text, ~2 CPU ms) does not hold leave, when that reading
    # holds at least this share of the body's words (density.unbacked_tail; None: off): sign-up
    # and donation boxes, press contacts, link lists after the story.
    unbacked_tail_min_cover: float | None = 0.8
    # Text of a page is kept only when at least this many characters remain.
    min_text_chars: int = 25
    # A primary text shorter than this (or none at all) asks the other extractors.
    short_text_chars: int = 500
    # ...unless it holds at least this share of the paragraph text of the page's one <article>
    # element and nothing outside it: a short story, not a truncated one (None: always ask).
    declared_article_share: float | None = 0.8
    second_opinion: bool = True
    # A candidate confirmed by another at this 4-gram shingle agreement wins outright.
    agreement_threshold: float = 0.8
    # Among second opinions, leave out a candidate that runs another's lines together into
    # one (trafilatura's baseline fallback: the whole page as one paragraph) while one remains.
    drop_flattened: bool = True
    # How hard to look for the publication date: "full" reads markup, URL and then the text
    # (slow: it may parse free-text dates), "quick" markup and URL only, "off" not at all
    # (for callers that already know the date, such as a feed item's pubDate).
    date_search: Literal["full", "quick", "off"] = "full"
    # Metadata the caller already has (a feed item's "title", "authors"): not searched for in
    # the page beyond what its markup declares.
    known_metadata: frozenset[str] = frozenset()
    # Produce the sanitized HTML body as well as the text.
    with_html: bool = True
    # Pages larger than this (bytes, after decoding) are refused before parsing.
    max_html_bytes: int = 8 * 1024 * 1024
    # Batch mode: per-page wall-clock deadline and worker memory cap.
    page_timeout_seconds: float = 20.0
    worker_memory_mb: int = 2048
