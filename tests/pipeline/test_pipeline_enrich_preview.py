"""Enrichment records where each derived item comes from, so previews can leave out what
comes after a piece's break: the paragraph of every mention and fact, the last paragraph the
summary draws on, and a lead summary of the first paragraph alone."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.domain.models import Article
from newsdesk.domain.preview import TITLE_PARAGRAPH
from newsdesk.enrich import SummaryOptions
from newsdesk.pipeline.enrich import Enricher, EnrichOptions, lead_summary, summary_reach
from newsdesk.store import SqlStore

NOW = datetime(2026, 12, 1, tzinfo=UTC)
TEXT = (
    "Japan and Namibia agreed to explore for rare earths together.\n\n"
    "The deal was signed by JOGMEC and the state miner Epangelo in Windhoek.\n\n"
    "Quillfeather Resources Ltd will invest $987.65 million in the Oshakati refinery."
)


def test_enrichment_records_paragraphs_reach_and_lead(store: SqlStore) -> None:
    saved = store.save_article(
        Article(
            source_id=None,
            url="https://house.example/1",
            canonical_url="https://house.example/1",
            title="Namibia and Japan: the refinery question",
            text=TEXT,
            published=NOW,
            content_hash="p1",
        )
    )
    assert saved.id is not None
    Enricher(store, EnrichOptions(), clock=lambda: NOW).run([saved.id])
    enrichment = store.get_enrichment(saved.id)
    assert enrichment is not None
    paragraphs: dict[tuple[str, str], set[int | None]] = {}
    for m in enrichment.mentions:
        paragraphs.setdefault((m.entity_id, m.field), set()).add(m.paragraph)
    assert paragraphs[("country:NA", "title")] == {TITLE_PARAGRAPH}
    assert paragraphs[("country:NA", "text")] == {0, 1}  # Namibia, then Windhoek
    assert paragraphs[("org:quillfeather-resources-ltd", "text")] == {2}
    investment = next(f for f in enrichment.facts if f.type == "investment")
    assert investment.paragraph == 2
    # A short text gets a one-sentence summary: the first paragraph's (the leak matrix's
    # world checks a summary that reaches past the break).
    assert enrichment.summary.startswith("Japan and Namibia") and enrichment.summary_reach == 0
    assert enrichment.lead.startswith("Japan and Namibia") and "987.65" not in enrichment.lead


def test_summary_reach_is_none_when_a_sentence_cannot_be_placed() -> None:
    text = "First paragraph here.\n\n<b></b>\n\nSecret sentence stays."
    assert summary_reach(text, ["First paragraph here."]) == 0
    # a markup-only line still counts as a paragraph: the secret is the third, as shown
    assert summary_reach(text, ["Secret sentence stays."]) == 2
    assert summary_reach(text, ["Secret sentence…"]) == 2
    assert summary_reach(text, ["Nowhere in the text."]) is None
    assert summary_reach(text, []) is None
    assert lead_summary("T", "", SummaryOptions()) == ""
