"""The entity gazetteer: canonical entities from shipped data plus pycountry, and alias matching.

Matching is token-driven: every alias is indexed under its first word (case-folded), so finding
all alias occurrences costs one dictionary lookup per word of the text plus a string comparison
per candidate. Aliases are compared as written, with runs of whitespace collapsed and typographic
apostrophes read as ASCII ones; proper names match case-sensitively, commodities do not.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from newsdesk.domain import NewsdeskError
from newsdesk.enrich.entities.model import Entity, entity_type_of
from newsdesk.enrich.sectors.taxonomy import Taxonomy, load_taxonomy

GAZETTEER_FORMAT_VERSION = 1
DEFAULT_GAZETTEER_RESOURCE = "entities.toml"

WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
_TAIL = re.compile(r"[^\w]+$")
_ID = re.compile(r"^[a-z]+:[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*$")


class GazetteerError(NewsdeskError):
    """A gazetteer file that cannot be used, with what is wrong and where."""


@dataclass(frozen=True)
class Alias:
    """One indexed spelling: ``core`` is compared as written; ``tail`` ("." or "+") must follow."""

    core: str
    tail: str
    words: int
    entity_id: str
    case_sensitive: bool
    role: str | None = None  # "demonym" or "capital" for country evidence


@dataclass(frozen=True)
class AliasMatch:
    entity_id: str
    start: int
    end: int
    role: str | None


def fold_words(words: Sequence[re.Match[str]]) -> list[str]:
    return [w[0].casefold() for w in words]


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.replace("’", "'")).strip()


@dataclass
class AliasIndex:
    """Aliases by the case-folded first word, longest first."""

    by_first_word: dict[str, list[Alias]] = field(default_factory=dict)

    def add(
        self, spelling: str, entity_id: str, *, case_sensitive: bool, role: str | None = None
    ) -> None:
        spelling = normalise(spelling)
        tail_match = _TAIL.search(spelling)
        tail = tail_match.group(0) if tail_match else ""
        core = spelling[: len(spelling) - len(tail)] if tail else spelling
        words = WORD.findall(core)
        if not words:
            return
        if not case_sensitive:
            core = core.casefold()
        alias = Alias(core, tail, len(words), entity_id, case_sensitive, role)
        bucket = self.by_first_word.setdefault(words[0].casefold(), [])
        if alias not in bucket:
            bucket.append(alias)
            bucket.sort(key=lambda a: (a.words, len(a.core) + len(a.tail)), reverse=True)

    def find(
        self, text: str, words: Sequence[re.Match[str]], keys: Sequence[str] | None = None
    ) -> list[AliasMatch]:
        """Every longest alias occurrence, left to right, non-overlapping.

        ``keys`` are the case-folded ``words`` when the caller already has them (see
        :func:`fold_words`); several indexes can then share one pass of case folding.
        """
        if keys is None:
            keys = fold_words(words)
        index = self.by_first_word
        found: list[AliasMatch] = []
        free = 0
        for i in [i for i, key in enumerate(keys) if key in index]:
            if i < free:
                continue
            match = self.match_at(text, words, i)
            if match is not None:
                found.append(match[0])
                free = i + match[1]
        return found

    def lookup(self, name: str) -> str | None:
        """The entity id one of whose spellings (not a demonym or capital) is all of ``name``."""
        words = list(WORD.finditer(name))
        if not words:
            return None
        match = self.match_at(name, words, 0)
        if match is None or match[1] != len(words) or match[0].role is not None:
            return None
        return match[0].entity_id

    def match_at(
        self, text: str, words: Sequence[re.Match[str]], i: int
    ) -> tuple[AliasMatch, int] | None:
        candidates = self.by_first_word.get(words[i].group(0).casefold())
        if not candidates:
            return None
        start = words[i].start()
        for alias in candidates:
            last = i + alias.words - 1
            if last >= len(words):
                continue
            end = words[last].end()
            span = text[start:end]
            if "’" in span or "  " in span or not span.isprintable():
                span = normalise(span)
            if not alias.case_sensitive:
                span = span.casefold()
            if span != alias.core:
                continue
            if alias.tail:
                if text[end : end + len(alias.tail)] != alias.tail:
                    continue
                end += len(alias.tail)
            return AliasMatch(alias.entity_id, start, end, alias.role), alias.words
        return None


@dataclass(frozen=True)
class Gazetteer:
    """Canonical entities and the index of their spellings."""

    entities: Mapping[str, Entity]
    index: AliasIndex = field(repr=False, compare=False)

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def by_name(self, name: str) -> Entity | None:
        """The entity one of whose spellings is exactly ``name``, if any."""
        entity_id = self.index.lookup(name)
        return None if entity_id is None else self.entities.get(entity_id)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer in ``path`` (same format as the shipped one), or the default one."""
    if path is None:
        return default_gazetteer()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(f"cannot read gazetteer file {path}: {exc.strerror}") from exc
    return parse_gazetteer(text, where=str(path))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer plus the organisations the default sector taxonomy names."""
    source = resources.files("newsdesk.enrich.data").joinpath(DEFAULT_GAZETTEER_RESOURCE)
    text = source.read_text(encoding="utf-8")
    gazetteer = parse_gazetteer(text, where=f"default gazetteer ({DEFAULT_GAZETTEER_RESOURCE})")
    return with_taxonomy_entities(gazetteer, load_taxonomy())


def with_taxonomy_entities(gazetteer: Gazetteer, taxonomy: Taxonomy) -> Gazetteer:
    """``gazetteer`` plus the organisations in the taxonomy's [[entity]] rows it lacks.

    A row named after a known entity ("JOGMEC") lends that entity its other spellings; in a
    row naming a group ("oil majors") every unknown spelling becomes an organisation of its own.
    """
    entities = dict(gazetteer.entities)
    index = AliasIndex({k: list(v) for k, v in gazetteer.index.by_first_word.items()})
    extended = Gazetteer(entities=entities, index=index)
    for row in taxonomy.entities:
        owner = gazetteer.by_name(row.name)
        for alias in row.aliases:
            if (
                extended.by_name(alias) is not None
                or not any(c.isupper() for c in alias)
                or alias in _AMBIGUOUS_TAXONOMY_ALIASES
            ):
                continue
            if owner is not None:
                index.add(alias, owner.id, case_sensitive=True)
                entities[owner.id] = replace(
                    entities[owner.id], aliases=(*entities[owner.id].aliases, alias)
                )
                continue
            entity_id = f"org:{slug(alias)}"
            known = entities.get(entity_id)
            if known is None:
                entities[entity_id] = Entity(id=entity_id, name=alias, type="organisation")
            elif alias != known.name and alias not in known.aliases:
                entities[entity_id] = replace(known, aliases=(*known.aliases, alias))  # "Ørsted"
            index.add(alias, entity_id, case_sensitive=True)
    return extended


def slug(name: str) -> str:
    """The id part of a name: "Namibia Critical Metals Inc." -> "namibia-critical-metals-inc"."""
    spelled = name.translate(_UNDECOMPOSABLE)
    ascii_name = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")


_UNDECOMPOSABLE = str.maketrans(
    {"Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "ß": "ss", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d"}
)
# taxonomy spellings that are evidence for a sector but name no one entity
_AMBIGUOUS_TAXONOMY_ALIASES = frozenset({"Treasury"})


def parse_gazetteer(text: str, *, where: str = "gazetteer") -> Gazetteer:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GazetteerError(f"{where}: not valid TOML: {exc}") from exc
    version = data.get("format_version", GAZETTEER_FORMAT_VERSION)
    if version != GAZETTEER_FORMAT_VERSION:
        raise GazetteerError(f"{where}: format_version {version!r} is not supported")
    entities: dict[str, Entity] = {}
    index = AliasIndex()
    countries = data.get("country", {})
    if not isinstance(countries, dict):
        raise GazetteerError(f"{where}: 'country' must be tables [country.<ISO alpha-2>]")
    _add_countries(countries, entities, index, where=where)
    rows = data.get("entity", [])
    if not isinstance(rows, list):
        raise GazetteerError(f"{where}: 'entity' must be a list of [[entity]] tables")
    for n, row in enumerate(rows, start=1):
        _add_entity(row, entities, index, where=f"{where}: entity #{n}")
    return Gazetteer(entities=entities, index=index)


def _add_countries(
    extra: Mapping[str, object], entities: dict[str, Entity], index: AliasIndex, *, where: str
) -> None:
    import pycountry  # imported here: loading its database is only needed to build a gazetteer

    for country in pycountry.countries:
        code = str(country.alpha_2)
        table = extra.get(code, {})
        if not isinstance(table, dict):
            raise GazetteerError(f"{where}: country.{code} must be a table")
        iso_names = [
            str(getattr(country, attr))
            for attr in ("common_name", "name", "official_name")
            if getattr(country, attr, None)
        ]
        plain = [n for n in iso_names if "," not in n and "(" not in n]
        name = str(table.get("name") or (plain[0] if plain else iso_names[0]))
        aliases = _strings(table.get("aliases", []), where=f"{where}: country.{code}.aliases")
        spellings = _unique([name, *plain, *aliases])
        entity_id = f"country:{code}"
        entities[entity_id] = Entity(
            id=entity_id,
            name=name,
            type="country",
            aliases=tuple(s for s in spellings if s != name),
        )
        for spelling in spellings:
            index.add(spelling, entity_id, case_sensitive=True)
        for role in ("demonyms", "capitals"):
            for word in _strings(table.get(role, []), where=f"{where}: country.{code}.{role}"):
                index.add(word, entity_id, case_sensitive=True, role=role[:-1])
    unknown = sorted(set(extra) - {e.split(":", 1)[1] for e in entities})
    if unknown:
        raise GazetteerError(f"{where}: unknown ISO 3166 codes: {', '.join(unknown)}")


def _add_entity(row: object, entities: dict[str, Entity], index: AliasIndex, *, where: str) -> None:
    if not isinstance(row, dict):
        raise GazetteerError(f"{where}: must be a table")
    entity_id = row.get("id")
    name = row.get("name")
    if not isinstance(entity_id, str) or not _ID.match(entity_id):
        raise GazetteerError(f"{where}: id must look like 'org:jogmec'")
    if not isinstance(name, str) or not name.strip():
        raise GazetteerError(f"{where} ({entity_id}): needs a name")
    try:
        entity_type = entity_type_of(entity_id)
    except ValueError as exc:
        raise GazetteerError(f"{where}: {exc}") from None
    if entity_type in {"country", "person"}:
        raise GazetteerError(f"{where} ({entity_id}): {entity_type} rows are not taken here")
    if entity_id in entities:
        raise GazetteerError(f"{where}: duplicate id {entity_id}")
    aliases = _strings(row.get("aliases", []), where=f"{where} ({entity_id}).aliases")
    case_sensitive = row.get("match_case", entity_type != "commodity")
    if not isinstance(case_sensitive, bool):
        raise GazetteerError(f"{where} ({entity_id}): match_case must be true or false")
    kind, group = row.get("kind"), row.get("group")
    entities[entity_id] = Entity(
        id=entity_id,
        name=name,
        type=entity_type,
        aliases=tuple(a for a in _unique(aliases) if a != name),
        kind=kind if isinstance(kind, str) else None,
        group=group if isinstance(group, str) else None,
    )
    for spelling in _unique([name, *aliases]):
        index.add(spelling, entity_id, case_sensitive=case_sensitive)


def _strings(value: object, *, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: must be a list of non-empty strings")
    return [str(v) for v in value]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
