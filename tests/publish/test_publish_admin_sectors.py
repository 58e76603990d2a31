"""The admin sector-correction page: auth, CSRF, what a correction does, its use in training."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsdesk.bootstrap import enrich_articles
from newsdesk.cli.app import app as cli_app
from newsdesk.config import Settings
from newsdesk.store import SqlStore
from site_fixtures import ADMIN_AUTH

ADMIN = ADMIN_AUTH
Demo = tuple[TestClient, SqlStore, Settings]


def _article_id(store: SqlStore) -> int:
    """A demo article with at least one automatic label."""
    articles = [a.id for a in store.list_articles() if a.id is not None]
    labelled = store.article_sectors(articles)
    return next(a for a in articles if labelled[a])


def _token(client: TestClient, article_id: int) -> str:
    page = client.get(f"/admin/articles/{article_id}/sectors", auth=ADMIN)
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _post(client: TestClient, article_id: int, data: dict[str, object]) -> object:
    return client.post(
        f"/admin/articles/{article_id}/sectors", data=data, auth=ADMIN, follow_redirects=False
    )


def test_page_shows_every_sector_and_the_current_labels(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    article_id = _article_id(store)
    page = client.get(f"/admin/articles/{article_id}/sectors", auth=ADMIN)
    assert page.status_code == 200
    boxes = re.findall(r'type="checkbox" name="sector" value="([^"]+)"', page.text)
    assert len(boxes) == 9 and "oil-gas" in boxes
    enrichment = store.get_enrichment(article_id)
    assert enrichment is not None
    best = max(enrichment.sectors, key=lambda label: label.score)
    assert f"{best.score:.2f}" in page.text
    if best.explanation:
        assert best.explanation.split(";")[0].replace("&", "&amp;") in page.text
    checked = re.findall(r'value="([^"]+)" checked', page.text)
    assert set(checked) == {s.sector_id for s in store.article_sectors([article_id])[article_id]}


def test_admin_login_is_required(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    article_id = _article_id(store)
    before = store.article_sectors([article_id])
    assert client.get(f"/admin/articles/{article_id}/sectors").status_code == 401
    wrong = client.get(f"/admin/articles/{article_id}/sectors", auth=("admin", "nope"))
    assert wrong.status_code == 401
    token = _token(client, article_id)
    anonymous = client.post(
        f"/admin/articles/{article_id}/sectors",
        data={"csrf_token": token, "sector": ["oil-gas"], "action": "save"},
        follow_redirects=False,
    )
    assert anonymous.status_code == 401
    assert store.article_sectors([article_id]) == before


@pytest.mark.parametrize("token", [None, "forged", "other-article"])
def test_missing_or_forged_csrf_token_is_refused(writable_demo: Demo, token: str | None) -> None:
    client, store, _ = writable_demo
    article_id = _article_id(store)
    before = store.article_sectors([article_id])
    data: dict[str, object] = {"sector": ["oil-gas"], "action": "save"}
    if token == "other-article":
        other = next(a.id for a in store.list_articles() if a.id not in (None, article_id))
        assert other is not None
        data["csrf_token"] = _token(client, other)
    elif token is not None:
        data["csrf_token"] = _token(client, article_id)[:-4] + "AAAA"
    response = _post(client, article_id, data)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert store.article_sectors([article_id]) == before
    assert store.editor_corrections() == {}


def test_correction_redirects_and_survives_enrich_all(writable_demo: Demo) -> None:
    client, store, settings = writable_demo
    article_id = _article_id(store)
    chosen = ["aerospace-defense", "ai-semiconductors"]
    response = _post(
        client,
        article_id,
        {"csrf_token": _token(client, article_id), "sector": chosen, "action": "save"},
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == f"/articles/{article_id}"  # type: ignore[attr-defined]
    assert [s.sector_id for s in store.article_sectors([article_id])[article_id]] == chosen

    all_ids = [a.id for a in store.list_articles() if a.id is not None]
    summary = enrich_articles(store, settings, all_ids)
    assert summary.articles == len(all_ids) and summary.failed == 0
    labels = store.article_sectors([article_id])[article_id]
    assert [(s.sector_id, s.by_editor) for s in labels] == [(s, True) for s in chosen]

    page = client.get(f"/admin/articles/{article_id}/sectors", auth=ADMIN)
    assert set(re.findall(r'value="([^"]+)" checked', page.text)) == set(chosen)


def test_no_sector_unknown_sector_and_withdraw(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    article_id = _article_id(store)
    automatic = store.article_sectors([article_id])[article_id]
    none = _post(client, article_id, {"csrf_token": _token(client, article_id), "action": "save"})
    assert none.status_code == 303  # type: ignore[attr-defined]
    assert store.article_sectors([article_id])[article_id] == []
    assert store.editor_corrections() == {article_id: ()}

    bad = _post(
        client,
        article_id,
        {"csrf_token": _token(client, article_id), "sector": ["shipping"], "action": "save"},
    )
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert store.editor_corrections() == {article_id: ()}

    back = _post(
        client, article_id, {"csrf_token": _token(client, article_id), "action": "withdraw"}
    )
    assert back.status_code == 303  # type: ignore[attr-defined]
    assert store.article_sectors([article_id])[article_id] == automatic
    assert store.editor_corrections() == {}
    assert client.get("/admin/articles/999999/sectors", auth=ADMIN).status_code == 404


def test_site_correction_is_exported_and_feeds_training(
    writable_demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, store, settings = writable_demo
    article_id = _article_id(store)
    _post(
        client,
        article_id,
        {"csrf_token": _token(client, article_id), "sector": ["evs-battery-tech"]},
    )
    for key in list(os.environ):
        if key.startswith("NEWSDESK_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(settings.store.data_dir))
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "WARNING")
    runner = CliRunner()

    exported = runner.invoke(cli_app, ["sectors", "corrections"], catch_exceptions=False)
    assert exported.exit_code == 0, exported.output
    (line,) = [json.loads(row) for row in exported.stdout.splitlines()]
    article = store.get_article(article_id)
    assert article is not None
    assert line == {
        "id": article.canonical_url,
        "title": article.title,
        "text": article.text,
        "sectors": ["evs-battery-tech"],
    }

    labels = tmp_path / "labels.jsonl"
    rows = [
        {"id": f"o{n}", "title": f"Crude oil {n}", "text": "crude oil barrels", "sectors": []}
        for n in range(12)
    ] + [
        {
            "id": f"b{n}",
            "title": f"Battery plant {n}",
            "text": "lithium-ion battery cells for electric vehicles",
            "sectors": ["evs-battery-tech"],
        }
        for n in range(9)  # one short of the ten positives a sector needs to be trained
    ]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    model = tmp_path / "model"
    trained = runner.invoke(
        cli_app,
        ["sectors", "train", "--labels", str(labels), "--out", str(model), "--with-corrections"],
        catch_exceptions=False,
    )
    assert trained.exit_code == 0, trained.output
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    assert meta["labels"] == ["evs-battery-tech"] and meta["examples"] == 22
