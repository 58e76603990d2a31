"""GET /facts.csv: the tracker's rows as CSV, filters applied, formula injection neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.domain.enrichment import Enrichment, EntityRecord, FactRecord, MentionRecord
from newsdesk.domain.models import Article
from newsdesk.publish.web.routes.facts import CSV_COLUMNS, neutralise
from newsdesk.store import SqlStore
from site_viewers import as_viewer, use_test_viewers


def parse(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_is_an_attachment_with_a_header(demo_client: TestClient) -> None:
    use_test_viewers(demo_client.app)
    response = demo_client.get("/facts.csv", headers=as_viewer("pro"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="facts.csv"' in response.headers["content-disposition"]
    assert response.text.splitlines()[0] == ",".join(f'"{c}"' for c in CSV_COLUMNS)
    assert len(parse(response.text)) > 5


def test_csv_rows_follow_the_filters(demo_client: TestClient) -> None:
    use_test_viewers(demo_client.app)
    pro = as_viewer("pro")
    params = {"type": "quantity", "commodity": "commodity:lithium"}
    exported = parse(demo_client.get("/facts.csv", params=params, headers=pro).text)
    api = demo_client.get("/api/v1/facts", params={**params, "limit": "100"}, headers=pro).json()[
        "items"
    ]
    assert exported and [row["key"] for row in exported] == [item["key"] for item in api]
    assert {row["type"] for row in exported} == {"quantity"}
    assert all("lithium" in row["entities"].lower() for row in exported)
    assert demo_client.get("/facts.csv", params={"type": "nope"}, headers=pro).status_code == 400


def test_csv_export_is_pro(demo_client: TestClient) -> None:
    use_test_viewers(demo_client.app)
    for name in ("anonymous", "free", "expired pro", "removed seat", "free key"):
        response = demo_client.get("/facts.csv", headers=as_viewer(name))
        assert response.status_code == 403, name
        assert "/pro" in response.text and "text/csv" not in response.headers["content-type"]
    for name in ("pro", "team seat", "pro key"):
        assert demo_client.get("/facts.csv", headers=as_viewer(name)).status_code == 200, name
    assert 'href="/facts.csv?' not in demo_client.get("/facts").text
    # The last day there is: no overflow for a reader who gets past the gate.
    far = demo_client.get("/facts.csv?to=9999-12-31", headers=as_viewer("pro key"))
    assert far.status_code == 200 and far.headers["content-type"].startswith("text/csv")


def test_neutralise_prefixes_formula_starts_only() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+cmd") == "'+cmd"
    assert neutralise("-2") == "'-2"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=x") == "'\t'=x"
    assert neutralise("copper = metal") == "copper = metal"
    assert neutralise("a-b+c@d") == "a-b+c@d"
    assert neutralise(42) == "42"
    assert neutralise(None) == ""


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("x;=1+1", "x;'=1+1"),
        ("x; =1+1", "x; '=1+1"),
        ("a,+b", "a,'+b"),
        ("a|@SUM(1)", "a|'@SUM(1)"),
        ("a\t-2", "a\t'-2"),
        ("line\n=cmd", "line\n'=cmd"),
        ("Chile; Peru", "Chile; Peru"),
    ],
)
def test_formula_characters_after_any_separator_are_neutralised(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_every_field_is_quoted_so_no_separator_splits_a_cell() -> None:
    from datetime import UTC, datetime

    from newsdesk.domain.insights import FactRow
    from newsdesk.publish.web.routes.facts import facts_as_csv

    row = FactRow(
        key="k;1",
        type="policy",
        data={"what": "x;=1+1"},
        sentence="Ban; =HYPERLINK(1), said x",
        reported=datetime(2026, 1, 2, tzinfo=UTC),
        article_id=7,
        article_title="T, t",
        sources=2,
    )
    body = facts_as_csv([row], {}, "https://insights.example")
    data_line = body.splitlines()[1]
    cells = next(csv.reader([data_line]))
    assert data_line.startswith('"') and data_line.count('","') == len(CSV_COLUMNS) - 1
    assert cells[0] == "k;1" and cells[6] == "7" and cells[9] == "2"
    assert cells[4] == "Ban; '=HYPERLINK(1), said x"
    # Split on ';' as some spreadsheets do: no piece starts a formula.
    for piece in data_line.split(";"):
        assert not piece.strip().strip('"').startswith(("=", "+", "-", "@"))


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
    use_test_viewers(client.app)
    exported = parse(
        client.get("/facts.csv", params={"party": "org:at-evil"}, headers=as_viewer("pro")).text
    )
    assert len(exported) == 1
    row = exported[0]
    assert row["article_title"] == '\'=HYPERLINK("https://evil.example","click")'
    assert row["sentence"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["summary"].startswith("'+cmd")
    assert row["entities"] == "'@SUM(1+1)"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row.values())
