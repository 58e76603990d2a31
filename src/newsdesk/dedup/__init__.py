"""Dedup stage: URL canonicalization, content hash, MinHash near-duplicates, story matching."""

from newsdesk.dedup.decide import Decision, DecisionKind, decide_story
from newsdesk.dedup.near import DedupOptions, Match, NearDuplicateIndex, fingerprint, similarity
from newsdesk.dedup.stories import StoryIndex, StoryOptions, story_features
from newsdesk.dedup.text import content_hash, normalize_text, shingles
from newsdesk.dedup.urls import canonicalize_url

__all__ = [
    "Decision",
    "DecisionKind",
    "DedupOptions",
    "Match",
    "NearDuplicateIndex",
    "StoryIndex",
    "StoryOptions",
    "canonicalize_url",
    "content_hash",
    "decide_story",
    "fingerprint",
    "normalize_text",
    "shingles",
    "similarity",
    "story_features",
]
