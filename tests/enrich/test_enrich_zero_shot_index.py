"""The event-pattern index of the zero-shot cue table: the same patterns, in the same order,
as testing every pattern's triggers (enrich/sectors/zero_shot.py)."""

from __future__ import annotations

from newsdesk.enrich import load_taxonomy
from newsdesk.enrich.sectors.zero_shot import _cue_table


def test_every_trigger_word_lists_its_patterns_in_table_order() -> None:
    taxonomy = load_taxonomy(None)
    for language in (None, "en", "de"):
        table = _cue_table(taxonomy, language)
        assert set(table.by_trigger) == set(table.triggers)
        for word, indexes in table.by_trigger.items():
            assert list(indexes) == sorted(set(indexes))
            expected = [i for i, p in enumerate(table.patterns) if word in p.triggers]
            assert list(indexes) == expected


def test_padded_phrases_are_the_phrases_between_spaces() -> None:
    table = _cue_table(load_taxonomy(None), "en")
    groups = [group for pattern in table.patterns for group in pattern.groups]
    assert any(group.phrases for group in groups)
    for group in groups:
        assert group.padded == tuple(f" {phrase} " for phrase in group.phrases)
