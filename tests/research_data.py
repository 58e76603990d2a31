"""Research data (../shared) and the browser for tests: found in one place, skipped with a
reason when absent, and a failure instead of a skip where the machine must have them (CI).

A user's clone has no ../shared and may have no Chromium; the tests that need them skip and
the summary (`-ra`) says what is missing. CI sets the switches below so that nothing it is
meant to run can quietly skip.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
BENCHMARKS = REPOSITORY / "benchmarks"
REQUIRE_SHARED_ENV = "NEWSDESK_TEST_REQUIRE_SHARED"
REQUIRE_BROWSER_ENV = "NEWSDESK_TEST_REQUIRE_BROWSER"
CHROMIUM = Path(os.environ.get("NEWSDESK_TEST_CHROMIUM", "/usr/bin/chromium"))


def _switched_on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# Read once, when the session starts: some tests clear NEWSDESK_* variables for what they run.
STRICT = {name: _switched_on(name) for name in (REQUIRE_SHARED_ENV, REQUIRE_BROWSER_ENV)}


def _missing(reason: str, switch: str) -> None:
    """Skip the test, or fail it when switch is set (the machine must have what it needs)."""
    if STRICT[switch]:
        pytest.fail(f"{reason} ({switch} is set, so this is a failure)", pytrace=False)
    pytest.skip(reason)


def _load_locator() -> ModuleType:
    """benchmarks/shared_data.py, registered as `shared_data` so the benchmark modules the
    tests load find the same locator."""
    loaded = sys.modules.get("shared_data")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("shared_data", BENCHMARKS / "shared_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["shared_data"] = module
    spec.loader.exec_module(module)
    return module


LOCATOR = _load_locator()
SHARED_ROOT = Path(LOCATOR.shared_root())


def require_shared(*parts: str) -> Path:
    """The path of parts in the research data; skips (or fails under the switch) if absent."""
    try:
        return Path(LOCATOR.shared_path(*parts, root=SHARED_ROOT))
    except LOCATOR.SharedDataMissingError as missing:
        _missing(str(missing), REQUIRE_SHARED_ENV)
        raise  # unreachable: _missing skips or fails


def seed_page() -> Path:
    return require_shared(*LOCATOR.SEED_PAGE)


def seed_page_text() -> str:
    return seed_page().read_text(encoding="utf-8")


def reuters_corpus() -> Path:
    return require_shared(*LOCATOR.REUTERS)


def extraction_dev_set() -> Path:
    return require_shared(*LOCATOR.EXTRACTION_DEV)


def load_benchmark(name: str) -> ModuleType:
    """benchmarks/<name>.py as a module (it may need research data only when called)."""
    module_name = f"benchmark_{name}"
    loaded = sys.modules.get(module_name)
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def require_browser() -> Path:
    """Debian's Chromium and Playwright; skips (or fails under the switch) if either is absent."""
    if not CHROMIUM.exists():
        _missing(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(`./scripts/test.sh` installs it when run as root or with passwordless sudo; "
            "or `sudo apt-get install chromium`)",
            REQUIRE_BROWSER_ENV,
        )
    if importlib.util.find_spec("playwright") is None:
        _missing(
            "playwright is not installed: `make setup` installs the dev extra",
            REQUIRE_BROWSER_ENV,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The text of the seed insights page (../shared/seed/insights-page.txt)."""
    return seed_page_text()
