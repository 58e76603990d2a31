"""Rendered report PDFs kept on disk, shared by every process of the instance.

A PDF is kept under the key of what it shows (``pdf_key``: a digest of the report document
with its "drafted on" time left out), so one report's content is rendered once however many
readers ask, and a report that changes (an article more, a template edit) gets a new key.
The key says nothing about who asked: two readers share a PDF only when the document drafted
for each of them is the same, and the routes ask the access policy before any lookup.

Each file is the PDF behind a digest of itself: a torn or corrupt file (a crash, a full disk,
an edit by hand) is never served but dropped, and the report rendered again. Files are
written to a temporary name and renamed into place, so a reader sees a whole file or none,
whichever process wrote it. Once the files pass the size bound the least recently used go
first (a hit touches its file). A directory that cannot be written only costs the renders:
the PDF is served anyway and the fault logged once per process.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

# The "drafted on" time the key's document is rendered with: every reader's PDF of the
# same content shares a key, whenever it is asked for.
KEY_TIME = datetime(2000, 1, 1, tzinfo=UTC)
# Change when render_pdf would draw the same document differently (it is in every key, with
# the WeasyPrint version: an upgrade renders every report again).
RENDERING = "newsdesk report pdf 1"
SUFFIX = ".pdf"
_DIGEST_BYTES = 32
_STALE_TEMP_SECONDS = 3600.0  # a temporary file this old was left by a process that died


def pdf_key(document: str) -> str:
    """The cache key of the PDF of a report document (render_html at KEY_TIME)."""
    head = f"{RENDERING} weasyprint {_weasyprint_version()}\n".encode()
    return hashlib.sha256(head + document.encode("utf-8")).hexdigest()


@cache
def _weasyprint_version() -> str:
    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "none"


def _sealed(pdf: bytes) -> bytes:
    return hashlib.sha256(pdf).digest() + pdf


def _unsealed(data: bytes) -> bytes | None:
    digest, pdf = data[:_DIGEST_BYTES], data[_DIGEST_BYTES:]
    return pdf if len(digest) == _DIGEST_BYTES and hashlib.sha256(pdf).digest() == digest else None


@dataclass
class PdfCache:
    """PDF files in directory, at most max_bytes of them (0 or no directory: keeps none)."""

    directory: Path | None
    max_bytes: int

    def __post_init__(self) -> None:
        self._warned = False
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.directory is not None and self.max_bytes > 0

    def get(self, key: str) -> bytes | None:
        """The PDF kept under key, or None (none, or a file that is not whole: dropped)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        pdf = _unsealed(data)
        if pdf is None:
            log.warning("report PDF cache: dropped a damaged file %s", path.name)
            path.unlink(missing_ok=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used
        return pdf

    def put(self, key: str, pdf: bytes) -> bool:
        """Keep pdf under key; False when it could not be written (logged once) or is larger
        than an eighth of the bound."""
        path = self._path(key)
        if path is None or len(pdf) + _DIGEST_BYTES > self.max_bytes // 8:
            return False
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
            with os.fdopen(handle, "wb") as file:
                file.write(_sealed(pdf))
            os.replace(temporary, path)
        except OSError as error:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)
            self._fault(error)
            return False
        try:
            self._evict()
        except OSError as error:
            self._fault(error)
        return True

    def _path(self, key: str) -> Path | None:
        if not self.enabled or not key.isalnum():
            return None
        assert self.directory is not None
        return self.directory / f"{key}{SUFFIX}"

    def _evict(self) -> None:
        """Drop the least recently used files past the bound, and temporary files left by a
        process that died while writing."""
        assert self.directory is not None
        files: list[tuple[float, int, Path]] = []
        now = time.time()
        with self._lock, os.scandir(self.directory) as entries:
            for entry in entries:
                try:
                    stat = entry.stat()
                except FileNotFoundError:
                    continue  # another process dropped it
                path = Path(entry.path)
                if entry.name.endswith(".partial"):
                    if now - stat.st_mtime > _STALE_TEMP_SECONDS:
                        path.unlink(missing_ok=True)
                elif entry.name.endswith(SUFFIX):
                    files.append((stat.st_mtime, stat.st_size, path))
            total = sum(size for _, size, _ in files)
            for _, size, path in sorted(files, key=lambda file: file[0]):
                if total <= self.max_bytes:
                    break
                path.unlink(missing_ok=True)
                total -= size

    def _fault(self, error: OSError) -> None:
        if not self._warned:
            self._warned = True
            log.warning(
                "report PDF cache: cannot write under %s (%s); PDFs are served but rendered "
                "on every request until it can",
                self.directory,
                error,
            )
