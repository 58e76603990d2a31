"""On a clone without ../shared or Chromium the tests that need them skip, saying what is
missing; under CI's switches the same skip is a failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PROBE = """
from research_data import require_browser, reuters_corpus, seed_page


def test_needs_the_seed_page():
    seed_page()


def test_needs_reuters():
    reuters_corpus()


def test_needs_the_browser():
    require_browser()
"""


def _run(tmp_path: Path, **switches: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_TEST_REQUIRE")}
    env |= {
        "PYTHONPATH": str(TESTS),
        "NEWSDESK_SHARED_DIR": str(tmp_path / "no-shared"),
        "NEWSDESK_TEST_CHROMIUM": str(tmp_path / "no-chromium"),
        **switches,
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_data_and_browser_skip_with_the_reason(tmp_path: Path) -> None:
    run = _run(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 skipped" in run.stdout
    assert f"{tmp_path / 'no-shared' / 'seed' / 'insights-page.txt'}" in run.stdout
    assert "reuters21578.jsonl.gz" in run.stdout
    assert "no-chromium is missing" in run.stdout and "apt-get install chromium" in run.stdout


def test_under_the_strict_switches_a_skip_is_a_failure(tmp_path: Path) -> None:
    run = _run(tmp_path, NEWSDESK_TEST_REQUIRE_SHARED="1", NEWSDESK_TEST_REQUIRE_BROWSER="1")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "3 failed" in run.stdout


def test_ci_turns_both_switches_on() -> None:
    ci = (TESTS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "export NEWSDESK_TEST_REQUIRE_SHARED=1" in ci
    assert "export NEWSDESK_TEST_REQUIRE_BROWSER=1" in ci
