"""The digest email's subject, HTML and plain text: complete, safe and self-contained."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from newsdesk.deliver.digest.render import (
    SUBJECT_MAX,
    DigestRenderer,
    RenderOptions,
    short_summary,
    subject_for,
)
from newsdesk.deliver.digest.selection import CandidateStory, DigestItem

DAY = date(2026, 3, 2)
OPTIONS = RenderOptions(
    base_url="https://insights.example/",
    site_name="Insights",
    sector_names={"mining": "Rare Earths & Commodities", "energy": "Oil & Gas"},
)
SUMMARY = (
    "Japan signed an agreement with Namibia to explore for rare earths. JOGMEC and Epangelo "
    "will work together. Details were not disclosed. Analysts expect more deals. A fifth one."
)


def item(
    story_id: int, title: str, why: str = "In Rare Earths & Commodities · 3 sources"
) -> DigestItem:
    story = CandidateStory(
        story_id=story_id,
        title=title,
        summary=SUMMARY,
        sectors=("mining", "energy"),
        source_count=3,
        entity_ids=frozenset(),
        lead_url="https://pub.example/lead",
        score=1.0,
        last_seen_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    return DigestItem(story, why)


def render(items: list[DigestItem], subscriber: int = 1) -> tuple[str, str, str]:
    rendered = DigestRenderer(OPTIONS).render(
        items,
        day=DAY,
        preferences_url=f"https://insights.example/preferences?token=p{subscriber}",
        unsubscribe_url=f"https://insights.example/unsubscribe?token=u{subscriber}",
    )
    return rendered.subject, rendered.html, rendered.text


def test_subject_names_the_lead_story_and_counts_the_rest() -> None:
    items = [item(1, "Japan–Namibia rare-earths deal"), *(item(n, f"S{n}") for n in range(2, 6))]
    assert subject_for(items) == "Top Insights Today: Japan–Namibia rare-earths deal and 4 more"
    assert subject_for(items[:1]) == "Top Insights Today: Japan–Namibia rare-earths deal"


def test_subject_is_capped_and_stays_one_line_whatever_the_title() -> None:
    long_title = "Rare earths " * 40
    subject = subject_for([item(1, long_title), item(2, "x")])
    assert len(subject) <= SUBJECT_MAX
    assert subject.endswith("… and 1 more")
    hostile = "Deal\r\nBcc: victim@example.com\u2028X-Evil: 1\x00\x85 =?utf-8?q?=0D=0A?=done"
    subject = subject_for([item(1, hostile)])
    assert not re.search(r"[\r\n\x00\x85\u2028]", subject)
    assert subject.startswith("Top Insights Today: Deal Bcc: victim@example.com X-Evil: 1")


def test_html_is_self_contained_with_inline_css_and_no_tracking() -> None:
    _, html, _ = render([item(7, "Lead <script>alert(1)</script> & co"), item(8, "Second")])
    assert "<script>" not in html
    assert "Lead &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<img" not in html and "<link" not in html and "<style" not in html
    assert "url(" not in html and "@import" not in html
    # Every URL in the HTML is a link a reader clicks: the site's stories and the footer.
    assert set(re.findall(r'href="([^"]+)"', html)) == {
        "https://insights.example/stories/7",
        "https://insights.example/stories/8",
        "https://insights.example/preferences?token=p1",
        "https://insights.example/unsubscribe?token=u1",
    }
    assert 'name="viewport"' in html and "max-width:600px" in html
    assert "style=" in html


def test_each_item_has_summary_sectors_sources_link_and_why() -> None:
    _, html, text = render([item(7, "Lead story")])
    for part in (html, text):
        assert "Rare Earths &amp; Commodities, Oil &amp; Gas" in part or (
            "Rare Earths & Commodities, Oil & Gas" in part
        )
        assert "3 sources" in part
        assert "Japan signed an agreement with Namibia to explore for rare earths." in part
        assert "Analysts expect" not in part  # three sentences at most
        assert "https://insights.example/stories/7" in part
    assert "Why you got this: In Rare Earths & Commodities · 3 sources" in text
    assert "Why you got this: In Rare Earths &amp; Commodities · 3 sources" in html


def test_plain_text_has_the_footer_links() -> None:
    _, _, text = render([item(1, "Lead")], subscriber=42)
    assert "Change your preferences: https://insights.example/preferences?token=p42" in text
    assert "Unsubscribe: https://insights.example/unsubscribe?token=u42" in text
    assert "<a " not in text and "</" not in text


def test_story_blocks_are_shared_but_footers_are_per_subscriber() -> None:
    renderer = DigestRenderer(OPTIONS)
    items = [item(1, "Lead"), item(2, "Second")]
    first = renderer.render(items, day=DAY, preferences_url="P1", unsubscribe_url="U1")
    second = renderer.render(items, day=DAY, preferences_url="P2", unsubscribe_url="U2")
    assert first.html.replace("P1", "P2").replace("U1", "U2") == second.html
    assert 'href="U1"' in first.html and 'href="U2"' in second.html


def test_short_summary_keeps_two_or_three_sentences() -> None:
    assert short_summary(SUMMARY) == (
        "Japan signed an agreement with Namibia to explore for rare earths. JOGMEC and "
        "Epangelo will work together. Details were not disclosed."
    )
    assert short_summary("One line\nwith a break.") == "One line with a break."
    assert len(short_summary("word " * 400)) <= 520


def test_the_header_counts_stories_in_plain_english() -> None:
    _, html, text = render([item(1, "Lead"), item(2, "Second")])
    assert "2 stories" in text and "2 stories" in html
    assert "storys" not in text
    _, _, single = render([item(1, "Lead")])
    assert "1 story" in single
