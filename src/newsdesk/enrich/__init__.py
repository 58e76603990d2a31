"""newsdesk.enrich stage: sector taxonomy and classifiers (entities, facts, summaries later)."""

from newsdesk.enrich.classify_sectors import (
    ClassifyOptions,
    SectorResult,
    classify,
    classify_batch,
)
from newsdesk.enrich.classify_zero_shot import ZeroShotOptions
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
    "MODEL_FORMAT_VERSION",
    "ClassifyOptions",
    "ClassifyRun",
    "Entity",
    "LabelledDoc",
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
    "detect_language",
    "iter_lines",
    "load_sector_model",
    "load_taxonomy",
    "parse_taxonomy",
    "read_labelled",
    "train_from_jsonl",
    "train_sector_model",
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
