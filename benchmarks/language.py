"""Language identification: newsdesk's detectors against py3langid, accuracy and speed.

Texts with a known language:

* the extraction development set (shared/extraction-dev): each page's text as newsdesk
  extracts it, labelled with the language its markup declares (pages that declare none are
  left out; a page whose declaration is wrong counts against every detector alike);
* the same texts cut to their first 30 words (a short summary or a teaser);
* the demo corpus (English) and Reuters-21578 stories (English, telex capitals);
* each page's title (short text: 'None' is the honest answer there).

For every detector: share correct, share answered wrongly, share unanswered ('None'), and
the median time per text over several runs.

    NEWSDESK_SHARED_DIR=/work/shared .venv/bin/python benchmarks/language.py [--limit N]

The detectors: ``newsdesk`` (newsdesk.text.language.detect_language, whatever it is at the
time), ``stopwords-32`` (jusText stop-word shares over 32 languages, what extract/ used),
``stopwords-7`` (the 7-language share enrich/ used) and ``py3langid`` (needs
``pip install py3langid``; 97 languages) — the last three as they were before issue 11.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache

from shared_data import extraction_dev_set, reuters_corpus, run_benchmark

Detector = Callable[[str], str | None]
Labelled = list[tuple[str, str]]  # (text, language)
WORD = re.compile(r"\w+")

# --- the two detectors newsdesk had before issue 11, kept here to compare against ----------
STOPLIST_LANGUAGES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "lt": "Lithuanian", "lv": "Latvian",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sv": "Swedish",
    "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
}  # fmt: skip


@cache
def _stoplist(code: str) -> frozenset[str]:
    from justext import get_stoplist

    return frozenset(get_stoplist(STOPLIST_LANGUAGES[code]))


def stopwords_32(text: str) -> str | None:
    words = [w.casefold() for w in WORD.findall(text[:4800])][:400]
    if len(words) < 10:
        return None
    best, share = None, 0.0
    for code in STOPLIST_LANGUAGES:
        stops = _stoplist(code)
        value = sum(w in stops for w in words) / len(words)
        if value > share:
            best, share = code, value
    return best if share >= 0.15 else None


_SEVEN = {
    "en": "the of and to in is that for it on with as was by at be this are from has have "
    "its said will an which not but were their would been also after",
    "de": "der die das und ist nicht ein eine mit den dem von zu auf für sich des im auch "
    "wird werden hat bei nach aus wie sie oder sind über einer",
    "fr": "le la les et des est du un une en dans pour que qui pas sur au par avec ce sont "
    "aux plus été ont cette ses mais leur entre",
    "es": "el la los las y de que en un una es por con para del al se su sus como más pero "
    "fue ha son este esta entre también",
    "it": "il lo la gli le e di che è un una per con del della non sono dei nel alla anche "
    "come più ha ma questo",
    "pt": "o a os as e de que em um uma é para com não do da dos das no na por mais foi ao "
    "são seu sua também",
    "nl": "de het een en van is dat op te in voor met zijn niet aan er om ook als bij door "
    "maar werd wordt naar",
}
_SEVEN_SETS = {code: frozenset(words.split()) for code, words in _SEVEN.items()}
_TOKEN = re.compile(r"[^\W_]+")


def stopwords_7(text: str) -> str | None:
    words = [w.casefold() for w in _TOKEN.findall(text[:5000])]
    alphabetic = [w for w in words if w.isalpha()]
    if len(alphabetic) < 8:
        return None
    counts = Counter(alphabetic)
    shares = {
        code: sum(n for w, n in counts.items() if w in stops) / len(alphabetic)
        for code, stops in _SEVEN_SETS.items()
    }
    best = max(shares, key=lambda code: shares[code])
    return best if shares[best] >= 0.12 else None


def py3langid_detector() -> Detector | None:
    try:
        import py3langid
    except ImportError:
        return None

    def run(text: str) -> str | None:
        if not text.strip():
            return None
        return str(py3langid.classify(text[:5000])[0])

    return run


def newsdesk_detector() -> Detector | None:
    try:
        from newsdesk.text.language import detect_language
    except ImportError:  # before issue 11
        return None
    return detect_language


# --- data ------------------------------------------------------------------------------------


def dev_pages(limit: int | None) -> tuple[Labelled, Labelled, Labelled]:
    """(texts, first 30 words, titles) of the development pages that declare a language."""
    from lxml.html import fromstring

    from newsdesk.domain import ExtractionError
    from newsdesk.extract import ExtractOptions, extract_article
    from newsdesk.extract.language import declared_language

    dev = extraction_dev_set()
    annotations = json.loads((dev / "annotations.json").read_text(encoding="utf-8"))
    options = ExtractOptions()
    texts: Labelled = []
    heads: Labelled = []
    titles: Labelled = []
    for url, item in list(annotations.items())[:limit]:
        raw = gzip.decompress((dev / "pages" / item["file"]).read_bytes())
        try:
            language = declared_language(fromstring(raw))
            article = extract_article(raw, url=url, options=options)
        except (ExtractionError, ValueError):
            continue
        if language is None or not article.text.strip():
            continue
        texts.append((article.text, language))
        heads.append((" ".join(article.text.split()[:30]), language))
        if article.title:
            titles.append((article.title, language))
    return texts, heads, titles


def english_corpora(reuters: int) -> tuple[Labelled, Labelled]:
    from datetime import UTC, datetime

    from newsdesk.demo.corpus_loader import load_corpus

    corpus = load_corpus(datetime(2026, 1, 1, tzinfo=UTC))
    demo = [("\n\n".join(a.paragraphs), "en") for a in corpus.articles]
    stories: Labelled = []
    with gzip.open(reuters_corpus(), "rt", encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            if doc.get("body"):
                stories.append((doc["body"], "en"))
            if len(stories) >= reuters:
                break
    return demo, stories


# --- measuring -------------------------------------------------------------------------------


def measure(detector: Detector, data: Sequence[tuple[str, str]], repeat: int) -> str:
    answers = [detector(text) for text, _ in data]
    correct = sum(a == truth for a, (_, truth) in zip(answers, data, strict=True))
    unanswered = sum(a is None for a in answers)
    wrong = len(data) - correct - unanswered
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text, _ in data:
            detector(text)
        times.append((time.perf_counter() - start) / max(1, len(data)))
    n = max(1, len(data))
    return (
        f"correct {correct / n:6.1%}  wrong {wrong / n:6.1%}  none {unanswered / n:6.1%}  "
        f"{statistics.median(times) * 1e3:7.3f} ms/text"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N development pages")
    parser.add_argument("--reuters", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    detectors: dict[str, Detector] = {"stopwords-32": stopwords_32, "stopwords-7": stopwords_7}
    current = newsdesk_detector()
    if current is not None:
        detectors = {"newsdesk": current, **detectors}
    langid = py3langid_detector()
    if langid is not None:
        start = time.perf_counter()
        langid("warm up the model")
        print(f"py3langid model load: {time.perf_counter() - start:.2f} s")
        detectors["py3langid"] = langid
    texts, heads, titles = dev_pages(args.limit)
    demo, reuters = english_corpora(args.reuters)
    print(f"uptime: {os.getloadavg()[0]:.2f} (1-minute load average)")
    print("declared languages:", dict(Counter(lang for _, lang in texts).most_common()))
    for name, data in (
        (f"dev pages, whole text ({len(texts)})", texts),
        (f"dev pages, first 30 words ({len(heads)})", heads),
        (f"dev pages, titles ({len(titles)})", titles),
        (f"demo corpus ({len(demo)}, en)", demo),
        (f"reuters ({len(reuters)}, en)", reuters),
    ):
        print(f"== {name}")
        for label, detector in detectors.items():
            print(f"  {label:13s} {measure(detector, data, args.repeat)}")


if __name__ == "__main__":
    run_benchmark(main)
