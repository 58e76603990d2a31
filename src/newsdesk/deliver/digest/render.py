"""The digest email: subject, HTML (inline CSS, no remote resources) and plain text.

Templates are compiled once; each story's blocks are rendered once per day and reused for
every subscriber, so a subscriber's digest is a join of cached strings plus a short frame.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from newsdesk.deliver.digest.selection import CandidateStory, DigestItem, plural
from newsdesk.text.normalize import shorten

BRAND = "Top Insights Today"
SUBJECT_MAX = 120
SUMMARY_SENTENCES = 3
SUMMARY_MAX_CHARS = 520

_FONT = "font-family:Helvetica,Arial,sans-serif;"
_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)

_STORY_HTML = _ENV.from_string(
    '<tr><td style="padding:16px 24px;border-top:1px solid #e5e5e5;">'
    '<a href="{{ url }}" style="' + _FONT + "font-size:18px;line-height:24px;color:#0b3d91;"
    'font-weight:bold;text-decoration:none;">{{ title }}</a>'
    '<p style="' + _FONT + 'font-size:15px;line-height:22px;color:#222222;margin:8px 0;">'
    "{{ summary }}</p>"
    '<p style="' + _FONT + 'font-size:13px;line-height:18px;color:#555555;margin:0;">'
    "{{ sectors }} · {{ sources }}</p>"
    '<p style="' + _FONT + 'font-size:13px;line-height:18px;color:#555555;margin:4px 0 0 0;">'
    "<em>Why you got this: "
)
_STORY_HTML_END = "</em></p></td></tr>"

_FRAME_HTML = _ENV.from_string(
    "<!DOCTYPE html>\n"
    '<html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width,initial-scale=1">'
    "<title>{{ subject }}</title></head>"
    '<body style="margin:0;padding:0;background:#f4f4f4;">'
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
    'style="background:#f4f4f4;"><tr><td align="center" style="padding:12px;">'
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
    'style="max-width:600px;width:100%;background:#ffffff;border-collapse:collapse;">'
    '<tr><td style="padding:20px 24px 8px 24px;">'
    '<h1 style="' + _FONT + 'font-size:22px;line-height:28px;color:#111111;margin:0;">'
    "{{ brand }}</h1>"
    '<p style="' + _FONT + 'font-size:13px;color:#555555;margin:4px 0 0 0;">'
    "{{ site_name }} · {{ day }} · {{ count }}</p></td></tr>"
    "{{ stories }}"
    '<tr><td style="padding:16px 24px;border-top:1px solid #e5e5e5;' + _FONT + "font-size:12px;"
    'line-height:18px;color:#777777;">'
    "You get this email because you subscribed to {{ brand }} from {{ site_name }}."
    '<br><a href="{{ preferences }}" style="color:#0b3d91;">Change your preferences</a>'
    ' · <a href="{{ unsubscribe }}" style="color:#0b3d91;">Unsubscribe</a>'
    "</td></tr></table></td></tr></table></body></html>\n"
)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9“\"'(])")
_SPACES = re.compile(r"\s+")


def one_line(value: str) -> str:
    """Text safe for a header or a single line: control and separator characters become
    spaces (CR, LF, NUL, U+0085, U+2028…), whitespace collapses."""
    if value.isprintable():  # no character of those categories: the usual case, fast
        return _SPACES.sub(" ", value).strip()
    cleaned = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"} else ch for ch in value
    )
    return _SPACES.sub(" ", cleaned).strip()


def short_summary(text: str) -> str:
    """The first two or three sentences, at most SUMMARY_MAX_CHARS characters."""
    text = one_line(text)
    sentences = _SENTENCE_END.split(text)
    kept: list[str] = []
    for sentence in sentences[:SUMMARY_SENTENCES]:
        if kept and len(" ".join([*kept, sentence])) > SUMMARY_MAX_CHARS:
            break
        kept.append(sentence)
    return shorten(" ".join(kept), SUMMARY_MAX_CHARS)


def subject_for(items: Sequence[DigestItem]) -> str:
    """ "Top Insights Today: <lead title> and N more", one line, at most SUBJECT_MAX chars."""
    more = len(items) - 1
    tail = f" and {more} more" if more > 0 else ""
    room = SUBJECT_MAX - len(BRAND) - 2 - len(tail)
    return f"{BRAND}: {shorten(one_line(items[0].story.title), room)}{tail}"


@lru_cache(maxsize=8192)
def _why_line(why: str) -> tuple[str, str]:
    """(text, escaped HTML) of a why-line; the same few lines recur across subscribers."""
    text = one_line(why)
    return text, escape(text, quote=False)


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class _StoryBlocks:
    html_head: str  # ends just before the escaped why-line
    text_head: str


@dataclass(frozen=True)
class RenderOptions:
    base_url: str
    site_name: str
    sector_names: dict[str, str]


class DigestRenderer:
    """Renders digests for one day; story blocks are cached across subscribers."""

    def __init__(self, options: RenderOptions) -> None:
        self._options = options
        self._base = options.base_url.rstrip("/")
        self._blocks: dict[int, _StoryBlocks] = {}

    def story_url(self, story: CandidateStory) -> str:
        return f"{self._base}/stories/{story.story_id}"

    def _story_blocks(self, story: CandidateStory) -> _StoryBlocks:
        blocks = self._blocks.get(story.story_id)
        if blocks is None:
            title = shorten(one_line(story.title), 300)
            summary = short_summary(story.summary)
            sectors = ", ".join(self._options.sector_names.get(s, s) for s in story.sectors)
            sources = plural(story.source_count, "source")
            url = self.story_url(story)
            html = _STORY_HTML.render(
                url=url, title=title, summary=summary, sectors=sectors, sources=sources
            )
            text_lines = [title, "", summary] if summary else [title]
            text = "\n".join([*text_lines, f"{sectors} · {sources}" if sectors else sources, url])
            blocks = _StoryBlocks(html, text)
            self._blocks[story.story_id] = blocks
        return blocks

    def render(
        self,
        items: Sequence[DigestItem],
        *,
        day: date,
        preferences_url: str,
        unsubscribe_url: str,
    ) -> RenderedDigest:
        subject = subject_for(items)
        html_parts: list[str] = []
        text_parts: list[str] = []
        for item in items:
            blocks = self._story_blocks(item.story)
            why_text, why_html = _why_line(item.why)
            html_parts.append(blocks.html_head + why_html + _STORY_HTML_END)
            text_parts.append(f"{blocks.text_head}\nWhy you got this: {why_text}")
        day_text = f"{day:%A} {day.day} {day:%B %Y}"
        count = plural(len(items), "story", "stories")
        html = _FRAME_HTML.render(
            subject=subject,
            brand=BRAND,
            site_name=self._options.site_name,
            day=day_text,
            count=count,
            # Every part comes from an autoescaped template plus escape()d text.
            stories=Markup("".join(html_parts)),  # noqa: S704
            preferences=preferences_url,
            unsubscribe=unsubscribe_url,
        )
        rule = "-" * 60
        text = (
            f"{BRAND} · {self._options.site_name} · {day_text} · {count}\n\n{rule}\n"
            + f"\n{rule}\n".join(text_parts)
            + f"\n{rule}\n\nYou get this email because you subscribed to {BRAND} from "
            f"{self._options.site_name}.\nChange your preferences: {preferences_url}\n"
            f"Unsubscribe: {unsubscribe_url}\n"
        )
        return RenderedDigest(subject=subject, text=text, html=html)
