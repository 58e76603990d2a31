"""The sector taxonomy: which sectors exist and the evidence that points at each one.

The default taxonomy ships as ``enrich/data/sectors.toml``; an operator can point at an edited
copy. Loading validates everything a classifier relies on and reports the first problem with
its location in the file.

Evidence comes in three kinds: terms per language (``[sector.terms.<lang>]``), entities
(``[[entity]]``: names written the same in every language) and event patterns
(``[[pattern]]``: groups of words that must all occur in one sentence, such as a deal verb and
an organisation's name, for events a single word does not pin down). ``[amounts]`` names the
currency words that measure money right after an amount ("2.95 billion euros"): there they are
not evidence of currency news.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

from newsdesk.domain import NewsdeskError

TAXONOMY_FORMAT_VERSION = 1
DEFAULT_TAXONOMY_RESOURCE = "sectors.toml"

_SECTOR_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


class TaxonomyError(NewsdeskError):
    """A taxonomy file that cannot be used, with what is wrong and where."""


@dataclass(frozen=True)
class Sector:
    id: str
    name: str
    description: str
    # language code -> ((term, weight), ...); terms are as written in the file
    terms: Mapping[str, tuple[tuple[str, float], ...]]
    examples: tuple[str, ...] = ()
    threshold: float | None = None  # evidence that scores 0.5; None: the classifier's default
    # an aspect of a story (a deal, a rule) rather than its industry: its evidence is discounted
    # less as a side note of the leading sector, and it leads only at half its evidence
    cross_cutting: bool = False
    # how hard the sector's evidence is discounted when it is far behind the leading industry's
    # (exponent of the share); None: the classifier's default for its kind
    side_note_power: float | None = None
    # the least share of the leading industry's evidence the discount takes the sector's
    # evidence to when the title carries some of it ("EU fines ..."); None: no such floor
    title_share_floor: float | None = None
    # the same floor for a title that carries an event or term of the sector with at least
    # ``title_event_weight`` ("Miner agrees takeover of rival": the headline's news is the deal,
    # not a side note of mining); entity names do not count. None: no such floor
    title_event_floor: float | None = None
    title_event_weight: float = 3.0


@dataclass(frozen=True)
class TaxonomyEntity:
    """A named thing (organisation, company, commodity) that is evidence for some sectors."""

    name: str
    aliases: tuple[str, ...]
    sectors: tuple[str, ...]
    weight: float
    match_case: bool = False


ORGANISATION = "@org"  # in a pattern group: a capitalised word that does not open the sentence


@dataclass(frozen=True)
class EventPattern:
    """Evidence from words that must all occur in one sentence: one term of every group.

    A negative weight is counter-evidence (a sector word used in another sense)."""

    name: str  # how explanations name a match
    language: str
    groups: tuple[tuple[str, ...], ...]  # terms as written, or ORGANISATION
    sectors: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class AmountWords:
    """Currency words (``units``) that name the unit of an amount when a number or a magnitude
    word (``magnitudes``: "billion", "Mio" ...) comes just before them ("2.95 billion euros",
    "billions of dollars"); there they measure money and are not evidence. As written."""

    units: tuple[str, ...]
    magnitudes: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    sectors: tuple[Sector, ...]
    entities: tuple[TaxonomyEntity, ...]
    source: str = field(repr=False, compare=False)  # the TOML text, saved with trained models
    patterns: tuple[EventPattern, ...] = ()
    amounts: AmountWords = field(default_factory=lambda: AmountWords((), ()))

    @cached_property
    def digest(self) -> str:
        """sha256 of the source text: a trained model records which taxonomy it saw."""
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sectors)

    def sector(self, sector_id: str) -> Sector:
        for sector in self.sectors:
            if sector.id == sector_id:
                return sector
        raise KeyError(sector_id)

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(lang for s in self.sectors for lang in s.terms) | frozenset(
            p.language for p in self.patterns
        )


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The taxonomy in ``path``, or the default one shipped with newsdesk."""
    if path is None:
        return _default_taxonomy()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TaxonomyError(f"cannot read taxonomy file {path}: {exc.strerror}") from exc
    return parse_taxonomy(text, where=str(path))


