"""Dedup stage: URL canonicalization, content hash, MinHash near-duplicates, story matching."""

from newsdesk.dedup.decide import DecisionKind, StoryDecision, decide_story
from newsdesk.dedup.near import DedupOptions, Match, NearDuplicateIndex, fingerprint, similarity
from newsdesk.dedup.stories import StoryIndex, StoryOptions, story_features
from newsdesk.dedup.text import content_hash, shingles
from newsdesk.dedup.urls import canonicalize_url

__all__ = [
    "DecisionKind",
    "DedupOptions",
    "Match",
    "NearDuplicateIndex",
    "StoryDecision",
    "StoryIndex",
    "StoryOptions",
    "canonicalize_url",
    "content_hash",
    "decide_story",
    "fingerprint",
    "shingles",
    "similarity",
    "story_features",
]
