"""Entity extraction on input that is empty, huge, foreign, marked up or random."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.enrich.entities import EntityOptions, default_gazetteer, extract_entities

OPTIONS = EntityOptions()


def extract(text: str, title: str = "") -> list[tuple[str, str]]:
    result = extract_entities(title, text, gazetteer=default_gazetteer(), options=OPTIONS)
    for m in result.mentions:
        assert (text if m.field == "text" else title)[m.start : m.end] == m.text
    return [(m.entity_id, m.text) for m in result.mentions]


def test_empty_text_and_title_give_nothing() -> None:
    assert extract("") == []
    assert extract("   \n\n  ", title="") == []


def test_a_megabyte_of_text_is_read_up_to_the_cap() -> None:
    # The time for a megabyte is printed by benchmarks/hostile_inputs.py.
    paragraph = "JOGMEC signed a deal with Epangelo in Namibia for rare earths. " * 20 + "\n\n"
    text = paragraph * (1_000_000 // len(paragraph) + 1)
    assert len(text) >= 1_000_000
    result = extract_entities("", text, gazetteer=default_gazetteer(), options=OPTIONS)
    assert max(m.end for m in result.mentions) <= OPTIONS.max_chars
    beyond = text[: OPTIONS.max_chars] + "Glencore mines copper in Chile. " * 30_000
    assert extract_entities("", beyond, gazetteer=default_gazetteer(), options=OPTIONS) == result
    assert {e.id for e in result.entities} == {
        "org:jogmec",
        "org:epangelo",
        "country:NA",
        "commodity:rare-earths",
    }


def test_non_english_text_still_finds_names_and_invents_nothing() -> None:
    found = extract(
        "Die Bundesregierung will Lithium aus Chile kaufen, sagte Minister Robert Habeck."
    )
    assert ("country:CL", "Chile") in found
    assert ("commodity:lithium", "Lithium") in found
    assert ("person:robert-habeck", "Robert Habeck") in found
    assert extract("日本とナミビアはレアアース探査で合意した。") == []


def test_html_remnants_neither_move_offsets_nor_leak_into_names() -> None:
    text = (
        "<p>The <b>Japan Organization for Metals and Energy Security</b> (JOGMEC) &amp; "
        '<a href="/x">Epangelo</a> signed.</p><script>var Lynas = "Rio Tinto";</script>'
    )
    found = extract(text)
    assert ("org:jogmec", "JOGMEC") in found
    assert ("org:epangelo", "Epangelo") in found
    assert not any("Lynas" in t or "Rio" in t or "<" in t for _, t in found)


def test_odd_numbers_and_symbols_do_not_become_entities() -> None:
    assert extract("TWD 160 billion, 74.89 million tons, $5bn and 1,2 Mrd. €.") == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_mentions_whose_offsets_are_exact(text: str) -> None:
    extract(text, title=text[:50])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Japan",
                "Namibia",
                "JOGMEC",
                "(JOGMEC)",
                "Inc.",
                "Mining",
                "the",
                "agency",
                "Mr",
                "said",
                "Minister",
                "for",
                "Lofdal",
                "deposit",
                ",",
                ".",
                "\n",
                "’s",
                "U.S.",
                "OPEC+",
            ]
        ),
        max_size=40,
    )
)
def test_sequences_of_trigger_words_never_break_extraction(words: list[str]) -> None:
    extract(" ".join(words))
