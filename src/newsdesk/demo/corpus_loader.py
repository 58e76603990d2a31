"""The demo corpus: fictional publications and their articles, read from the shipped TOML files.

Publication times are relative (``age_hours``) so the demo always looks current: each article's
time is computed from the ``now`` the corpus is loaded at.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from newsdesk.domain import NewsdeskError
from newsdesk.enrich.sectors.taxonomy import load_taxonomy

# The corpus is labelled with the sector ids of the default (shipped) taxonomy.
SECTOR_IDS = frozenset(load_taxonomy().ids)
FEED_FORMATS = frozenset({"rss", "atom"})


class DemoCorpusError(NewsdeskError):
    """A demo corpus file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Publication:
    id: str
    name: str
    tagline: str
    feed: str  # "rss" or "atom"
    sitemap: bool
    sections: tuple[str, ...]
    full_content: bool = False  # RSS items carry the whole article in content:encoded

    @property
    def feed_path(self) -> str:
        return "feed.xml" if self.feed == "rss" else "atom.xml"


@dataclass(frozen=True)
class DemoArticle:
    publication: str
    slug: str
    title: str
    author: str
    section: str
    sectors: tuple[str, ...]
    age_hours: float
    summary: str
    body: str
    published: datetime
    story: str | None = None
    source_file: str = ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Body paragraphs (blank-line separated), each on one line; "## " marks a heading."""
        blocks = (" ".join(block.split()) for block in self.body.split("\n\n"))
        return tuple(block for block in blocks if block)

    @property
    def word_count(self) -> int:
        return sum(
            len(p.removeprefix("## ").split()) for p in self.paragraphs if not p.startswith("## ")
        )


@dataclass(frozen=True)
class DemoCorpus:
    publications: tuple[Publication, ...]
    articles: tuple[DemoArticle, ...]  # newest first

    def publication(self, publication_id: str) -> Publication:
        for publication in self.publications:
            if publication.id == publication_id:
                return publication
        raise KeyError(publication_id)

    def articles_of(self, publication_id: str) -> tuple[DemoArticle, ...]:
        """The publication's articles, newest first."""
        return tuple(a for a in self.articles if a.publication == publication_id)


def _require(table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise DemoCorpusError(f"{where}: missing field {key!r}")
    value = table[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise DemoCorpusError(f"{where}: field {key!r} has the wrong type")
    return value


def _string_list(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _require(table, key, list, where)
    if not values or not all(isinstance(v, str) and v for v in values):
        raise DemoCorpusError(f"{where}: {key!r} must be a non-empty list of strings")
    return tuple(values)


def _read_toml(file: Traversable, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise DemoCorpusError(f"{where}: not valid TOML: {error}") from error


def _publication(table: Mapping[str, Any], where: str) -> Publication:
    feed = _require(table, "feed", str, where)
    if feed not in FEED_FORMATS:
        raise DemoCorpusError(f"{where}: feed must be one of {sorted(FEED_FORMATS)}")
    full_content = table.get("full_content", False)
    if not isinstance(full_content, bool):
        raise DemoCorpusError(f"{where}: full_content must be true or false")
    return Publication(
        id=_require(table, "id", str, where),
        name=_require(table, "name", str, where),
        tagline=_require(table, "tagline", str, where),
        feed=feed,
        sitemap=_require(table, "sitemap", bool, where),
        sections=_string_list(table, "sections", where),
        full_content=full_content,
    )


def _article(
    table: Mapping[str, Any], where: str, publications: Mapping[str, Publication], now: datetime
) -> DemoArticle:
    publication_id = _require(table, "publication", str, where)
    publication = publications.get(publication_id)
    if publication is None:
        raise DemoCorpusError(f"{where}: unknown publication {publication_id!r}")
    section = _require(table, "section", str, where)
    if section not in publication.sections:
        raise DemoCorpusError(f"{where}: {publication_id} has no section {section!r}")
    sectors = _string_list(table, "sectors", where)
    unknown = sorted(set(sectors) - SECTOR_IDS)
    if unknown:
        raise DemoCorpusError(f"{where}: unknown sector ids {unknown}")
    age_hours = float(_require(table, "age_hours", (int, float), where))
    if age_hours < 0:
        raise DemoCorpusError(f"{where}: age_hours must not be negative")
    story = table.get("story")
    if story is not None and (not isinstance(story, str) or not story):
        raise DemoCorpusError(f"{where}: story must be a non-empty string")
    fields = {k: _require(table, k, str, where) for k in ("slug", "title", "author", "summary")}
    for key, value in fields.items():
        if not value.strip():
            raise DemoCorpusError(f"{where}: field {key!r} is empty")
    body = _require(table, "body", str, where)
    if not body.strip():
        raise DemoCorpusError(f"{where}: body is empty")
    return DemoArticle(
        publication=publication_id,
        section=section,
        sectors=sectors,
        age_hours=age_hours,
        body=body,
        published=now - timedelta(hours=age_hours),
        story=story,
        source_file=where,
        **fields,
    )


def _corpus_root(directory: Path | None) -> Traversable:
    if directory is not None:
        return directory
    return resources.files("newsdesk.demo").joinpath("corpus")


def load_corpus(now: datetime, directory: Path | None = None) -> DemoCorpus:
    """Read and validate the corpus: the shipped one, or ``directory`` laid out the same way
    (``publications.toml`` and ``articles/*.toml``). Raises DemoCorpusError naming the file."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    root = _corpus_root(directory)
    where = "publications.toml"
    tables = _read_toml(root.joinpath(where), where).get("publication")
    if not isinstance(tables, list) or not tables:
        raise DemoCorpusError(f"{where}: no [[publication]] tables")
    publications: dict[str, Publication] = {}
    for position, table in enumerate(tables, start=1):
        publication = _publication(table, f"{where}, publication {position}")
        if publication.id in publications:
            raise DemoCorpusError(f"{where}: publication id {publication.id!r} is used twice")
        publications[publication.id] = publication

    articles: list[DemoArticle] = []
    slugs: set[tuple[str, str]] = set()
    files = sorted(
        (f for f in root.joinpath("articles").iterdir() if f.name.endswith(".toml")),
        key=lambda f: f.name,
    )
    for file in files:
        where = f"articles/{file.name}"
        article = _article(_read_toml(file, where), where, publications, now)
        if (article.publication, article.slug) in slugs:
            raise DemoCorpusError(f"{where}: slug {article.slug!r} is already used")
        slugs.add((article.publication, article.slug))
        articles.append(article)
    articles.sort(key=lambda a: (a.published, a.publication, a.slug), reverse=True)
    return DemoCorpus(tuple(publications.values()), tuple(articles))
