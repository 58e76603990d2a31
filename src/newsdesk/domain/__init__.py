"""Plain data types and Protocols shared by every stage. Imports nothing internal."""

from newsdesk.domain.errors import (
    ExtractionError,
    FetchError,
    FetchErrorKind,
    NewsdeskError,
    SourceParseError,
)
from newsdesk.domain.models import (
    Article,
    ExtractedArticle,
    FeedEntry,
    FetchAttempt,
    FetchOutcome,
    FetchResponse,
    ParsedSource,
    Source,
    SourceKind,
    StoredEntry,
    Story,
    utcnow,
)

__all__ = [
    "Article",
    "ExtractedArticle",
    "ExtractionError",
    "FeedEntry",
    "FetchAttempt",
    "FetchError",
    "FetchErrorKind",
    "FetchOutcome",
    "FetchResponse",
    "NewsdeskError",
    "ParsedSource",
    "Source",
    "SourceKind",
    "SourceParseError",
    "StoredEntry",
    "Story",
    "utcnow",
]
