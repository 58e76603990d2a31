"""Plain data types and Protocols shared by every stage. Imports nothing internal."""

from newsdesk.domain.errors import (
    ExtractionError,
    FencedOut,
    FetchError,
    FetchErrorKind,
    NewsdeskError,
    SourceParseError,
)
from newsdesk.domain.leases import PollFence
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
    "FencedOut",
    "FetchAttempt",
    "FetchError",
    "FetchErrorKind",
    "FetchOutcome",
    "FetchResponse",
    "NewsdeskError",
    "ParsedSource",
    "PollFence",
    "Source",
    "SourceKind",
    "SourceParseError",
    "StoredEntry",
    "Story",
    "utcnow",
]