@cache
def _default_taxonomy() -> Taxonomy:
    """The shipped taxonomy, parsed once per process: it cannot change while newsdesk runs, and
    a parse takes 0.1-0.35 s (every site built, every enrich run asked for it again).
    Taxonomy is frozen, so every caller can share the one instance. An operator's file is read
    on every call: it may be edited between runs."""
    source = resources.files("newsdesk.enrich.data").joinpath(DEFAULT_TAXONOMY_RESOURCE)
    text = source.read_text(encoding="utf-8")
    return parse_taxonomy(text, where=f"default taxonomy ({DEFAULT_TAXONOMY_RESOURCE})")


def parse_taxonomy(text: str, *, where: str = "taxonomy") -> Taxonomy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{where}: not valid TOML: {exc}") from exc
    version = data.get("format_version", TAXONOMY_FORMAT_VERSION)
    if version != TAXONOMY_FORMAT_VERSION:
        raise TaxonomyError(
            f"{where}: format_version {version!r} is not supported "
            f"(this newsdesk reads version {TAXONOMY_FORMAT_VERSION})"
        )
    raw_sectors = data.get("sector")
    if not isinstance(raw_sectors, list) or not raw_sectors:
        raise TaxonomyError(f"{where}: needs at least one [[sector]] table")
    sectors = tuple(
        _sector(raw, where=f"{where}: sector #{n}") for n, raw in enumerate(raw_sectors, start=1)
    )
    ids = [s.id for s in sectors]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TaxonomyError(f"{where}: duplicate sector ids: {', '.join(duplicates)}")
    raw_entities = data.get("entity", [])
    if not isinstance(raw_entities, list):
        raise TaxonomyError(f"{where}: 'entity' must be a list of [[entity]] tables")
    entities = tuple(
        _entity(raw, known=frozenset(ids), where=f"{where}: entity #{n}")
        for n, raw in enumerate(raw_entities, start=1)
    )
    raw_patterns = data.get("pattern", [])
    if not isinstance(raw_patterns, list):
        raise TaxonomyError(f"{where}: 'pattern' must be a list of [[pattern]] tables")
    patterns = tuple(
        _pattern(raw, known=frozenset(ids), where=f"{where}: pattern #{n}")
        for n, raw in enumerate(raw_patterns, start=1)
    )
    return Taxonomy(
        sectors=sectors,
        entities=entities,
        source=text,
        patterns=patterns,
        amounts=_amounts(data.get("amounts", {}), where=f"{where}: [amounts]"),
    )


def _amounts(raw: object, *, where: str) -> AmountWords:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: must be a table of 'units' and 'magnitudes'")
    unknown = sorted(set(raw) - {"units", "magnitudes"})
    if unknown:
        raise TaxonomyError(f"{where}: unknown keys: {', '.join(unknown)}")
    found: dict[str, tuple[str, ...]] = {}
    for key in ("units", "magnitudes"):
        words = raw.get(key, [])
        if not isinstance(words, list) or not all(
            isinstance(w, str) and len(w.split()) == 1 for w in words
        ):
            raise TaxonomyError(f"{where}: '{key}' must be a list of single words")
        found[key] = tuple(w.strip() for w in words)
    return AmountWords(units=found["units"], magnitudes=found["magnitudes"])


