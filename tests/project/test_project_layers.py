"""The architecture holds: layers as documented, and the package and CLI stay light to import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_layers_contract_holds() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_architecture_doc_names_every_package() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = [
        p.name
        for p in (ROOT / "src" / "newsdesk").iterdir()
        if p.is_dir() and (p / "__init__.py").exists()
    ]
    assert packages
    for name in packages:
        assert f"newsdesk.{name}" in doc or f"`{name}`" in doc, name


def test_package_and_cli_import_no_heavy_modules() -> None:
    heavy = [
        "trafilatura",
        "httpx",
        "sqlalchemy",
        "lxml",
        "sklearn",
        "feedparser",
        "datasketch",
        "py3langid",
        "stripe",
    ]
    code = (
        "import json, sys, newsdesk, newsdesk.cli.app; "
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_the_taxonomy_loads_without_the_classifiers() -> None:
    # The site and the digest read sector names; scikit-learn costs seconds to import.
    code = (
        "import sys; from newsdesk.enrich.sectors.taxonomy import load_taxonomy; "
        "load_taxonomy(); print('sklearn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_zero_shot_enrichment_runs_without_scikit_learn() -> None:
    # Only a trained sector model needs it: every ingest run would pay ~1 s and ~50 MB.
    code = (
        "import sys; from newsdesk.pipeline.enrich import EnrichOptions, Enricher; "
        "from newsdesk.domain import Article; from newsdesk.enrich import build_tfidf; "
        "enricher = Enricher(None, EnrichOptions()); "
        "article = Article(source_id=None, url='u', canonical_url=None, title='Oil output', "
        "text='Saudi Arabia raised crude oil output by 1 million barrels a day.', id=1); "
        "from newsdesk.pipeline.analysis import Analyser; "  # as a worker process builds it
        "Analyser(enricher._setup(build_tfidf([article.text]))).analyse(article); "
        "print('sklearn' in sys.modules, 'scipy' in sys.modules, bool(enricher.version))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False False True"


def test_a_site_without_stripe_settings_never_imports_stripe(tmp_path) -> None:
    code = (
        "import sys; from newsdesk.config import load_settings; from newsdesk import bootstrap; "
        f"settings = load_settings(data_dir={str(tmp_path)!r}); "
        "bootstrap.build_site(settings, bootstrap.open_store(settings)); "
        "print('stripe' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("NEWSDESK_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
