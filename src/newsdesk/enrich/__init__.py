"""newsdesk.enrich stage: sectors, entities, facts, summaries and related articles.

Each kind of enrichment has its subpackage — ``sectors/`` (taxonomy, zero-shot and trained
classifiers, JSONL runs), ``entities/``, ``facts/`` — and the article-level modules beside them
(``summarize``, ``related``, ``tfidf``, ``embeddings``). Text utilities they share (language,
sentences, numbers, normalisation) are ``newsdesk.text``.

Names are imported on first use (PEP 562): ``import newsdesk.enrich.sectors.taxonomy`` — what
the site and the digest need — must not load scikit-learn, which the classifiers import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsdesk.enrich.entities import (
        ENTITY_TYPES,
        Entity,
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
    )
    from newsdesk.enrich.related import (
        RelatedCandidate,
        RelatedIndex,
        RelatedOptions,
        RelatedScore,
        rank_related,
    )
    from newsdesk.enrich.sectors.classify import (
        ClassifyOptions,
        SectorResult,
        classify,
        classify_batch,
    )
    from newsdesk.enrich.sectors.jsonl import (
        ClassifyRun,
        append_corrections,
        classify_jsonl,
        iter_lines,
        read_labelled,
        train_from_jsonl,
        with_corrections,
        write_labelled,
    )
    from newsdesk.enrich.sectors.model import MODEL_FORMAT_VERSION, LabelledDoc, SectorScore
    from newsdesk.enrich.sectors.taxonomy import (
        Sector,
        Taxonomy,
        TaxonomyEntity,
        TaxonomyError,
        load_taxonomy,
        parse_taxonomy,
    )
    from newsdesk.enrich.sectors.trained import (
        SectorModel,
        SectorModelError,
        TrainOptions,
        load_sector_model,
        train_sector_model,
    )
    from newsdesk.enrich.sectors.zero_shot import ZeroShotOptions
    from newsdesk.enrich.summarize import (
        StoryArticle,
        Summary,
        SummaryOptions,
        summarize_article,
        summarize_story,
    )
    from newsdesk.enrich.tfidf import TfidfSpace, build_tfidf

# exported name -> (module, name in that module)
_LAZY: dict[str, tuple[str, str]] = {
    "AgreementFact": ("newsdesk.enrich.facts", "AgreementFact"),
    "Amount": ("newsdesk.enrich.facts", "Amount"),
    "ClassifyOptions": ("newsdesk.enrich.sectors.classify", "ClassifyOptions"),
    "ClassifyRun": ("newsdesk.enrich.sectors.jsonl", "ClassifyRun"),
    "ENTITY_TYPES": ("newsdesk.enrich.entities", "ENTITY_TYPES"),
    "Entity": ("newsdesk.enrich.entities", "Entity"),
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
    "LabelledDoc": ("newsdesk.enrich.sectors.model", "LabelledDoc"),
    "MODEL_FORMAT_VERSION": ("newsdesk.enrich.sectors.model", "MODEL_FORMAT_VERSION"),
    "MergedFact": ("newsdesk.enrich.facts", "MergedFact"),
    "PolicyFact": ("newsdesk.enrich.facts", "PolicyFact"),
    "Quantity": ("newsdesk.enrich.facts", "Quantity"),
    "QuantityFact": ("newsdesk.enrich.facts", "QuantityFact"),
    "RelatedCandidate": ("newsdesk.enrich.related", "RelatedCandidate"),
    "RelatedIndex": ("newsdesk.enrich.related", "RelatedIndex"),
    "RelatedOptions": ("newsdesk.enrich.related", "RelatedOptions"),
    "RelatedScore": ("newsdesk.enrich.related", "RelatedScore"),
    "Sector": ("newsdesk.enrich.sectors.taxonomy", "Sector"),
    "SectorModel": ("newsdesk.enrich.sectors.trained", "SectorModel"),
    "SectorModelError": ("newsdesk.enrich.sectors.trained", "SectorModelError"),
    "SectorResult": ("newsdesk.enrich.sectors.classify", "SectorResult"),
    "SectorScore": ("newsdesk.enrich.sectors.model", "SectorScore"),
    "StoryArticle": ("newsdesk.enrich.summarize", "StoryArticle"),
    "Summary": ("newsdesk.enrich.summarize", "Summary"),
    "SummaryOptions": ("newsdesk.enrich.summarize", "SummaryOptions"),
    "Taxonomy": ("newsdesk.enrich.sectors.taxonomy", "Taxonomy"),
    "TaxonomyEntity": ("newsdesk.enrich.sectors.taxonomy", "TaxonomyEntity"),
    "TaxonomyError": ("newsdesk.enrich.sectors.taxonomy", "TaxonomyError"),
    "TfidfSpace": ("newsdesk.enrich.tfidf", "TfidfSpace"),
    "TrainOptions": ("newsdesk.enrich.sectors.trained", "TrainOptions"),
    "ZeroShotOptions": ("newsdesk.enrich.sectors.zero_shot", "ZeroShotOptions"),
    "append_corrections": ("newsdesk.enrich.sectors.jsonl", "append_corrections"),
    "build_tfidf": ("newsdesk.enrich.tfidf", "build_tfidf"),
    "classify": ("newsdesk.enrich.sectors.classify", "classify"),
    "classify_batch": ("newsdesk.enrich.sectors.classify", "classify_batch"),
    "classify_jsonl": ("newsdesk.enrich.sectors.jsonl", "classify_jsonl"),
    "default_gazetteer": ("newsdesk.enrich.entities", "default_gazetteer"),
    "extract_entities": ("newsdesk.enrich.entities", "extract_entities"),
    "extract_facts": ("newsdesk.enrich.facts", "extract_facts"),
    "iter_lines": ("newsdesk.enrich.sectors.jsonl", "iter_lines"),
    "load_gazetteer": ("newsdesk.enrich.entities", "load_gazetteer"),
    "load_sector_model": ("newsdesk.enrich.sectors.trained", "load_sector_model"),
    "load_taxonomy": ("newsdesk.enrich.sectors.taxonomy", "load_taxonomy"),
    "merge_facts": ("newsdesk.enrich.facts", "merge_facts"),
    "normalize_amount": ("newsdesk.enrich.facts", "normalize_amount"),
    "normalize_quantity": ("newsdesk.enrich.facts", "normalize_quantity"),
    "parse_taxonomy": ("newsdesk.enrich.sectors.taxonomy", "parse_taxonomy"),
    "rank_related": ("newsdesk.enrich.related", "rank_related"),
    "read_labelled": ("newsdesk.enrich.sectors.jsonl", "read_labelled"),
    "summarize_article": ("newsdesk.enrich.summarize", "summarize_article"),
    "summarize_story": ("newsdesk.enrich.summarize", "summarize_story"),
    "train_from_jsonl": ("newsdesk.enrich.sectors.jsonl", "train_from_jsonl"),
    "train_sector_model": ("newsdesk.enrich.sectors.trained", "train_sector_model"),
    "with_corrections": ("newsdesk.enrich.sectors.jsonl", "with_corrections"),
    "write_labelled": ("newsdesk.enrich.sectors.jsonl", "write_labelled"),
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
    "TaxonomyEntity",
    "TaxonomyError",
    "TrainOptions",
    "ZeroShotOptions",
    "append_corrections",
    "classify",
    "classify_batch",
    "classify_jsonl",
    "default_gazetteer",
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
    "train_from_jsonl",
    "train_sector_model",
    "with_corrections",
    "write_labelled",
]
__all__ += [
    "RelatedCandidate",
    "RelatedIndex",
    "RelatedOptions",
    "RelatedScore",
    "StoryArticle",
    "Summary",
    "SummaryOptions",
    "TfidfSpace",
    "build_tfidf",
    "rank_related",
    "summarize_article",
    "summarize_story",
]
