"""newsdesk.enrich stage: sector taxonomy and classifiers (entities, facts, summaries later)."""

from newsdesk.enrich.classify_sectors import (
    ClassifyOptions,
    SectorResult,
    classify,
    classify_batch,
)
from newsdesk.enrich.classify_zero_shot import ZeroShotOptions
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
from newsdesk.enrich.taxonomy import (
    Entity,
    Sector,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    parse_taxonomy,
)
from newsdesk.enrich.text_prep import detect_language

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
