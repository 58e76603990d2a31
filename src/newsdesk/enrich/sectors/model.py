"""Records the sector classifiers take and return."""

from __future__ import annotations

from dataclasses import dataclass

# The trained model directory's format (here, not in trained.py, so that the enrichment
# version string is known without importing scikit-learn).
MODEL_FORMAT_VERSION = 1


@dataclass(frozen=True)
class SectorScore:
    """One sector's score for a document: the label applies when ``score >= 0.5``."""

    id: str
    score: float
    explanation: str  # the evidence behind the score, e.g. "crude ×4, OPEC, barrel"

    @property
    def labelled(self) -> bool:
        return self.score >= 0.5


@dataclass(frozen=True)
class LabelledDoc:
    """A training example: a document and every sector it belongs to (possibly none)."""

    id: str
    title: str
    text: str
    sectors: tuple[str, ...]
