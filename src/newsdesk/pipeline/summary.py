"""The closing summary of an ingest run."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields


@dataclass
class IngestSummary:
    sources: int = 0  # sources attempted
    fetched: int = 0  # documents fetched with a 2xx (feeds, sitemaps and pages)
    not_modified: int = 0  # sources that answered 304
    new: int = 0  # articles stored for the first time
    updated: int = 0  # articles whose text changed
    unchanged: int = 0  # entries already stored, skipped without re-processing
    access_changed: int = 0  # of the unchanged: imported again with another visibility or break
    duplicate: int = 0  # exact copies of an article stored under another URL
    related: int = 0  # new articles linked to an existing story as near-duplicates
    failed: int = 0  # sources or entries that failed
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)  # stored or revised: to enrich
    # CPU seconds per stage: "main: …" in the ingest process, "extract: …" wherever pages
    # were extracted (the workers, or the ingest process with one worker).
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def combined(cls, summaries: Iterable[IngestSummary]) -> IngestSummary:
        """One summary of several runs (counts and CPU seconds added, errors and ids in
        order)."""
        total = cls()
        for summary in summaries:
            for item in fields(cls):
                mine, theirs = getattr(total, item.name), getattr(summary, item.name)
                if isinstance(mine, dict):
                    for key, value in theirs.items():
                        mine[key] = mine.get(key, 0.0) + value
                else:
                    setattr(total, item.name, mine + theirs)
        return total

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        data["cpu_seconds"] = {stage: round(s, 4) for stage, s in sorted(self.cpu_seconds.items())}
        del data["changed_ids"]
        return data

    def line(self) -> str:
        return (
            f"fetched {self.fetched}, new {self.new}, updated {self.updated}, "
            f"duplicate {self.duplicate}, related {self.related}, "
            f"not modified {self.not_modified}, unchanged {self.unchanged}{self._access_note()}, "
            f"failed {self.failed}, {self.seconds:.1f} s"
        )

    def _access_note(self) -> str:
        return f" (access changed {self.access_changed})" if self.access_changed else ""


@contextlib.contextmanager
def charged(cpu_seconds: dict[str, float], stage: str) -> Iterator[None]:
    """Add this process's CPU time in the block (synchronous: no await inside) to a stage."""
    started = time.process_time()
    try:
        yield
    finally:
        cpu_seconds[stage] = cpu_seconds.get(stage, 0.0) + time.process_time() - started
