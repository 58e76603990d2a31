"""GET /facts.csv: the tracker's rows as CSV, filters applied, formula injection neutralised."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.domain.enrichment import Enrichment, EntityRecord, FactRecord, MentionRecord
from newsdesk.domain.models import Article
from newsdesk.publish.web.routes.facts import CSV_COLUMNS, neutralise
from newsdesk.store import SqlStore


def parse(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_is_an_attachment_with_a_header(demo_client: TestClient) -> None:
    response = demo_client.get("/facts.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="facts.csv"' in response.headers["content-disposition"]
    assert response.text.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert len(parse(response.text)) > 5


def test_csv_rows_follow_the_filters(demo_client: TestClient) -> None:
    params = {"type": "quantity", "commodity": "commodity:lithium"}
    exported = parse(demo_client.get("/facts.csv", params=params).text)
    api = demo_client.get("/api/v1/facts", params={**params, "limit": "100"}).json()["items"]
    assert exported and [row["key"] for row in exported] == [item["key"] for item in api]
    assert {row["type"] for row in exported} == {"quantity"}
    assert all("lithium" in row["entities"].lower() for row in exported)
    assert demo_client.get("/facts.csv", params={"type": "nope"}).status_code == 400


def test_neutralise_prefixes_formula_starts_only() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+cmd") == "'+cmd"
    assert neutralise("-2") == "'-2"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=x") == "'\t=x"
    assert neutralise("copper = metal") == "copper = metal"
    assert neutralise(42) == "42"
    assert neutralise(None) == ""


def test_formula_cells_from_feeds_are_neutralised(
    writable_demo: tuple[TestClient, SqlStore, Settings],
) -> None:
    client, store, _ = writable_demo
    article = store.save_article(
        Article(
            source_id=None,
            url="https://evil.example/csv",
            canonical_url="https://evil.example/csv",
            title='=HYPERLINK("https://evil.example","click")',
            text="x",
            content_hash="csv-evil",
        )
    )
    assert article.id is not None
    store.save_enrichment(
        Enrichment(
            article_id=article.id,
            version="test",
            entities=(EntityRecord("org:at-evil", "@SUM(1+1)", "organisation"),),
            mentions=(MentionRecord("org:at-evil", "x", 0, 1),),
            facts=(
                FactRecord(
                    "agreement:csv-evil",
                    "agreement",
                    {"parties": ["org:at-evil"], "kind": "+cmd|' /C calc'!A0"},
                    "-2+3+cmd|' /C calc'!A0",
                ),
            ),
        )
    )
    exported = parse(client.get("/facts.csv", params={"party": "org:at-evil"}).text)
    assert len(exported) == 1
    row = exported[0]
    assert row["article_title"] == '\'=HYPERLINK("https://evil.example","click")'
    assert row["sentence"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["summary"].startswith("'+cmd")
    assert row["entities"] == "'@SUM(1+1)"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row.values())
