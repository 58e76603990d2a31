"""JSON-lines edges of the sector classifier: the classify contract, training files, corrections.

Classify contract (kept stable; it is how quality is measured):
  input lines  ``{"id", "title", "text"}``
  output lines ``{"id", "language", "sectors": [{"id", "score", "explanation"}]}`` with the
  sectors scoring at least ``report_floor``, highest first; a label counts when score >= 0.5.
A line that cannot be read yields ``{"id", "error", "sectors": []}`` and the batch goes on.

Training files hold ``{"id", "title", "text", "sectors": [ids]}`` lines. Editor corrections
are appended to such a file as ordinary examples; a later correction of the same id replaces
the earlier one when the file is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TextIO

from newsdesk.enrich.sectors.classify import ClassifyOptions, classify_batch
from newsdesk.enrich.sectors.model import LabelledDoc
from newsdesk.enrich.sectors.taxonomy import Taxonomy
from newsdesk.enrich.sectors.trained import (
    SectorModel,
    SectorModelError,
    TrainOptions,
    train_sector_model,
)

_BATCH = 256


@dataclass(frozen=True)
class ClassifyRun:
    documents: int
    errors: int


def classify_jsonl(
    input_lines: Iterable[str],
    output: TextIO,
    *,
    taxonomy: Taxonomy,
    model: SectorModel | None,
    options: ClassifyOptions,
    report_floor: float = 0.01,
) -> ClassifyRun:
    """Classify every input line and write one output line per non-blank input line."""
    documents = errors = 0
    lines = (line for line in input_lines if line.strip())
    while batch := list(islice(lines, _BATCH)):
        parsed = [_parse_document(line) for line in batch]
        good = [p for p in parsed if isinstance(p, tuple)]
        results = iter(
            classify_batch(
                [(title, text) for _, title, text in good],
                taxonomy=taxonomy,
                model=model,
                options=options,
            )
        )
        for item in parsed:
            documents += 1
            if isinstance(item, _BadLine):
                errors += 1
                row: dict[str, object] = {"id": item.doc_id, "error": item.error, "sectors": []}
            else:
                result = next(results)
                row = {
                    "id": item[0],
                    "language": result.language,
                    "sectors": [
                        {"id": s.id, "score": round(s.score, 4), "explanation": s.explanation}
                        for s in result.scores
                        if s.score >= report_floor
                    ],
                }
            output.write(json.dumps(row, ensure_ascii=False) + "\n")
    return ClassifyRun(documents=documents, errors=errors)


def read_labelled(path: Path, *, taxonomy: Taxonomy) -> list[LabelledDoc]:
    """Examples of a training file; later lines with the same id replace earlier ones."""
    examples: dict[str, LabelledDoc] = {}
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    doc = _parse_labelled(line, taxonomy, where=f"{path}:{number}")
                    examples.pop(doc.id, None)
                    examples[doc.id] = doc
    except OSError as exc:
        raise SectorModelError(f"cannot read training file {path}: {exc.strerror}") from exc
    return list(examples.values())


def train_from_jsonl(
    path: Path,
    out_dir: Path,
    *,
    taxonomy: Taxonomy,
    options: TrainOptions,
    corrections: Iterable[LabelledDoc] = (),
) -> SectorModel:
    """Train on a labels file plus editor corrections and save the model in ``out_dir``."""
    examples = with_corrections(read_labelled(path, taxonomy=taxonomy), corrections)
    model = train_sector_model(examples, taxonomy=taxonomy, options=options)
    model.save(out_dir)
    return model


def with_corrections(
    examples: Iterable[LabelledDoc], corrections: Iterable[LabelledDoc]
) -> list[LabelledDoc]:
    """The examples with each editor correction replacing the example of the same id."""
    merged = {doc.id: doc for doc in examples}
    for doc in corrections:
        merged.pop(doc.id, None)
        merged[doc.id] = doc
    return list(merged.values())


def write_labelled(output: TextIO, examples: Iterable[LabelledDoc]) -> int:
    """Write examples as training lines; returns how many were written."""
    written = 0
    for doc in examples:
        row = {"id": doc.id, "title": doc.title, "text": doc.text, "sectors": list(doc.sectors)}
        output.write(json.dumps(row, ensure_ascii=False) + "\n")
        written += 1
    return written


def append_corrections(path: Path, corrections: Iterable[LabelledDoc]) -> int:
    """Record editor corrections as training examples; returns how many were written."""
    with path.open("a", encoding="utf-8") as out:
        return write_labelled(out, corrections)


@dataclass(frozen=True)
class _BadLine:
    doc_id: object
    error: str


def _parse_document(line: str) -> tuple[object, str, str] | _BadLine:
    try:
        row = json.loads(line)
    except ValueError as exc:
        return _BadLine(None, f"not JSON: {exc}")
    if not isinstance(row, dict):
        return _BadLine(None, "a line must be a JSON object")
    doc_id = row.get("id")
    title, text = row.get("title", ""), row.get("text", "")
    if title is None:
        title = ""
    if text is None:
        text = ""
    if not isinstance(title, str) or not isinstance(text, str):
        return _BadLine(doc_id, "title and text must be strings")
    return doc_id, title, text


def _parse_labelled(line: str, taxonomy: Taxonomy, *, where: str) -> LabelledDoc:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise SectorModelError(f"{where}: not JSON: {exc}") from exc
    if not isinstance(row, dict):
        raise SectorModelError(f"{where}: a line must be a JSON object")
    doc_id, title, text, sectors = (row.get(k) for k in ("id", "title", "text", "sectors"))
    if doc_id is None or not isinstance(title, str) or not isinstance(text, str):
        raise SectorModelError(f"{where}: needs an id and string title and text")
    if not isinstance(sectors, list) or not all(isinstance(s, str) for s in sectors):
        raise SectorModelError(f"{where}: sectors must be a list of sector ids")
    unknown = sorted(set(sectors) - set(taxonomy.ids))
    if unknown:
        raise SectorModelError(f"{where}: unknown sectors {', '.join(unknown)}")
    return LabelledDoc(id=str(doc_id), title=title, text=text, sectors=tuple(sectors))


def iter_lines(path: Path) -> Iterator[str]:
    """Lines of a text file, read lazily (for `classify_jsonl` on large inputs)."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        yield from lines
