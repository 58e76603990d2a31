"""Which candidate body to keep, and why. Pure functions over candidate texts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

SHINGLE_WORDS = 4


@dataclass(frozen=True)
class Decision:
    winner: str  # candidate name
    reason: str


def shingles(text: str, size: int = SHINGLE_WORDS) -> Counter[tuple[str, ...]]:
    words = text.casefold().split()
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def agreement(left: Counter[tuple[str, ...]], right: Counter[tuple[str, ...]]) -> float:
    """Shingle F1 of two texts: 1.0 for the same text, 0.0 for nothing in common."""
    if not left or not right:
        return 0.0
    common = sum((left & right).values())
    if not common:
        return 0.0
    precision = common / sum(left.values())
    recall = common / sum(right.values())
    return 2 * precision * recall / (precision + recall)


def second_opinion_reason(primary_text: str | None, *, short_text_chars: int) -> str | None:
    """Why the primary candidate alone cannot be trusted, or None if it can."""
    if primary_text is None:
        return "primary extractor failed or found nothing"
    if len(primary_text) < short_text_chars:
        return f"primary text is short ({len(primary_text)} chars)"
    return None


def holds_declared_article(
    primary_text: str, article_text: str, article_paragraph_chars: int, *, share: float
) -> bool:
    """Whether a primary text is the page's one declared article: every line of it is in the
    <article> element's text and it holds at least `share` of that element's paragraph text.
    A short text that is the whole declared article is short because the story is."""
    if not article_paragraph_chars or len(primary_text) < share * article_paragraph_chars:
        return False
    return all(line in article_text for line in primary_text.splitlines() if line)


def precision_in_doubt(text_chars: int, paragraph_chars: int, *, share: float) -> bool:
    """A precision-first body under `share` of the page's paragraph text may have lost part
    of the article (pages of many short paragraphs, lists, tables), not only its furniture."""
    return text_chars < share * paragraph_chars


# A recall-guard win whose added text has at least this many lines that are link texts of the
# page, making up at least this share of the added lines, brought a teaser list, not article.
LISTING_MIN_LINKED_LINES = 5
LISTING_LINKED_SHARE = 0.2


def adds_link_listing(primary_text: str, fuller_text: str, link_texts: Collection[str]) -> bool:
    """Whether the lines `fuller_text` adds to `primary_text` read as a list of links to other
    pages (teaser headlines that are the page's link texts or link titles) rather than the
    article paragraphs a truncated precision pass lost."""
    kept = {line.strip() for line in primary_text.splitlines()}
    added = [
        line
        for line in (line.strip() for line in fuller_text.splitlines())
        if line and line not in kept
    ]
    linked = sum(line in link_texts for line in added)
    return linked >= LISTING_MIN_LINKED_LINES and linked >= LISTING_LINKED_SHARE * len(added)


# The recall guard's balanced pass is meant to be the same article with what precision pruned
# put back, so it holds nearly all of the precision pass's text. One that holds under this
# share of its word 4-grams found another region of the page (a navigation tree, a listing,
# a sidebar): the precision pass's body is kept. On the dev set's tuning pages the guard's
# wins that helped hold 0.40-1.00 of it, and none holds less; the one that held 0.01 (a
# validation page, a ministry press release whose balanced pass was the site's navigation)
# lost the whole article.
FULLER_BODY_MIN_CONTAINMENT = 0.25


def containment(primary_text: str, fuller_text: str) -> float:
    """Share of `primary_text`'s word 4-grams (counted) that `fuller_text` holds: 1.0 when
    the fuller text contains it, 0.0 when they share nothing or the primary has no words."""
    primary = shingles(primary_text)
    total = sum(primary.values())
    if not total:
        return 0.0
    return sum((primary & shingles(fuller_text)).values()) / total


def other_region_reason(primary_text: str, fuller_text: str) -> str | None:
    """Why `fuller_text` (a recall-guard win) is another region of the page rather than a
    fuller version of `primary_text`, or None when it holds the primary's text."""
    share = containment(primary_text, fuller_text)
    if share >= FULLER_BODY_MIN_CONTAINMENT:
        return None
    return f"the balanced pass holds only {share:.2f} of the precision pass's text"


# A candidate is a flattened page when one of its lines, longer than every line of another
# candidate, holds at least this many of that candidate's lines (of two words or more) whole:
# trafilatura falls back to its baseline on a page it cannot read and returns all of the
# page's text (title, byline, body, share buttons, related posts, copyright) as one paragraph.
FLATTENED_MIN_LINES = 3
_FLATTENED_LINE_MIN_WORDS = 2


def flattened_reason(text: str, others: Sequence[str]) -> str | None:
    """Why `text` is one of the other candidates' texts run together into one line, or None
    when no line of it holds FLATTENED_MIN_LINES lines of another candidate."""
    lines = [line.strip() for line in text.splitlines()]
    for other in others:
        other_lines = {line.strip() for line in other.splitlines()}
        longest = max((len(line) for line in other_lines), default=0)
        parts = [line for line in other_lines if len(line.split()) >= _FLATTENED_LINE_MIN_WORDS]
        if len(parts) < FLATTENED_MIN_LINES:
            continue
        for line in lines:
            if len(line) <= longest:
                continue
            held = sum(part in line for part in parts)
            if held >= FLATTENED_MIN_LINES:
                return f"one {len(line)}-char line holds {held} lines of another candidate"
    return None


def choose_candidate(
    candidates: Sequence[tuple[str, str]],
    *,
    agreement_threshold: float,
    drop_flattened: bool = False,
) -> Decision | None:
    """Pick one of (name, text) candidates, listed in order of preference.

    With `drop_flattened`, a candidate that runs another's lines together into one
    (`flattened_reason`) is left out while one that does not remains. The first candidate
    wins when another one confirms it; otherwise the candidate that agrees most with all the
    others wins (a vote), and with no agreement at all the longest text wins, since a short
    result among disagreeing ones is most often a truncation.
    """
    present = [(name, text) for name, text in candidates if text.strip()]
    if not present:
        return None
    if drop_flattened and len(present) > 1:
        texts = [text for _, text in present]
        why = [
            flattened_reason(text, texts[:index] + texts[index + 1 :])
            for index, text in enumerate(texts)
        ]
        kept = [item for item, reason in zip(present, why, strict=True) if reason is None]
        if kept and len(kept) < len(present):
            dropped = "; ".join(
                f"{name}: {reason}"
                for (name, _), reason in zip(present, why, strict=True)
                if reason is not None
            )
            decision = choose_candidate(kept, agreement_threshold=agreement_threshold)
            if decision is None:
                return None
            return Decision(decision.winner, f"{decision.reason}; left out flattened {dropped}")
    if len(present) == 1:
        name = present[0][0]
        return Decision(name, "only candidate with text")
    grams = [shingles(text) for _, text in present]
    scores = [
        [agreement(grams[i], grams[j]) if i != j else 0.0 for j in range(len(present))]
        for i in range(len(present))
    ]
    first_best = max(scores[0])
    if first_best >= agreement_threshold:
        return Decision(
            present[0][0], f"confirmed by another extractor (agreement {first_best:.2f})"
        )
    totals = [sum(row) for row in scores]
    best_total = max(totals)
    if best_total > 0 and len(present) > 2:
        index = totals.index(best_total)
        return Decision(
            present[index][0],
            f"agrees most with the others (total agreement {best_total:.2f})",
        )
    lengths = [len(text) for _, text in present]
    index = lengths.index(max(lengths))
    return Decision(present[index][0], f"no agreement; longest text ({lengths[index]} chars)")


# The publisher's articleBody (JSON-LD) as a second opinion on the kept body's blocks: it is
# trusted only when it has at least this many words and holds at least `min_coverage` of the
# body's word 4-grams (a paywall teaser, a summary, another article's body or one in another
# language holds far less); then the body's leading and trailing blocks that share nothing
# with it go: standfirsts, captions, datelines, sign-up boxes, bios, related links.
PUBLISHER_BODY_MIN_WORDS = 50
PUBLISHER_BODY_MAX_DROP_SHARE = 0.3
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BodyOpinion:
    drop: tuple[int, ...]  # indices of the blocks to remove
    reason: str


def folded_words(text: str) -> list[str]:
    """The text's words (`\\w+`), case-folded: what two renderings of one text share."""
    return [word.casefold() for word in _WORD.findall(text)]


def _grams(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _best_body(
    primary_grams: Sequence[tuple[str, ...]], bodies: Sequence[str]
) -> tuple[float, list[str]] | None:
    """The articleBody (as words) holding most of the body's 4-grams, and that share; None
    when none has PUBLISHER_BODY_MIN_WORDS words."""
    best: tuple[float, list[str]] | None = None
    for body in bodies:
        words = folded_words(body)
        if len(words) < PUBLISHER_BODY_MIN_WORDS:
            continue
        grams = _grams(words)
        coverage = sum(gram in grams for gram in primary_grams) / len(primary_grams)
        if best is None or coverage > best[0]:
            best = (coverage, words)
    return best


def publisher_body_coverage(text: str, bodies: Sequence[str]) -> float:
    """Share of `text`'s word 4-grams that the best of the page's articleBody strings holds;
    0.0 when the text has no 4-gram or no articleBody has PUBLISHER_BODY_MIN_WORDS words."""
    words = folded_words(text)
    grams = [tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    if not grams:
        return 0.0
    best = _best_body(grams, bodies)
    return 0.0 if best is None else best[0]


def publisher_backs_other_region(
    primary_text: str, fuller_text: str, bodies: Sequence[str], *, min_coverage: float
) -> bool:
    """Whether the publisher's articleBody settles a recall-guard split between two regions
    for the fuller one: it holds at least `min_coverage` of the fuller text and less of the
    primary's (a precision pass that took a subscription box, a balanced pass the article)."""
    if not bodies:
        return False
    fuller = publisher_body_coverage(fuller_text, bodies)
    return fuller >= min_coverage and fuller > publisher_body_coverage(primary_text, bodies)


def _anchored_edges(
    verdicts: Sequence[bool | None], block_words: Sequence[list[str]], body_words: list[str]
) -> tuple[list[int], list[int]]:
    """The leading and the trailing run of blocks judged False (None passes over), each only
    when the articleBody starts (ends) with the first (last) words of the blocks kept between
    them: a body that ends mid-paragraph is truncated, and says nothing about what follows."""
    held = [index for index, verdict in enumerate(verdicts) if verdict]
    if not held:
        return [], []
    kept = [word for words in block_words[held[0] : held[-1] + 1] for word in words]
    size = SHINGLE_WORDS
    leading = [index for index in range(held[0]) if verdicts[index] is False]
    trailing = [index for index in range(held[-1] + 1, len(verdicts)) if verdicts[index] is False]
    return (
        leading if kept[:size] == body_words[:size] else [],
        trailing if kept[-size:] == body_words[-size:] else [],
    )


def publisher_body_opinion(
    blocks: Sequence[str], bodies: Sequence[str], *, min_coverage: float
) -> BodyOpinion:
    """Which of the body's `blocks` (texts in order) to drop because the publisher's own
    article text (`bodies`, the page's JSON-LD articleBody strings) leaves them out.

    Only runs of blocks at the start and the end go, never a block between two that the
    articleBody holds (subheadings, tables and lists are often missing from it), each only
    when the articleBody starts (ends) where the kept blocks do, and never more than
    PUBLISHER_BODY_MAX_DROP_SHARE of the words. A block of fewer than four words is
    in the articleBody when its words appear there in a row; a longer one when any of its
    4-grams does; a block without words is passed over.
    """
    if not bodies:
        return BodyOpinion((), "no articleBody")
    block_words = [folded_words(block) for block in blocks]
    primary = [word for words in block_words for word in words]
    primary_grams = [
        tuple(primary[i : i + SHINGLE_WORDS]) for i in range(len(primary) - SHINGLE_WORDS + 1)
    ]
    if not primary_grams:
        return BodyOpinion((), "body too short to compare")
    best = _best_body(primary_grams, bodies)
    if best is None:
        return BodyOpinion((), f"articleBody under {PUBLISHER_BODY_MIN_WORDS} words")
    coverage, body_words = best
    if coverage < min_coverage:
        return BodyOpinion((), f"articleBody holds only {coverage:.2f} of the body")
    grams = _grams(body_words)
    joined = f" {' '.join(body_words)} "
    verdicts = [
        None
        if not words
        else f" {' '.join(words)} " in joined
        if len(words) < SHINGLE_WORDS
        else not grams.isdisjoint(_grams(words))
        for words in block_words
    ]
    leading, trailing = _anchored_edges(verdicts, block_words, body_words)
    drop = leading + trailing
    if not drop:
        return BodyOpinion((), f"articleBody holds {coverage:.2f} of the body and its edges")
    dropped_words = sum(len(block_words[index]) for index in drop)
    if dropped_words > PUBLISHER_BODY_MAX_DROP_SHARE * len(primary):
        return BodyOpinion(
            (), f"articleBody holds {coverage:.2f}, but would drop {dropped_words} words"
        )
    return BodyOpinion(
        tuple(drop),
        f"articleBody holds {coverage:.2f} of the body and starts and ends with it, not "
        f"its {len(leading)} leading and {len(trailing)} trailing blocks",
    )


def publisher_text_reason(
    text: str | None,
    bodies: Sequence[str],
    *,
    min_words: int,
    max_share: float,
    min_held: float,
    tiny_words: int,
    max_chars: int,
) -> tuple[bool, str]:
    """Whether the publisher's articleBody (`bodies`, the page's distinct articleBody strings)
    is the page's text rather than `text`, what the page's HTML gave (None: no text at all),
    and why (for the debug log).

    Pages rendered by JavaScript show in their HTML only a fragment of the story (a headline,
    a standfirst, a photo caption) and carry the story in their JSON-LD. The articleBody is
    the text when it is the page's one articleBody, of `min_words` words or more and at most
    `max_chars` characters, and the HTML's text has under `max_share` of its words and is
    either tiny (under `tiny_words` words: a caption, a standfirst) or mostly held by it (at
    least `min_held` of its word 4-grams: a truncated rendering of the same story). A listing
    (several bodies), a paywall teaser (a body shorter than the text) or another article's
    body (holding little of a text that is not tiny) never is.
    """
    if not bodies:
        return False, "no articleBody"
    if len(bodies) > 1:
        return False, f"{len(bodies)} distinct articleBody texts (a listing)"
    body = bodies[0]
    if len(body) > max_chars:
        return False, f"articleBody of {len(body)} chars, over {max_chars}"
    body_words = folded_words(body)
    if len(body_words) < min_words:
        return False, f"articleBody of {len(body_words)} words, under {min_words}"
    if not text or not text.strip():
        return True, f"no article text in the page's HTML; articleBody of {len(body_words)} words"
    words = folded_words(text)
    if len(words) >= max_share * len(body_words):
        return False, f"the text has {len(words)} words, the articleBody {len(body_words)}"
    if len(words) < tiny_words:
        return True, (
            f"the text is a fragment of {len(words)} words; articleBody of {len(body_words)}"
        )
    grams = [tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    body_grams = _grams(body_words)
    held = sum(gram in body_grams for gram in grams) / len(grams)
    if held < min_held:
        return False, f"the articleBody holds only {held:.2f} of the text (another article)"
    return True, (
        f"the text has {len(words)} words, {held:.2f} of them in the articleBody of "
        f"{len(body_words)} words"
    )
