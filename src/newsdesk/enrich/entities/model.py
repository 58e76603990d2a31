"""The records entity recognition produces: canonical entities and their mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal[
    "country", "region", "supranational", "organisation", "person", "commodity", "place"
]
ENTITY_TYPES: tuple[EntityType, ...] = (
    "country",
    "region",
    "supranational",
    "organisation",
    "person",
    "commodity",
    "place",
)
# id prefix -> type; ids look like "org:jogmec", "country:NA", "commodity:dysprosium"
ID_PREFIX_TYPE: dict[str, EntityType] = {
    "country": "country",
    "region": "region",
    "supranational": "supranational",
    "org": "organisation",
    "person": "person",
    "commodity": "commodity",
    "place": "place",
}


def entity_type_of(entity_id: str) -> EntityType:
    """The type an entity id names by its prefix; ValueError for an unknown prefix."""
    prefix = entity_id.split(":", 1)[0]
    try:
        return ID_PREFIX_TYPE[prefix]
    except KeyError:
        raise ValueError(f"entity id {entity_id!r} has no known type prefix") from None


@dataclass(frozen=True)
class Entity:
    """One canonical thing mentions link to, with the other names it goes by."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    kind: str | None = None  # finer kind: agency, ministry, state-miner, deposit, mine, ...
    group: str | None = None  # commodity family: rare-earth, battery-metal, energy, ...


@dataclass(frozen=True)
class EntityMention:
    """Where an entity is named: ``field_text[start:end] == text`` for the field named."""

    entity_id: str
    text: str
    start: int
    end: int
    role: str | None = None  # a person's role; "demonym"/"capital" for country evidence
    field: Literal["text", "title"] = "text"


@dataclass(frozen=True)
class EntityResult:
    entities: list[Entity] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)

    def entity(self, entity_id: str) -> Entity | None:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        return None

    def mentions_of(self, entity_id: str) -> list[EntityMention]:
        return [m for m in self.mentions if m.entity_id == entity_id]

    def to_records(self) -> list[dict[str, object]]:
        """One JSON-ready record per entity: ``{id, name, type, aliases, mentions}``."""
        return [
            {
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "aliases": list(entity.aliases),
                "mentions": [
                    {
                        "text": m.text,
                        "start": m.start,
                        "end": m.end,
                        "role": m.role,
                        "field": m.field,
                    }
                    for m in self.mentions_of(entity.id)
                ],
            }
            for entity in self.entities
        ]


@dataclass(frozen=True)
class EntityOptions:
    """Per-call options for :func:`extract_entities`."""

    # Text beyond this many characters is not read: bounds the cost of pathological inputs.
    max_chars: int = 100_000
    recognize_unknown_organisations: bool = True
    recognize_people: bool = True
    recognize_places: bool = True
    # "Japanese" and "Tokyo" count as mentions of Japan
    demonyms_and_capitals: bool = True
    link_short_references: bool = True
    # How far back (characters) "the country" / "the agency" may look for what it refers to
    short_reference_window: int = 600
