"""Title and text as the sector classifiers read them (tokens and folding: newsdesk.text)."""

from __future__ import annotations

from newsdesk.text.normalize import strip_markup


def prepare_text(title: str, text: str, *, max_chars: int) -> tuple[str, str]:
    """Title and text as the classifiers read them: markup stripped, text capped at max_chars.

    Beyond the first few thousand words an article rarely changes sector; the cap bounds the
    cost of pathological inputs (a megabyte of text) without changing typical results.
    """
    return strip_markup(title[:1000]), strip_markup(text[: max_chars + 1000])[:max_chars]
