"""The public entry of the stage: one page in, one ExtractedArticle out."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from lxml.html import HtmlElement

from newsdesk.domain import ExtractedArticle, ExtractionError
from newsdesk.extract.body_trims import (
    page_headlines,
    without_captions,
    without_repeated_title,
    without_trailing_notes,
    without_unbacked_tail,
)
from newsdesk.extract.boilerplate import BoilerplateKind, boilerplate_kind
from newsdesk.extract.candidates import (
    Candidate,
    CandidateName,
    declared_article_text,
    link_texts,
    make_candidate,
    paragraph_chars,
    publisher_candidate,
)
from newsdesk.extract.cleanup import (
    body_blocks,
    heading_words,
    remove_blocks,
    remove_boilerplate,
    remove_headline,
    remove_matching_blocks,
    repeats_heading,
)
from newsdesk.extract.credits import credited_captions, figure_captions
from newsdesk.extract.decision import (
    Decision,
    adds_link_listing,
    choose_candidate,
    holds_declared_article,
    other_region_reason,
    precision_in_doubt,
    publisher_backs_other_region,
    publisher_body_opinion,
    publisher_text_reason,
    second_opinion_reason,
)
from newsdesk.extract.edge_lines import remove_edge_lines
from newsdesk.extract.interior import restore_interior_blocks
from newsdesk.extract.jsonld import (
    JsonLd,
    article_bodies,
    article_body_paragraphs,
    article_descriptions,
    read_json_ld,
)
from newsdesk.extract.links import (
    is_related_link_block,
    link_targets,
    may_be_link_block,
    page_addresses,
)
from newsdesk.extract.metadata import extract_page_metadata
from newsdesk.extract.options import ExtractOptions
from newsdesk.extract.page import parse_page
from newsdesk.extract.sanitize import sanitize_html
from newsdesk.extract.standfirst import declared_standfirst, page_descriptions, prepend_block
from newsdesk.extract.stories import story_tree

logger = logging.getLogger(__name__)

# Extractors asked, in order of preference, after the primary one.
OPINIONS = (CandidateName.BALANCED, CandidateName.RECALL, CandidateName.READABILITY)


def primary_candidate(options: ExtractOptions) -> CandidateName:
    if options.primary_extractor == "readability":
        return CandidateName.READABILITY
    return CandidateName.PRECISION if options.favor_precision else CandidateName.BALANCED


class _RelatedLinks:
    """Whether a body block is a link to another article of the site (`links`), with the
    page's links read once, on the first block that may be one."""

    def __init__(self, tree: HtmlElement, url: str | None) -> None:
        self._tree = tree
        self._url = url
        self._targets: dict[str, tuple[str, ...]] | None = None
        self._addresses: tuple[str, ...] = ()

    def __call__(self, text: str) -> bool:
        if not may_be_link_block(text):
            return False
        if self._targets is None:
            self._targets = link_targets(self._tree)
            self._addresses = page_addresses(self._tree, self._url) if self._targets else ()
        return is_related_link_block(text, self._targets, self._addresses)


def _cleaned(
    candidate: Candidate | None,
    *,
    url: str | None,
    headlines: frozenset[tuple[str, ...]],
    related: _RelatedLinks | None = None,
) -> tuple[Candidate, str] | None:
    """The candidate with boilerplate blocks (a leading headline, and links to other
    articles of the site when `related` is given) removed, and its text; None if nothing is
    left."""
    if candidate is None:
        return None
    removed = remove_boilerplate(candidate.body, candidate.block_tags)
    headline = remove_headline(candidate.body, candidate.block_tags, headlines)
    if headline is not None:
        removed.append((BoilerplateKind.HEADLINE, headline))
    if related is not None:
        removed.extend(
            (BoilerplateKind.TEASER, text)
            for text in remove_matching_blocks(candidate.body, candidate.block_tags, related)
        )
    if removed:
        logger.debug(
            "removed %d boilerplate blocks from %s on %s: %s",
            len(removed),
            candidate.name,
            url,
            "; ".join(f"{kind}: {text[:60]!r}" for kind, text in removed),
        )
    text = candidate.text()
    return (candidate, text) if text.strip() else None


