"""newsdesk.enrich stage: sector taxonomy and classifiers, entities and facts (summaries later).

The entity record is exported here as ``CanonicalEntity``: ``Entity`` already names the
taxonomy's sector-evidence entity. ``newsdesk.enrich.entities.Entity`` is the same class.
"""

from newsdesk.enrich.classify_sectors import (
    ClassifyOptions,
    SectorResult,
    classify,
    classify_batch,
)
from newsdesk.enrich.classify_zero_shot import ZeroShotOptions
from newsdesk.enrich.entities import (
    ENTITY_TYPES,
    EntityMention,
    EntityOptions,
    EntityResult,
    EntityType,
    Gazetteer,
    GazetteerError,
    default_gazetteer,
    extract_entities,
    load_gazetteer,
)
from newsdesk.enrich.entities import Entity as CanonicalEntity
from newsdesk.enrich.facts import (
    FACT_TYPES,
    AgreementFact,
    Amount,
    Fact,
    FactOptions,
    FactSource,
    FactType,
    InvestmentFact,
    MergedFact,
    PolicyFact,
    Quantity,
    QuantityFact,
    extract_facts,
    merge_facts,
    normalize_amount,
    normalize_quantity,
    split_sentences,
)
from newsdesk.enrich.related import (
    RelatedArticle,
    RelatedCandidate,
    RelatedIndex,
    RelatedOptions,
    rank_related,
)
from newsdesk.enrich.sector_jsonl import (
    ClassifyRun,
    append_corrections,
    classify_jsonl,
    iter_lines,
    read_labelled,
    train_from_jsonl,
    with_corrections,
    write_labelled,
)
from newsdesk.enrich.sector_model import (
    MODEL_FORMAT_VERSION,
    SectorModel,
    SectorModelError,
    TrainOptions,
    load_sector_model,
    train_sector_model,
)
from newsdesk.enrich.sector_types import LabelledDoc, SectorScore
from newsdesk.enrich.summarize import (
    StoryArticle,
    Summary,
    SummaryOptions,
    summarize_article,
    summarize_story,
)
from newsdesk.enrich.taxonomy import (
    Entity,
    Sector,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)
from newsdesk.enrich.text_prep import detect_language
from newsdesk.enrich.tfidf import TfidfSpace, build_tfidf

__all__ = [
    "ENTITY_TYPES",
    "FACT_TYPES",
    "MODEL_FORMAT_VERSION",
    "AgreementFact",
    "Amount",
    "CanonicalEntity",
    "ClassifyOptions",
    "ClassifyRun",
    "Entity",
    "EntityMention",
    "EntityOptions",
    "EntityResult",
    "EntityType",
    "Fact",
    "FactOptions",
    "FactSource",
    "FactType",
    "Gazetteer",
    "GazetteerError",
    "InvestmentFact",
    "LabelledDoc",
    "MergedFact",
    "PolicyFact",
    "Quantity",
    "QuantityFact",
    "Sector",
    "SectorModel",
    "SectorModelError",
    "SectorResult",
    "SectorScore",
    "Taxonomy",
    "TaxonomyError",
    "TrainOptions",
    "ZeroShotOptions",
    "append_corrections",
    "classify",
    "classify_batch",
    "classify_jsonl",
    "default_gazetteer",
    "detect_language",
    "extract_entities",
    "extract_facts",
    "iter_lines",
    "load_gazetteer",
    "load_sector_model",
    "load_taxonomy",
    "merge_facts",
    "normalize_amount",
    "normalize_quantity",
    "parse_taxonomy",
    "read_labelled",
    "split_sentences",
    "train_from_jsonl",
    "train_sector_model",
    "with_corrections",
    "write_labelled",
]
__all__ += [
    "RelatedArticle",
    "RelatedCandidate",
    "RelatedIndex",
    "RelatedOptions",
    "StoryArticle",
    "Summary",
    "SummaryOptions",
    "TfidfSpace",
    "build_tfidf",
    "rank_related",
    "summarize_article",
    "summarize_story",
]
