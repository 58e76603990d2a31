"""The sentence splitter on long single-line texts: time on 1 MB against 100 KB of the same
text, measured in the same run. A linear splitter shows a ratio near 10; the search back to
the start of the text for the word before each full stop (fixed in session 11) made it grow
with the square of the length, and so would a quotation scan that compared each quote mark
with every one still open.

Inputs: plain English sentences; sentences with quotations in English, German and French
marks (some never closed); a soup of quote marks only; tab-separated "a. A." pairs (no space
to find the word before the stop by).

    nice -n 10 .venv/bin/python benchmarks/sentences.py [--runs N]

Prints the median seconds per size over N runs (default 3), their ratio and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from newsdesk.text.sentences import sentence_spans

INPUTS = {
    "plain": "The market grew again this year. ",
    "quotations": (
        "He said „no. Never.“ Then he left. « Oui. Non », dit-il. "
        '"Yes. Then," he said. It’s fine. They said “go. Now. '
    ),
    "quote marks": '„“«»‘’‚"',
    "tabs": "a.\tA.\t",
}
SIZES = (100_000, 1_000_000)


def median_seconds(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sentence_spans(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    print(f"{'input':<12} {'100 KB s':>9} {'1 MB s':>9} {'ratio':>6}")
    for name, unit in INPUTS.items():
        small, large = (median_seconds(unit * (size // len(unit)), runs) for size in SIZES)
        print(f"{name:<12} {small:>9.3f} {large:>9.3f} {large / small:>6.1f}")
    print(f"uptime: {os.getloadavg()[0]:.2f} (1-minute load average)")


if __name__ == "__main__":
    main()
