"""What a preview holds: the pure rules that cut an item and its derived text at the preview
break, for a viewer whose decision (domain.access.decide) is PREVIEW.

The break is a count of leading paragraphs: an explicit marker in a house piece, else the
policy's default. Everything derived from an article's body is stored with the paragraph it
comes from (entity mentions and fact sentences: their paragraph; the summary: the last
paragraph it draws on, its "reach"), so a preview shows a derived item only when it comes
from before the break, whatever the break is today.
"""

from __future__ import annotations

TITLE_PARAGRAPH = -1  # where a title mention is: before any paragraph, in every preview


def preview_length(own: int | None, default: int) -> int:
    """Paragraphs in the preview of a piece: its own break, else the default (never < 0)."""
    return max(0, own if own is not None else default)


def in_preview(paragraph: int | None, length: int) -> bool:
    """A derived item from this paragraph is in a preview of `length` paragraphs. Unknown
    (None: stored before paragraphs were recorded) counts as after the break."""
    return paragraph is not None and paragraph < length


def shown_summary(*, full: bool, summary: str, reach: int | None, lead: str, length: int) -> str:
    """The summary a viewer may see: the whole summary when they read the piece in full or it
    comes from before the break; else the lead (a summary of the first paragraph) when the
    preview has a paragraph at all; else nothing."""
    if full or in_preview(reach, length):
        return summary
    return lead if length >= 1 else ""
