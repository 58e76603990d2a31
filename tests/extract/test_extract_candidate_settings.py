"""The settings of newsdesk's trafilatura passes: read once, copied per page."""

from __future__ import annotations

import pytest
from trafilatura.settings import Extractor

import newsdesk.extract.candidates as candidates_module
from newsdesk.extract.candidates import CandidateName, make_candidate
from newsdesk.extract.page import load_tree

TRAFILATURA_PASSES = [name for name in CandidateName if name is not CandidateName.READABILITY]
PAGE = (
    "<html><head><title>T</title></head><body><nav><a href='/x'>Home</a></nav><article>"
    + "".join(
        f"<p>Paragraph {i} of the story, long enough to be kept as text.</p>" for i in range(8)
    )
    + "</article><footer>Footer</footer></body></html>"
)


def _slots(options: Extractor) -> dict[str, object]:
    return {slot: getattr(options, slot) for slot in Extractor.__slots__}


@pytest.mark.parametrize("name", TRAFILATURA_PASSES)
@pytest.mark.parametrize("include_tables", [True, False])
@pytest.mark.parametrize("url", [None, "", "http://127.0.0.2/a/1.html", "http://x.test/\udcff"])
def test_the_copied_settings_are_the_ones_bare_extraction_builds(
    name: CandidateName, include_tables: bool, url: str | None
) -> None:
    copied = candidates_module._extractor(name, include_tables=include_tables, url=url)
    fresh = Extractor(
        output_format="python",
        precision=name is CandidateName.PRECISION,
        recall=name is CandidateName.RECALL,
        comments=False,
        formatting=False,
        tables=include_tables,
        url=url,
    )
    assert _slots(copied) == _slots(fresh)


def test_each_page_gets_its_own_settings() -> None:
    first = candidates_module._extractor(CandidateName.BALANCED, include_tables=True, url="a")
    second = candidates_module._extractor(CandidateName.BALANCED, include_tables=True, url="b")
    assert first is not second
    assert (first.url, second.url) == ("a", "b")


def test_extractor_init_is_the_one_it_was_written_from() -> None:
    # Fails when a trafilatura upgrade changes Extractor.__init__: every pass then builds its
    # settings afresh until `_extractor` is brought in line.
    assert candidates_module.extractor_init_digest() == candidates_module.EXTRACTOR_INIT_SOURCE
    assert candidates_module.same_extractor_init()


def test_another_extractor_init_builds_fresh_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = load_tree(PAGE)
    assert tree is not None
    expected = {
        name: make_candidate(tree, name, url="u", include_tables=True)
        for name in TRAFILATURA_PASSES
    }
    monkeypatch.setattr(candidates_module, "EXTRACTOR_INIT_SOURCE", "0" * 64)
    candidates_module.same_extractor_init.cache_clear()
    try:
        assert not candidates_module.same_extractor_init()
        for name in TRAFILATURA_PASSES:
            candidate = make_candidate(tree, name, url="u", include_tables=True)
            assert candidate is not None
            assert candidate.text() == expected[name].text()  # type: ignore[union-attr]
    finally:
        monkeypatch.undo()
        candidates_module.same_extractor_init.cache_clear()
    assert candidates_module.same_extractor_init()