def _sector(raw: object, *, where: str) -> Sector:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: must be a table")
    sector_id = _text(raw, "id", where=where)
    where = f"{where} ({sector_id!r})"
    if not _SECTOR_ID.match(sector_id):
        raise TaxonomyError(f"{where}: id must be lowercase letters, digits and dashes")
    raw_terms = raw.get("terms")
    if not isinstance(raw_terms, dict) or not raw_terms:
        raise TaxonomyError(f"{where}: needs [sector.terms.<language>] tables of term = weight")
    terms: dict[str, tuple[tuple[str, float], ...]] = {}
    for lang, table in raw_terms.items():
        if not _LANGUAGE.match(lang):
            raise TaxonomyError(f"{where}: terms language {lang!r} is not a two-letter code")
        if not isinstance(table, dict):
            raise TaxonomyError(f"{where}: terms.{lang} must be a table of term = weight")
        terms[lang] = tuple(
            (
                _term(term, where=f"{where} terms.{lang}"),
                _weight(weight, where=f"{where} terms.{lang}.{term!r}"),
            )
            for term, weight in table.items()
        )
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise TaxonomyError(f"{where}: examples must be a list of headlines")
    threshold = raw.get("threshold")
    cross_cutting = raw.get("cross_cutting", False)
    if not isinstance(cross_cutting, bool):
        raise TaxonomyError(f"{where}: cross_cutting must be true or false")
    side_note_power = raw.get("side_note_power")
    title_share_floor = raw.get("title_share_floor")
    if title_share_floor is not None and (
        isinstance(title_share_floor, bool)
        or not isinstance(title_share_floor, int | float)
        or not 0 < title_share_floor <= 1
    ):
        raise TaxonomyError(f"{where}: title_share_floor must be a number above 0 and at most 1")
    title_event_floor = raw.get("title_event_floor")
    if title_event_floor is not None and (
        isinstance(title_event_floor, bool)
        or not isinstance(title_event_floor, int | float)
        or not 0 < title_event_floor <= 1
    ):
        raise TaxonomyError(f"{where}: title_event_floor must be a number above 0 and at most 1")
    title_event_weight = raw.get("title_event_weight", 3.0)
    return Sector(
        id=sector_id,
        name=_text(raw, "name", where=where),
        description=_text(raw, "description", where=where),
        terms=terms,
        examples=tuple(examples),
        threshold=None if threshold is None else _weight(threshold, where=f"{where} threshold"),
        cross_cutting=cross_cutting,
        side_note_power=None
        if side_note_power is None
        else _weight(side_note_power, where=f"{where} side_note_power"),
        title_share_floor=None if title_share_floor is None else float(title_share_floor),
        title_event_floor=None if title_event_floor is None else float(title_event_floor),
        title_event_weight=_weight(title_event_weight, where=f"{where} title_event_weight"),
    )


def _entity(raw: object, *, known: frozenset[str], where: str) -> TaxonomyEntity:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: must be a table")
    name = _text(raw, "name", where=where)
    where = f"{where} ({name!r})"
    aliases = raw.get("aliases", [name])
    if not isinstance(aliases, list) or not aliases:
        raise TaxonomyError(f"{where}: aliases must be a non-empty list of names")
    sectors = raw.get("sectors")
    if not isinstance(sectors, list) or not sectors:
        raise TaxonomyError(f"{where}: sectors must be a non-empty list of sector ids")
    unknown = sorted(str(s) for s in sectors if s not in known)
    if unknown:
        raise TaxonomyError(f"{where}: unknown sector ids: {', '.join(unknown)}")
    match_case = raw.get("match_case", False)
    if not isinstance(match_case, bool):
        raise TaxonomyError(f"{where}: match_case must be true or false")
    return TaxonomyEntity(
        name=name,
        aliases=tuple(_term(a, where=where) for a in aliases),
        sectors=tuple(str(s) for s in sectors),
        weight=_weight(raw.get("weight", 2.0), where=f"{where} weight"),
        match_case=match_case,
    )


def _pattern(raw: object, *, known: frozenset[str], where: str) -> EventPattern:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"{where}: must be a table")
    name = _text(raw, "name", where=where)
    where = f"{where} ({name!r})"
    language = raw.get("language", "en")
    if not isinstance(language, str) or not _LANGUAGE.match(language):
        raise TaxonomyError(f"{where}: language must be a two-letter code")
    groups = raw.get("all")
    if (
        not isinstance(groups, list)
        or len(groups) < 2
        or not all(isinstance(g, list) and g for g in groups)
    ):
        raise TaxonomyError(f"{where}: 'all' must be two or more non-empty lists of terms")
    sectors = raw.get("sectors")
    if not isinstance(sectors, list) or not sectors:
        raise TaxonomyError(f"{where}: sectors must be a non-empty list of sector ids")
    unknown = sorted(str(s) for s in sectors if s not in known)
    if unknown:
        raise TaxonomyError(f"{where}: unknown sector ids: {', '.join(unknown)}")
    weight = raw.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < abs(weight) <= 10:
        raise TaxonomyError(f"{where}: weight must be a non-zero number from -10 to 10")
    return EventPattern(
        name=name,
        language=language,
        groups=tuple(tuple(_term(t, where=where) for t in group) for group in groups),
        sectors=tuple(str(s) for s in sectors),
        weight=float(weight),
    )


def _text(raw: Mapping[str, object], key: str, *, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _term(value: object, *, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(f"{where}: terms and aliases must be non-empty strings")
    return value.strip()


def _weight(value: object, *, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 10:
        raise TaxonomyError(f"{where}: weight must be a number above 0 and at most 10")
    return float(value)
