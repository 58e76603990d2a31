"""House analysis files: Markdown (or HTML) with front matter, parsed into a HousePiece.

    ---
    title: "Japan's rare earths pact: what it means for refiners"
    author: A. Analyst
    sectors: [rare-earths-commodities, mining-metals]
    visibility: pro
    published: 2026-12-01
    ---
    The preview paragraphs…

    <!-- more -->

    What Pro readers get…

Front matter is YAML-style (``---``; one ``key: value`` per line, values plain or quoted, lists
``[a, b]`` or ``- item`` lines) or TOML (``+++``). Keys: title (required), author/authors,
sectors, visibility (public, members or pro), published (a date or an ISO date-time; without a
zone, UTC), slug; others (a static-site generator's) are ignored. The preview break is the
first ``<!-- more -->`` line. Pure: bytes in, a HousePiece or a HousePieceError with the file's
name and what is wrong out. Rendering and sanitizing are pipeline.house's.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from newsdesk.domain.access import Visibility
from newsdesk.domain.errors import NewsdeskError
from newsdesk.domain.house import HousePiece
from newsdesk.domain.models import in_utc

MAX_PIECE_BYTES = 1024 * 1024  # a long report is well under; anything bigger is a mistake
MAX_TITLE_CHARS = 500
MAX_SLUG_CHARS = 100
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
PREVIEW_MARKER = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_FENCES = {"---": "yaml", "+++": "toml"}
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*)$")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


class HousePieceError(NewsdeskError):
    """A house piece that cannot be imported, and why."""


def has_front_matter(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf")[:4]
    return head.rstrip(b"\r\n") in (b"---", b"+++")


def is_house_file(path: Path) -> bool:
    """A Markdown file, or an HTML file that starts with front matter."""
    suffix = path.suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return True
    if suffix in HTML_SUFFIXES:
        with path.open("rb") as stream:
            return has_front_matter(stream.read(8))
    return False


def parse_house_piece(data: bytes, *, name: str) -> HousePiece:
    """The piece in a file's bytes; name (the file name) gives the format and default slug."""
    if len(data) > MAX_PIECE_BYTES:
        raise HousePieceError(f"{name}: over {MAX_PIECE_BYTES // 1024} KiB")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise HousePieceError(f"{name}: not UTF-8 text ({error.reason})") from error
    if "\x00" in source:
        raise HousePieceError(f"{name}: holds NUL characters; not a text file")
    fields, body = _front_matter(source, name)
    body_format: Literal["markdown", "html"] = (
        "html" if Path(name).suffix.lower() in HTML_SUFFIXES else "markdown"
    )
    return piece_from_fields(
        fields, body, body_format=body_format, name=name, default_slug=Path(name).stem
    )


def piece_from_fields(
    fields: Mapping[str, object],
    body: str,
    *,
    body_format: Literal["markdown", "html"] = "markdown",
    name: str = "the piece",
    default_slug: str = "",
) -> HousePiece:
    """A HousePiece from front-matter-like fields (also what the admin editor posts)."""
    title = _text(fields.get("title"), "title", name).strip()
    if not title:
        raise HousePieceError(f"{name}: a title is required in the front matter")
    if len(title) > MAX_TITLE_CHARS or "\n" in title:
        raise HousePieceError(f"{name}: the title must be one line of at most 500 characters")
    if not body.strip():
        raise HousePieceError(f"{name}: the piece has no text")
    authors = _list(fields.get("authors", fields.get("author")), "author", name)
    return HousePiece(
        title=title,
        body=body,
        body_format=body_format,
        slug=_slug(fields.get("slug"), name, default_slug or title),
        authors=tuple(a.strip() for a in authors if a.strip()),
        sectors=tuple(
            dict.fromkeys(
                s.strip() for s in _list(fields.get("sectors"), "sectors", name) if s.strip()
            )
        ),
        visibility=_visibility(fields.get("visibility"), name),
        published=_published(fields.get("published", fields.get("date")), name),
    )


