"""newsdesk.enrich stage: sector taxonomy and classifiers, entities and facts (summaries later).

The entity record is exported here as ``CanonicalEntity``: ``Entity`` already names the
taxonomy's sector-evidence entity. ``newsdesk.enrich.entities.Entity`` is the same class.

Names are imported on first use (PEP 562): ``import newsdesk.enrich.taxonomy`` — what the site
and the digest need — must not load scikit-learn, which the classifiers import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# exported name -> (module, name in that module)
_LAZY: dict[str, tuple[str, str]] = {
    "AgreementFact": ("newsdesk.enrich.facts", "AgreementFact"),
    "Amount": ("newsdesk.enrich.facts", "Amount"),
    "CanonicalEntity": ("newsdesk.enrich.entities", "Entity"),
    "ClassifyOptions": ("newsdesk.enrich.classify_sectors", "ClassifyOptions"),
    "ClassifyRun": ("newsdesk.enrich.sector_jsonl", "ClassifyRun"),
    "ENTITY_TYPES": ("newsdesk.enrich.entities", "ENTITY_TYPES"),
    "Entity": ("newsdesk.enrich.taxonomy", "Entity"),
    "EntityMention": ("newsdesk.enrich.entities", "EntityMention"),
    "EntityOptions": ("newsdesk.enrich.entities", "EntityOptions"),
    "EntityResult": ("newsdesk.enrich.entities", "EntityResult"),
    "EntityType": ("newsdesk.enrich.entities", "EntityType"),
    "FACT_TYPES": ("newsdesk.enrich.facts", "FACT_TYPES"),
    "Fact": ("newsdesk.enrich.facts", "Fact"),
    "FactOptions": ("newsdesk.enrich.facts", "FactOptions"),
    "FactSource": ("newsdesk.enrich.facts", "FactSource"),
    "FactType": ("newsdesk.enrich.facts", "FactType"),
    "Gazetteer": ("newsdesk.enrich.entities", "Gazetteer"),
    "GazetteerError": ("newsdesk.enrich.entities", "GazetteerError"),
    "InvestmentFact": ("newsdesk.enrich.facts", "InvestmentFact"),
    "LabelledDoc": ("newsdesk.enrich.sector_types", "LabelledDoc"),
    "MODEL_FORMAT_VERSION": ("newsdesk.enrich.sector_model", "MODEL_FORMAT_VERSION"),
    "MergedFact": ("newsdesk.enrich.facts", "MergedFact"),
    "PolicyFact": ("newsdesk.enrich.facts", "PolicyFact"),
    "Quantity": ("newsdesk.enrich.facts", "Quantity"),
    "QuantityFact": ("newsdesk.enrich.facts", "QuantityFact"),
    "RelatedArticle": ("newsdesk.enrich.related", "RelatedArticle"),
    "RelatedCandidate": ("newsdesk.enrich.related", "RelatedCandidate"),
    "RelatedIndex": ("newsdesk.enrich.related", "RelatedIndex"),
    "RelatedOptions": ("newsdesk.enrich.related", "RelatedOptions"),
    "Sector": ("newsdesk.enrich.taxonomy", "Sector"),
    "SectorModel": ("newsdesk.enrich.sector_model", "SectorModel"),
    "SectorModelError": ("newsdesk.enrich.sector_model", "SectorModelError"),
    "SectorResult": ("newsdesk.enrich.classify_sectors", "SectorResult"),
    "SectorScore": ("newsdesk.enrich.sector_types", "SectorScore"),
    "StoryArticle": ("newsdesk.enrich.summarize", "StoryArticle"),
    "Summary": ("newsdesk.enrich.summarize", "Summary"),
    "SummaryOptions": ("newsdesk.enrich.summarize", "SummaryOptions"),
    "Taxonomy": ("newsdesk.enrich.taxonomy", "Taxonomy"),
    "TaxonomyError": ("newsdesk.enrich.taxonomy", "TaxonomyError"),
    "TfidfSpace": ("newsdesk.enrich.tfidf", "TfidfSpace"),
    "TrainOptions": ("newsdesk.enrich.sector_model", "TrainOptions"),
    "ZeroShotOptions": ("newsdesk.enrich.classify_zero_shot", "ZeroShotOptions"),
    "append_corrections": ("newsdesk.enrich.sector_jsonl", "append_corrections"),
    "build_tfidf": ("newsdesk.enrich.tfidf", "build_tfidf"),
    "classify": ("newsdesk.enrich.classify_sectors", "classify"),
    "classify_batch": ("newsdesk.enrich.classify_sectors", "classify_batch"),
    "classify_jsonl": ("newsdesk.enrich.sector_jsonl", "classify_jsonl"),
    "default_gazetteer": ("newsdesk.enrich.entities", "default_gazetteer"),
    "detect_language": ("newsdesk.enrich.text_prep", "detect_language"),
    "extract_entities": ("newsdesk.enrich.entities", "extract_entities"),
    "extract_facts": ("newsdesk.enrich.facts", "extract_facts"),
    "iter_lines": ("newsdesk.enrich.sector_jsonl", "iter_lines"),
    "load_gazetteer": ("newsdesk.enrich.entities", "load_gazetteer"),
    "load_sector_model": ("newsdesk.enrich.sector_model", "load_sector_model"),
    "load_taxonomy": ("newsdesk.enrich.taxonomy", "load_taxonomy"),
    "merge_facts": ("newsdesk.enrich.facts", "merge_facts"),
    "normalize_amount": ("newsdesk.enrich.facts", "normalize_amount"),
    "normalize_quantity": ("newsdesk.enrich.facts", "normalize_quantity"),
    "parse_taxonomy": ("newsdesk.enrich.taxonomy", "parse_taxonomy"),
    "rank_related": ("newsdesk.enrich.related", "rank_related"),
    "read_labelled": ("newsdesk.enrich.sector_jsonl", "read_labelled"),
    "split_sentences": ("newsdesk.enrich.facts", "split_sentences"),
    "summarize_article": ("newsdesk.enrich.summarize", "summarize_article"),
    "summarize_story": ("newsdesk.enrich.summarize", "summarize_story"),
    "train_from_jsonl": ("newsdesk.enrich.sector_jsonl", "train_from_jsonl"),
    "train_sector_model": ("newsdesk.enrich.sector_model", "train_sector_model"),
    "with_corrections": ("newsdesk.enrich.sector_jsonl", "with_corrections"),
    "write_labelled": ("newsdesk.enrich.sector_jsonl", "write_labelled"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


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
