"""newsdesk.extract stage: main text, metadata and sanitized HTML from article pages."""

from newsdesk.extract.article import extract_article
from newsdesk.extract.batch import (
    BatchSummary,
    article_record,
    extract_file,
    extract_jsonl,
    extract_page_file,
)
from newsdesk.extract.options import ExtractOptions
from newsdesk.extract.sanitize import sanitize_html

__all__ = [
    "BatchSummary",
    "ExtractOptions",
    "article_record",
    "extract_article",
    "extract_file",
    "extract_jsonl",
    "extract_page_file",
    "sanitize_html",
]