def split_at_marker(body: str) -> tuple[str, str | None]:
    """(preview, rest) at the first preview marker line; (body, None) without one."""
    found = PREVIEW_MARKER.search(body)
    if found is None:
        return body, None
    return body[: found.start()], body[found.end() :]


def _front_matter(source: str, name: str) -> tuple[dict[str, object], str]:
    lines = source.split("\n")
    fence = lines[0].rstrip("\r") if lines else ""
    if fence not in _FENCES:
        raise HousePieceError(f"{name}: must start with front matter (a --- or +++ line)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r") == fence)
    except StopIteration:
        raise HousePieceError(f"{name}: the front matter has no closing {fence} line") from None
    head = "\n".join(line.rstrip("\r") for line in lines[1:end])
    body = "\n".join(lines[end + 1 :])
    if _FENCES[fence] == "toml":
        try:
            return dict(tomllib.loads(head)), body
        except tomllib.TOMLDecodeError as error:
            raise HousePieceError(f"{name}: front matter is not valid TOML ({error})") from error
    return _yaml_subset(head, name), body


def _yaml_subset(head: str, name: str) -> dict[str, object]:
    fields: dict[str, object] = {}
    current: str | None = None
    for number, raw in enumerate(head.split("\n"), start=2):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s+-\s*(.*)$", line) or re.match(r"^-\s+(.*)$", line)
        if item and current is not None:
            items = fields.get(current)
            if isinstance(items, list):
                items.append(_scalar(item.group(1), name, number))
                continue
        match = _KEY.match(line)
        if match is None:
            raise HousePieceError(f"{name}: line {number} of the front matter is not key: value")
        key, value = match.group(1).lower(), match.group(2).strip()
        current = key
        if value == "":
            fields[key] = []  # a list follows, as "- item" lines (or nothing)
        elif value.startswith("[") and value.endswith("]"):
            inner = value[1:-1].strip()
            fields[key] = [_scalar(v, name, number) for v in _split_list(inner)] if inner else []
        else:
            fields[key] = _scalar(value, name, number)
    return fields


def _split_list(inner: str) -> list[str]:
    """Items of an inline list, commas inside quotes kept."""
    return [part.strip() for part in re.findall(r"""(?:"[^"]*"|'[^']*'|[^,])+""", inner)]


def _scalar(value: str, name: str, number: int) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == '"':
            inner = inner.replace('\\"', '"').replace("\\\\", "\\")
        return inner
    if value[:1] in "\"'":
        raise HousePieceError(f"{name}: line {number} of the front matter has an open quote")
    return re.sub(r"\s+#.*$", "", value)


def _text(value: object, field: str, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise HousePieceError(f"{name}: {field} must be text")


def _list(value: object, field: str, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.split(",")) if part]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise HousePieceError(f"{name}: {field} must be a list of names")


def _visibility(value: object, name: str) -> Visibility | None:
    if value is None or value == "":
        return None
    try:
        return Visibility(_text(value, "visibility", name).strip().lower())
    except ValueError:
        raise HousePieceError(f"{name}: visibility must be public, members or pro") from None


def _published(value: object, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = _text(value, "published", name).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise HousePieceError(
                f"{name}: published must be a date (YYYY-MM-DD) or an ISO date-time"
            ) from None
    in_store = in_utc(moment)
    if in_store is None:
        raise HousePieceError(f"{name}: published lies outside the calendar")
    return in_store


def _slug(value: object, name: str, fallback: str) -> str:
    given = _text(value, "slug", name).strip() if value is not None else ""
    base = given or fallback
    folded = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    slug = _SLUG_DROP.sub("-", folded).strip("-")[:MAX_SLUG_CHARS].strip("-")
    if not slug:
        raise HousePieceError(f"{name}: cannot make an address (slug) from {base!r}; set slug")
    return slug