def choose_body(
    tree: HtmlElement,
    *,
    url: str | None,
    options: ExtractOptions,
    json_ld: JsonLd | None = None,
    story: HtmlElement | None = None,
) -> tuple[Candidate, str, Decision]:
    """The page's article body: the candidate `_candidate_body` keeps, less the edge blocks
    the publisher's own article text (JSON-LD articleBody, when `json_ld` is given and the
    option is on) leaves out, with the standfirst the page declares in front when the body
    lacks it (standfirst.py). `story` is `stories.story_tree(tree)` when the caller has it
    (None: read here)."""
    candidate, text, decision = _publisher_body(
        tree, url=url, options=options, json_ld=json_ld, story=story
    )
    if not options.declared_standfirst:
        return candidate, text, decision
    declared = article_descriptions(json_ld) if json_ld is not None else ()
    descriptions = page_descriptions(tree, declared)
    if not descriptions:
        return candidate, text, decision
    headlines: list[frozenset[tuple[str, ...]]] = []  # read only once a paragraph is judged

    def is_furniture(block: str) -> bool:
        if not headlines:
            headlines.append(page_headlines(tree))
        return boilerplate_kind(block) is not None or repeats_heading(block, headlines[0])

    standfirst, looked = declared_standfirst(
        tree,
        candidate.body,
        candidate.block_tags,
        descriptions,
        is_furniture=is_furniture,
        unshown_body=candidate.name is CandidateName.PUBLISHER,
    )
    if looked:
        logger.debug(
            "standfirst on %s: %s", url, "; ".join(f"{why}: {t[:60]!r}" for why, t in looked)
        )
    if standfirst is None:
        return candidate, text, decision
    prepend_block(candidate.body, candidate.block_tags, standfirst)
    reason = f"{decision.reason}; the declared standfirst goes in front"
    return candidate, candidate.text(), Decision(decision.winner, reason)


def _publisher_body(
    tree: HtmlElement,
    *,
    url: str | None,
    options: ExtractOptions,
    json_ld: JsonLd | None,
    story: HtmlElement | None,
) -> tuple[Candidate, str, Decision]:
    """`_candidate_body`'s body less the edge blocks the publisher's articleBody leaves out;
    the articleBody itself when the page's HTML shows only a fragment of it or no article
    text at all (`_publisher_text`)."""
    bodies = article_bodies(json_ld) if json_ld is not None and options.json_ld_body else ()
    try:
        candidate, text, decision = _candidate_body(
            story if story is not None else story_tree(tree),
            url=url,
            options=options,
            bodies=bodies,
        )
    except ExtractionError:
        published = _publisher_text(json_ld, None, url=url, options=options)
        if published is None:
            raise
        return published
    published = _publisher_text(json_ld, text, url=url, options=options)
    if published is not None:
        return published
    if not bodies:
        return candidate, text, decision
    blocks = body_blocks(candidate.body, candidate.block_tags)
    opinion = publisher_body_opinion(
        [block_text for _, block_text in blocks],
        bodies,
        min_coverage=options.json_ld_min_coverage,
    )
    logger.debug("publisher's articleBody on %s: %s", url, opinion.reason)
    if not opinion.drop:
        return candidate, text, decision
    logger.debug(
        "removed %d blocks the articleBody leaves out on %s: %s",
        len(opinion.drop),
        url,
        "; ".join(repr(blocks[index][1][:60]) for index in opinion.drop),
    )
    remove_blocks(candidate.body, candidate.block_tags, [blocks[i][0] for i in opinion.drop])
    reason = f"{decision.reason}; {opinion.reason}"
    return candidate, candidate.text(), Decision(decision.winner, reason)


def _publisher_text(
    json_ld: JsonLd | None, text: str | None, *, url: str | None, options: ExtractOptions
) -> tuple[Candidate, str, Decision] | None:
    """The publisher's articleBody as the page's body, as escaped paragraphs, when
    decision.publisher_text_reason takes it over `text` (the HTML's text; None: none)."""
    if json_ld is None or options.json_ld_text_min_words is None or not json_ld.scripts:
        return None
    bodies = article_body_paragraphs(json_ld)
    if not bodies:
        return None
    use, reason = publisher_text_reason(
        text,
        ["\n".join(paragraphs) for paragraphs in bodies],
        min_words=options.json_ld_text_min_words,
        max_share=options.json_ld_text_max_share,
        min_held=options.json_ld_text_min_held,
        tiny_words=options.json_ld_text_tiny_words,
        max_chars=options.json_ld_text_max_chars,
    )
    logger.debug("publisher's articleBody as the text on %s: %s", url, reason)
    if not use:
        return None
    candidate = publisher_candidate(bodies[0])
    return candidate, candidate.text(), Decision(candidate.name, f"articleBody: {reason}")


