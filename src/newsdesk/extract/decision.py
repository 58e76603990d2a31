"""Which candidate body to keep, and why. Pure functions over candidate texts."""

from __future__ import annotations

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


def choose_candidate(
    candidates: Sequence[tuple[str, str]], *, agreement_threshold: float
) -> Decision | None:
    """Pick one of (name, text) candidates, listed in order of preference.

    The first candidate wins when another one confirms it; otherwise the candidate that
    agrees most with all the others wins (a vote), and with no agreement at all the longest
    text wins, since a short result among disagreeing ones is most often a truncation.
    """
    present = [(name, text) for name, text in candidates if text.strip()]
    if not present:
        return None
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
