"""The demo: fictional publications served from loopback for `newsdesk demo`."""

from newsdesk.demo.corpus_loader import (
    SECTOR_IDS,
    DemoArticle,
    DemoCorpus,
    DemoCorpusError,
    Publication,
    load_corpus,
)
from newsdesk.demo.server import DemoSourceServer

__all__ = [
    "SECTOR_IDS",
    "DemoArticle",
    "DemoCorpus",
    "DemoCorpusError",
    "DemoSourceServer",
    "Publication",
    "load_corpus",
]
