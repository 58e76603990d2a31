"""The house analysis editor: write a piece in Markdown, preview it, save it (stored under the
site's own source, enriched, gated by its visibility and break), edit it again; hostile
Markdown renders inert; CSRF, auth and size are enforced."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.domain.access import Visibility
from newsdesk.domain.house import HOUSE_SOURCE_URL
from newsdesk.sources.house import MAX_PIECE_BYTES
from newsdesk.store import SqlStore
from site_fixtures import ADMIN_AUTH
from site_viewers import as_viewer, use_test_viewers

ADMIN = ADMIN_AUTH
Demo = tuple[TestClient, SqlStore, Settings]
BODY = """Japan and Namibia agreed to explore for rare earths together, through JOGMEC.

The deal was signed with the state miner Epangelo in Windhoek.

<!-- more -->

Zyxwv Mining will invest $321.09 million in a rare earths refinery near Oshakati.
"""


def token(client: TestClient, path: str = "/admin/analysis/new") -> str:
    page = client.get(path, auth=ADMIN)
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def form(**changes: object) -> dict[str, object]:
    return {
        "title": "The refinery question",
        "authors": "A. Analyst, B. Writer",
        "sector": ["rare-earths-commodities"],
        "visibility": "pro",
        "published": "",
        "body": BODY,
        "action": "save",
        **changes,
    }


def post(client: TestClient, data: dict[str, object], path: str = "/admin/analysis") -> object:
    return client.post(path, data=data, auth=ADMIN, follow_redirects=False)


def test_write_preview_save_and_read_a_pro_piece(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    use_test_viewers(client.app)
    csrf = token(client)
    preview = post(client, form(csrf_token=csrf, action="preview"))
    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert "The break comes after paragraph 2 of 3." in preview.text  # type: ignore[attr-defined]
    assert store.count_articles() == 64  # a preview stores nothing
    saved = post(client, form(csrf_token=csrf))
    assert saved.status_code == 303  # type: ignore[attr-defined]
    article_id = int(saved.headers["location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]
    article = store.get_article(article_id)
    assert article is not None and article.visibility is Visibility.PRO
    assert article.preview_paragraphs == 2 and article.authors == ("A. Analyst", "B. Writer")
    source = store.get_source_by_url(HOUSE_SOURCE_URL)
    assert source is not None and article.source_id == source.id
    enrichment = store.get_enrichment(article_id)
    assert enrichment is not None and enrichment.entities  # enriched on save
    anonymous = client.get(f"/articles/{article_id}").text
    assert "Epangelo" in anonymous and "321.09" not in anonymous and 'class="paywall"' in anonymous
    assert "321.09" in client.get(f"/articles/{article_id}", headers=as_viewer("pro")).text
    listing = client.get("/admin/analysis", auth=ADMIN).text
    assert f'href="/admin/analysis/{article_id}"' in listing


def test_an_edit_updates_the_same_piece(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    saved = post(client, form(csrf_token=token(client)))
    article_id = int(saved.headers["location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]
    path = f"/admin/analysis/{article_id}"
    page = client.get(path, auth=ADMIN).text
    assert "Zyxwv Mining will invest" in page and 'value="pro" selected' in page
    edited = post(
        client,
        form(csrf_token=token(client, path), visibility="members", body=BODY + "\nMore.\n"),
        path,
    )
    assert edited.status_code == 303  # type: ignore[attr-defined]
    assert edited.headers["location"] == f"/articles/{article_id}"  # type: ignore[attr-defined]
    article = store.get_article(article_id)
    assert article is not None and article.visibility is Visibility.MEMBERS
    assert article.text.endswith("More.")
    # a token issued for the new-piece form cannot save over this piece
    refused = post(client, form(csrf_token=token(client)), path)
    assert refused.status_code == 403  # type: ignore[attr-defined]


def test_hostile_markdown_is_shown_as_text(writable_demo: Demo) -> None:
    client, _, _ = writable_demo
    hostile = (
        "Intro [click](javascript:alert(1)) ![x](javascript:alert(2))\n\n"
        "<script>alert(3)</script>\n\n<img src=x onerror=alert(4)>\n\n"
        '<a href="javascript:alert(5)">raw</a>\n'
    )
    page = post(client, form(csrf_token=token(client), action="preview", body=hostile))
    html = page.text.split('id="preview-heading"', 1)[1]  # type: ignore[attr-defined]
    assert "<script" not in html and "<img" not in html and '<a href="javascript' not in html
    assert "&lt;script&gt;" in html
    tags = r'<(a|img)\b[^>]*(href|src)="\s*javascript:'
    assert not re.search(tags, page.text, re.IGNORECASE)  # type: ignore[attr-defined]


def test_bad_input_is_refused_clearly(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    csrf = token(client)
    assert post(client, form()).status_code == 403  # type: ignore[attr-defined]
    assert post(client, form(csrf_token="abc.%C3%A9")).status_code == 403  # type: ignore[attr-defined]
    huge = post(client, form(csrf_token=csrf, body="x" * (MAX_PIECE_BYTES + 1)))
    # refused by the form parser (400) or by the editor's own cap (413), never stored
    assert huge.status_code in {400, 413}  # type: ignore[attr-defined]
    unknown = post(client, form(csrf_token=csrf, sector=["nope"]))
    assert unknown.status_code == 422 and "unknown sectors: nope" in unknown.text  # type: ignore[attr-defined]
    untitled = post(client, form(csrf_token=csrf, title=""))
    assert untitled.status_code == 422 and "a title is required" in untitled.text  # type: ignore[attr-defined]
    bad_day = post(client, form(csrf_token=csrf, published="31/12/2026"))
    assert bad_day.status_code == 422 and "published must be a date" in bad_day.text  # type: ignore[attr-defined]
    past_end = post(client, form(csrf_token=csrf, published="9999-12-31T23:59:59-12:00"))
    assert past_end.status_code == 422 and "outside the calendar" in past_end.text  # type: ignore[attr-defined]
    bad_action = post(client, form(csrf_token=csrf, action="publish"))
    assert bad_action.status_code == 422  # type: ignore[attr-defined]
    assert store.count_articles() == 64
    assert client.get("/admin/analysis").status_code == 401
    assert client.get("/admin/analysis/1", auth=ADMIN).status_code == 404  # not a house piece
    assert client.post("/admin/analysis/999", data=form(), auth=ADMIN).status_code == 404


def test_a_date_only_piece_shows_its_date_and_no_midnight(writable_demo: Demo) -> None:
    client, store, _ = writable_demo
    saved = post(
        client, form(csrf_token=token(client), visibility="public", published="2026-12-01")
    )
    article_id = int(saved.headers["location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]
    article = store.get_article(article_id)
    assert article is not None and article.published is not None
    page = client.get(f"/articles/{article_id}").text
    # a date nobody gave a time: no "00:00 UTC" (site.js made it "12:00 AM"), a bare date
    assert '<time datetime="2026-12-01" data-style="date">1 Dec 2026</time>' in page
    assert "00:00" not in page
    assert '"datePublished": "2026-12-01"' in page or '"datePublished":"2026-12-01"' in page
    # the API keeps its date-time contract
    api = client.get(f"/api/v1/articles/{article_id}").json()
    assert api["published"] == "2026-12-01T00:00:00Z"


TABLED = """Japan and Namibia agreed to explore for rare earths together, through JOGMEC.