def _candidate_body(
    tree: HtmlElement, *, url: str | None, options: ExtractOptions, bodies: Sequence[str] = ()
) -> tuple[Candidate, str, Decision]:
    """Run the primary extractor, and more only when it fails or looks truncated. `tree` is
    the page as its body is extracted from (`stories.story_tree`): on a page that carries
    further stories (endless scroll), extractors see only the story the page is about."""
    primary_name = primary_candidate(options)
    headlines = page_headlines(tree) if options.drop_headline else frozenset()
    related = _RelatedLinks(tree, url) if options.drop_related_links else None
    primary = _cleaned(
        make_candidate(tree, primary_name, url=url, include_tables=options.include_tables),
        url=url,
        headlines=headlines,
        related=related,
    )
    if primary is not None and primary_name is CandidateName.PRECISION and options.restore_interior:
        primary = _with_interior(
            tree,
            primary,
            url=url,
            headlines=headlines,
            related=related,
            boxed_gaps=options.interior_boxed_gaps,
        )
    reason = second_opinion_reason(
        primary[1] if primary else None, short_text_chars=options.short_text_chars
    )
    if not options.second_opinion:
        if primary is None:
            raise ExtractionError(f"no article text ({reason}; second opinions disabled)")
        return primary[0], primary[1], Decision(primary[0].name, "only extractor asked")
    if primary is not None and reason is not None and options.declared_article_share is not None:
        declared = declared_article_text(tree)
        if declared is not None and holds_declared_article(
            primary[1], *declared, share=options.declared_article_share
        ):
            logger.debug("no second opinions on %s: %s, the page's whole <article>", url, reason)
            reason = None
    if primary is not None and reason is None:
        if primary_name is CandidateName.PRECISION:
            return _guard_recall(
                tree,
                primary,
                url=url,
                options=options,
                headlines=headlines,
                related=related,
                bodies=bodies,
            )
        return primary[0], primary[1], Decision(primary[0].name, "primary extractor, not in doubt")
    logger.debug("asking for second opinions on %s: %s", url, reason)
    results = [primary] if primary else []
    for name in (name for name in OPINIONS if name is not primary_name):
        cleaned = _cleaned(
            make_candidate(tree, name, url=url, include_tables=options.include_tables),
            url=url,
            headlines=headlines,
            related=related,
        )
        if cleaned is not None:
            results.append(cleaned)
    decision = choose_candidate(
        [(candidate.name, text) for candidate, text in results],
        agreement_threshold=options.agreement_threshold,
        drop_flattened=options.drop_flattened,
    )
    if decision is None:
        raise ExtractionError(f"no extractor found article text ({reason})")
    candidate, text = next(item for item in results if item[0].name == decision.winner)
    return candidate, text, decision


def _with_interior(
    tree: HtmlElement,
    primary: tuple[Candidate, str],
    *,
    url: str | None,
    headlines: frozenset[tuple[str, ...]],
    related: _RelatedLinks | None,
    boxed_gaps: bool = True,
) -> tuple[Candidate, str]:
    """The precision body with the interior blocks it dropped given back (interior.py); a
    block the cleanup would remove again (furniture, the headline, a related link) stays out."""
    candidate = primary[0]

    def is_furniture(text: str) -> bool:
        return (
            boilerplate_kind(text) is not None
            or heading_words(text) in headlines
            or (related is not None and related(text))
        )

    looked, inserted = restore_interior_blocks(
        tree,
        candidate.body,
        candidate.block_tags,
        is_furniture=is_furniture,
        split_boxed_gaps=boxed_gaps,
    )
    if looked:
        logger.debug(
            "interior blocks on %s: %s",
            url,
            "; ".join(f"{why}: {text[:60]!r}" for why, text in looked),
        )
    return (candidate, candidate.text()) if inserted else primary


