"""A tiny demo corpus written to a temporary directory, and a server over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_corpus import NOW, write_corpus

from newsdesk.demo import DemoCorpus, DemoSourceServer, load_corpus


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def tiny_corpus(corpus_dir: Path) -> DemoCorpus:
    return load_corpus(NOW, corpus_dir)


@pytest.fixture
def demo_server(corpus_dir: Path) -> Iterator[DemoSourceServer]:
    with DemoSourceServer(now=NOW, corpus_dir=corpus_dir) as server:
        yield server
