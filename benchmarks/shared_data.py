"""The one place that finds the research data in ../shared (never shipped, never copied in).

A developer's and CI's clone has ``../shared`` beside it; a user's clone does not. Set
``NEWSDESK_SHARED_DIR`` to use a copy elsewhere. Benchmarks call these functions when they
need the data and stop with a message naming the missing path when it is absent; the tests go
through ``tests/research_data.py``, which skips or fails instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

SHARED_DIR_ENV = "NEWSDESK_SHARED_DIR"
REPOSITORY = Path(__file__).resolve().parents[1]

REUTERS = ("corpus", "reuters21578.jsonl.gz")
SEED_PAGE = ("seed", "insights-page.txt")
EXTRACTION_DEV = ("extraction-dev",)


class SharedDataMissingError(FileNotFoundError):
    """Research data a benchmark or test needs is not on this machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"research data missing: {path} (it lives in ../shared beside a developer's clone; "
            f"set {SHARED_DIR_ENV} to where a copy is)"
        )


def shared_root() -> Path:
    configured = os.environ.get(SHARED_DIR_ENV)
    return Path(configured) if configured else REPOSITORY.parent / "shared"


def shared_path(*parts: str, root: Path | None = None) -> Path:
    """The path of parts below the shared folder (root, else shared_root());
    SharedDataMissingError if it is not there."""
    path = (root or shared_root()).joinpath(*parts)
    if not path.exists():
        raise SharedDataMissingError(path)
    return path


def reuters_corpus() -> Path:
    return shared_path(*REUTERS)


def seed_page() -> Path:
    return shared_path(*SEED_PAGE)


def extraction_dev_set() -> Path:
    return shared_path(*EXTRACTION_DEV)


def run_benchmark(main: Callable[[], None]) -> None:
    """Run a benchmark's main; missing research data ends it with the message, not a trace."""
    try:
        main()
    except SharedDataMissingError as missing:
        raise SystemExit(f"{Path(sys.argv[0]).name}: {missing}") from None
