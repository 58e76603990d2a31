"""Language of a text: language tags, and the one detector every stage uses.

Detection is py3langid (a naive Bayes model over byte n-grams, 97 languages, shipped in its
wheel) with normalised probabilities. It answers ``None`` — "cannot tell" — for a text of
fewer than ``MIN_WORDS`` words (two CJK characters count as one) or when its best language
has a probability below ``MIN_CONFIDENCE``: a wrong language is worse than none (the sector
classifier reads only the terms of the language it is told). ``benchmarks/language.py``
measures it against the stop-word detectors newsdesk had before.

The model (about 75 MB in memory, half a second to load) is loaded on first use, once per
process; ``import newsdesk.text.language`` itself is free.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

LANGUAGE_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{2,8})*$")
_WORD = re.compile(r"[^\W\d_]+")
# Scripts written without spaces between words: two characters count as a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
MIN_WORDS = 3
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 5000  # an article's language shows in its first few thousand characters

_lock = threading.Lock()
_loaded: list[LanguageIdentifier] = []  # the model, once loaded


def normalize_language(value: str | None) -> str | None:
    """'en-US', 'en_GB', 'EN' -> 'en'; None for values that are not language tags."""
    if not value:
        return None
    match = LANGUAGE_CODE.match(value.strip())
    return match.group(1).lower() if match else None


def _model() -> LanguageIdentifier:
    if not _loaded:
        with _lock:
            if not _loaded:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _loaded.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    return _loaded[0]


def _enough_words(sample: str) -> bool:
    for words, _ in enumerate(_WORD.finditer(sample), start=1):
        if words >= MIN_WORDS:
            return True
    return len(_UNSPACED.findall(sample[:200])) >= 2 * MIN_WORDS


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if not _enough_words(sample):
        return None
    language, confidence = _model().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return normalize_language(str(language))