| Refinery | Tonnes a year |
|---|---|
| Quokkaridge | 4242.5 |
| Wombatvale | 1717.25 |

The deal was signed with the state miner Epangelo in Windhoek.

    Vortigern-Lattice 6021

<!-- more -->

| Buyer | Share |
|---|---|
| Kestrelgate | 93.75 |
"""
CELLS = ("Quokkaridge", "4242.5", "Wombatvale", "1717.25", "Tonnes a year", "Kestrelgate", "93.75")


def test_a_preview_never_shows_a_tables_cells_and_says_where_the_table_is(
    writable_demo: Demo,
) -> None:
    """The preview is made of plain-text paragraphs: a table before the break was shown as one
    paragraph per cell ("Quokkaridge", "4242.5", ...), free to read in a Pro piece's preview."""
    client, store, _ = writable_demo
    use_test_viewers(client.app)
    csrf = token(client)
    saved = post(client, form(csrf_token=csrf, body=TABLED))
    assert saved.status_code == 303  # type: ignore[attr-defined]
    article_id = int(saved.headers["location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]
    for surface in (f"/articles/{article_id}", f"/api/v1/articles/{article_id}"):
        anonymous = client.get(surface).text
        assert "Epangelo" in anonymous, surface  # the preview's prose is there
        assert not [cell for cell in CELLS if cell in anonymous], surface
        assert "Vortigern-Lattice" not in anonymous, surface
    page = client.get(f"/articles/{article_id}").text
    assert "<p>[Table in the full analysis]</p>" in page
    assert "<p>[Code in the full analysis]</p>" in page
    pro = client.get(f"/articles/{article_id}", headers=as_viewer("pro")).text
    assert all(cell in pro for cell in CELLS) and "<td>Quokkaridge</td>" in pro
    assert "[Table in the full analysis]" not in pro  # a full reader gets the table itself
    article = store.get_article(article_id)
    # prose, the table's line, prose, the code block's line: the break counts these four
    assert article is not None and article.preview_paragraphs == 4


def test_a_tables_words_are_searched_and_enriched_for_those_who_may_read_them(
    writable_demo: Demo,
) -> None:
    """The text held "[Table in the full analysis]" alone where a table was: a word found only
    in a table was not searchable, an entity named only there was not found, and a full
    reader's search snippet showed the placeholder where the rows belong."""
    client, store, _ = writable_demo
    use_test_viewers(client.app)
    body = TABLED.replace("| Kestrelgate | 93.75 |", "| Kestrelgate for Glencore | 93.75 |")
    saved = post(client, form(csrf_token=token(client), body=body))
    assert saved.status_code == 303  # type: ignore[attr-defined]
    article_id = int(saved.headers["location"].rsplit("/", 1)[1])  # type: ignore[attr-defined]
    article = store.get_article(article_id)
    assert article is not None and article.preview_paragraphs == 4
    assert "Quokkaridge | 4242.5" in article.text
    assert "Kestrelgate for Glencore | 93.75" in article.text
    assert "Vortigern-Lattice 6021" in article.text
    for word in ("Quokkaridge", "Kestrelgate", "Vortigern"):
        found = client.get("/api/v1/search", params={"q": word}, headers=as_viewer("pro")).json()
        assert [hit["id"] for hit in found["items"]] == [article_id], word
        nothing = client.get("/api/v1/search", params={"q": word}).json()
        assert nothing["items"] == [], word
    [glencore] = [
        e for e in store.list_entities(article_id=article_id) if e.entity.name == "Glencore"
    ]
    path = f"/api/v1/articles/{article_id}"

    def named(**headers: str) -> set[str]:
        return {e["id"] for e in client.get(path, headers=headers).json()["entities"]}

    assert glencore.entity.id in named(**as_viewer("pro"))
    assert glencore.entity.id not in named()  # named only past the preview
    for surface in (f"/articles/{article_id}", f"/api/v1/articles/{article_id}"):
        anonymous = client.get(surface).text
        assert not [cell for cell in CELLS if cell in anonymous], surface
        assert "Glencore" not in anonymous and "Vortigern" not in anonymous, surface
