"""What a page's markup says about itself: title, <link>s, <meta>s, <base>.

Uses the stdlib tokenizer, which fetches nothing and expands no custom entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]{1,40})""", re.I)


@dataclass
class HtmlHead:
    title: str | None = None
    base_href: str | None = None
    links: list[dict[str, str]] = field(default_factory=list)  # attributes of each <link>
    metas: dict[str, str] = field(default_factory=dict)  # name/property (lower) -> content


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = HtmlHead()
        self._title_parts: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "link":
            self.head.links.append(values)
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and "content" in values:
                self.head.metas.setdefault(key, values["content"])
        elif tag == "base" and self.head.base_href is None and values.get("href"):
            self.head.base_href = values["href"]
        elif tag == "title" and self.head.title is None:
            self._title_parts = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "title":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title_parts is not None:
            self.head.title = " ".join("".join(self._title_parts).split()) or None
            self._title_parts = None

    def handle_data(self, data: str) -> None:
        if self._title_parts is not None:
            self._title_parts.append(data)


def decode_html(body: bytes, declared_charset: str | None = None) -> str:
    """Text of an HTML page: declared charset, then <meta charset>, then UTF-8; never raises."""
    candidates = [declared_charset] if declared_charset else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii"))
    for charset in [*candidates, "utf-8"]:
        try:
            return body.decode(charset, errors="replace").replace("\x00", "")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace").replace("\x00", "")


def read_head(html: str) -> HtmlHead:
    parser = _HeadParser()
    parser.feed(html)
    parser.close()
    return parser.head
