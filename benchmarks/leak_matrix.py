"""How many surface × viewer checks the leak matrix makes, and how many leaks it found.

    .venv/bin/python benchmarks/leak_matrix.py

Runs tests/publish/test_publish_leak_matrix.py (the site, its API, feeds, sitemaps, exports,
error pages and the digest, each against every kind of viewer, signed in as real members)
with NEWSDESK_LEAK_MATRIX_REPORT set, and adds up what each surface reported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/publish/test_publish_leak_matrix.py"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "leak-matrix.jsonl"
        environment = {**os.environ, "NEWSDESK_LEAK_MATRIX_REPORT": str(report)}
        finished = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
            cwd=ROOT,
            env=environment,
            check=False,
        )
        rows = (
            [json.loads(line) for line in report.read_text().splitlines()]
            if report.exists()
            else []
        )
    checks = sum(row["viewers"] for row in rows)
    leaks = sum(row["leaks"] for row in rows)
    print(f"\n{len(rows)} surfaces, {checks} surface × viewer checks, {leaks} leaks or problems")
    for row in rows:
        print(f"  {row['surface']:<40}{row['viewers']:>3} viewers  {row['leaks']} problems")
    sys.exit(finished.returncode or (1 if leaks else 0))


if __name__ == "__main__":
    main()
