"""The daily "Top Insights Today" digest: selection, rendering, scheduling, exactly-once sending."""

from newsdesk.deliver.digest.render import DigestRenderer, RenderedDigest, RenderOptions
from newsdesk.deliver.digest.send import DigestOptions, DigestReport, DigestRun

__all__ = [
    "DigestOptions",
    "DigestRenderer",
    "DigestReport",
    "DigestRun",
    "RenderOptions",
    "RenderedDigest",
]