def _guard_recall(
    tree: HtmlElement,
    primary: tuple[Candidate, str],
    *,
    url: str | None,
    options: ExtractOptions,
    headlines: frozenset[tuple[str, ...]],
    related: _RelatedLinks | None,
    bodies: Sequence[str] = (),
) -> tuple[Candidate, str, Decision]:
    """The precision pass's body, unless it kept little of the page's paragraph text and a
    balanced pass keeps clearly more: then precision cost the article part of its text."""
    paragraphs = paragraph_chars(tree)
    if not precision_in_doubt(len(primary[1]), paragraphs, share=options.recall_guard_share):
        return primary[0], primary[1], Decision(primary[0].name, "primary extractor, not in doubt")
    balanced = _cleaned(
        make_candidate(
            tree, CandidateName.BALANCED, url=url, include_tables=options.include_tables
        ),
        url=url,
        headlines=headlines,
        related=related,
    )
    if balanced is not None and len(balanced[1]) >= options.recall_guard_gain * len(primary[1]):
        if adds_link_listing(primary[1], balanced[1], link_texts(tree)):
            reason = "primary extractor; the balanced pass only adds a list of links"
            return primary[0], primary[1], Decision(primary[0].name, reason)
        other = (
            other_region_reason(primary[1], balanced[1])
            if options.recall_guard_same_region
            else None
        )
        if other is not None and publisher_backs_other_region(
            primary[1], balanced[1], bodies, min_coverage=options.json_ld_min_coverage
        ):
            other = None
            logger.debug(
                "recall guard on %s: the publisher's articleBody backs the balanced pass", url
            )
        if other is not None:
            logger.debug("recall guard on %s: %s", url, other)
            return primary[0], primary[1], Decision(primary[0].name, f"primary extractor; {other}")
        reason = (
            f"precision pass kept {len(primary[1])} of {paragraphs} paragraph chars; "
            f"balanced pass {len(balanced[1])}"
        )
        return balanced[0], balanced[1], Decision(balanced[0].name, reason)
    return primary[0], primary[1], Decision(primary[0].name, "primary extractor, confirmed")


def extract_article(
    html: str | bytes,
    *,
    url: str | None,
    options: ExtractOptions,
    cpu_seconds: dict[str, float] | None = None,
) -> ExtractedArticle:
    """Main text, metadata and sanitized body HTML of one page.

    `cpu_seconds`, when given, gains this process's CPU time per step (parse, body, metadata,
    sanitize), for the ingest stage table. Raises ExtractionError when the page cannot be
    parsed or holds no article text.
    """
    clock = _StepClock(cpu_seconds)
    tree = parse_page(html, max_html_bytes=options.max_html_bytes)
    json_ld = read_json_ld(tree)
    clock.lap("parse")
    story = story_tree(tree)
    candidate, text, decision = choose_body(
        tree, url=url, options=options, json_ld=json_ld, story=story
    )
    if options.drop_credited_captions:
        text = without_captions(
            tree,
            candidate,
            text,
            find=credited_captions,
            kind="credited captions",
            url=url,
            leading=options.drop_leading_captions,
        )
    if options.drop_figure_captions:
        text = without_captions(
            tree,
            candidate,
            text,
            find=figure_captions,
            kind="figure captions",
            url=url,
            leading=options.drop_leading_captions,
        )
    if options.drop_repeated_title:
        text = without_repeated_title(tree, candidate, text, url=url)
    if options.drop_trailing_notes:
        text = without_trailing_notes(tree, candidate, text, url=url)
    if options.drop_edge_lines:
        lines = remove_edge_lines(candidate.body, candidate.block_tags)
        if lines:
            logger.debug("edge lines on %s: %s", url, "; ".join(f"{t[:60]!r}" for t in lines))
            text = candidate.text()
    if options.unbacked_tail_min_cover is not None:
        text = without_unbacked_tail(
            story, candidate, text, min_cover=options.unbacked_tail_min_cover, url=url
        )
    clock.lap("body")
    if len(text) < options.min_text_chars:
        raise ExtractionError(f"article text too short ({len(text)} chars)")
    logger.debug("extractor %s won on %s: %s", decision.winner, url, decision.reason)
    metadata = extract_page_metadata(
        tree,
        url=url,
        text=text,
        date_search=options.date_search,
        known=options.known_metadata,
        json_ld=json_ld,
    )
    clock.lap("metadata")
    body_html = ""
    if options.with_html:
        body_html = sanitize_html(candidate.html(), base_url=metadata.canonical_url or url)
    clock.lap("sanitize")
    return ExtractedArticle(
        text=text,
        html=body_html,
        title=metadata.title,
        authors=metadata.authors,
        published=metadata.published,
        language=metadata.language,
        site_name=metadata.site_name,
        image=metadata.image,
        canonical_url=metadata.canonical_url,
        extractor=str(candidate.name),
    )


class _StepClock:
    """Adds this process's CPU seconds since the previous lap to a step's total, if asked to."""

    def __init__(self, totals: dict[str, float] | None) -> None:
        self._totals = totals
        self._last = time.process_time() if totals is not None else 0.0

    def lap(self, step: str) -> None:
        if self._totals is None:
            return
        now = time.process_time()
        self._totals[step] = self._totals.get(step, 0.0) + now - self._last
        self._last = now
