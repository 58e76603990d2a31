"""Sanitized article HTML: an nh3 allow-list, absolute links, safe link relations."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
        "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow ugc"
# Elements whose content is dropped with them, not unwrapped into the text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})


def absolute_url(value: str, base_url: str | None) -> str | None:
    """`value` resolved against `base_url`; None for URLs with a scheme outside the allow-list."""
    value = value.strip()
    if not value:
        return None
    resolved = urljoin(base_url, value) if base_url else value
    scheme = urlsplit(resolved).scheme.lower()
    if scheme and scheme not in URL_SCHEMES:
        return None
    return resolved


def sanitize_html(html: str, *, base_url: str | None) -> str:
    """HTML safe to render: allow-listed tags and attributes only, no scripts, styles, frames,
    event handlers or javascript: URLs; relative links made absolute against `base_url`."""

    def keep_attribute(_tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            return absolute_url(value, base_url)
        return value

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
