"""'Read more insights': TF-IDF space, related-article ranking, reasons and the inverted index."""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.demo.corpus_loader import DemoArticle, load_corpus
from newsdesk.enrich.related import (
    RelatedCandidate,
    RelatedIndex,
    RelatedOptions,
    _idf_from_counts,
    _reason,
    _score,
    _story_key,
    build_tfidf,
    rank_related,
)
from newsdesk.enrich.related_rows import MAX_ENTITIES, MAX_SECTORS, MAX_TERMS, CandidateRows
from newsdesk.enrich.tfidf import cosine, term_counts, terms

NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
OPTIONS = RelatedOptions(sector_names={"rare-earths-commodities": "rare earths"})
_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")
_NOT_NAMES_TEXT = (
    "The A An In On It He She But And This That Its As At For While After Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def _candidate(
    article_id: int,
    *,
    story: int | None = None,
    hours_old: float = 1.0,
    sectors: frozenset[str] = frozenset(),
    entities: Mapping[str, str] | None = None,
    vector: Mapping[str, float] | None = None,
) -> RelatedCandidate:
    names = dict(entities or {})
    return RelatedCandidate(
        article_id=article_id,
        story_id=story,
        title=f"article {article_id}",
        published=NOW - timedelta(hours=hours_old),
        sectors=sectors,
        entities=frozenset(names),
        entity_names=names,
        vector=dict(vector or {}),
    )


def _crude_entities(text: str) -> dict[str, str]:
    """Runs of capitalised words as entity ids (the entity extractor is not wired in yet)."""
    found: dict[str, str] = {}
    for match in _NAME.finditer(text):
        name = match.group()
        if name not in _NOT_NAMES and len(name) > 2:
            found[name.casefold()] = name
    return found


def _demo_candidates() -> tuple[list[DemoArticle], list[RelatedCandidate]]:
    articles = list(load_corpus(NOW).articles)
    texts = [a.title + "\n" + a.body for a in articles]
    space = build_tfidf(texts)
    story_ids: dict[str, int] = {}
    candidates = []
    for i, (article, text) in enumerate(zip(articles, texts, strict=True)):
        story = story_ids.setdefault(article.story, len(story_ids)) if article.story else None
        names = _crude_entities(text)
        candidates.append(
            RelatedCandidate(
                article_id=i,
                story_id=story,
                title=article.title,
                published=article.published,
                sectors=frozenset(article.sectors),
                entities=frozenset(names),
                entity_names=names,
                vector=space.vector(text),
            )
        )
    return articles, candidates


# --- TF-IDF ------------------------------------------------------------------------------


def test_tfidf_vectors_are_unit_length_and_capped() -> None:
    space = build_tfidf(
        ["rare earths in Namibia", "copper in Zambia", "copper prices"], max_terms=3
    )
    vector = space.vector("Rare earths, rare earths: Namibia signs and Japan, Tokyo, JOGMEC pay")
    assert len(vector) == 3
    assert math.isclose(math.fsum(w * w for w in vector.values()), 1.0)
    assert space.vector("") == {}
    assert space.vector("the and of") == {}
    assert math.isclose(cosine(vector, vector), 1.0)


def test_tfidf_weighs_rare_terms_more_and_strips_html() -> None:
    space = build_tfidf(["copper Namibia", "copper Zambia", "copper Chile", "copper Peru"])
    vector = space.vector("<p>copper &amp; Namibia</p>")
    assert set(vector) == {"copper", "namibia"}
    assert vector["namibia"] > vector["copper"]


def test_tfidf_cosine_ranks_similar_texts_higher() -> None:
    texts = [
        "Japan and Namibia sign rare earths exploration deal with JOGMEC",
        "JOGMEC explores for rare earths in Namibia with Epangelo",
        "OPEC+ cuts oil output by 500,000 barrels per day",
    ]
    space = build_tfidf(texts)
    a, b, c = (space.vector(t) for t in texts)
    assert cosine(a, b) > cosine(a, c)
    assert cosine(a, c) == 0.0


def test_tfidf_term_counts_are_the_counted_terms_in_first_seen_order() -> None:
    texts = [
        "Copper, copper and COPPERS: 2024 prices of copper in Zambia & Chile's mines, a b I.",
        "<p>Namibia&amp;Japan sign; the rare earths deal is an earths deal</p>",
        "日本与纳米比亚签署了稀土勘探协议。 and of the",
        "",
    ]
    for text in texts:
        counts = term_counts(text)
        assert list(counts.items()) == list(Counter(terms(text)).items())


# --- scoring and reasons -----------------------------------------------------------------


def test_rare_shared_entity_counts_more_than_a_common_one() -> None:
    china = {"q148": "China"}
    target = _candidate(0, entities={"q1030": "Namibia", **china})
    shares_namibia = _candidate(1, entities={"q1030": "Namibia"})
    shares_china = _candidate(2, entities=china)
    filler = [_candidate(10 + i, entities=china) for i in range(8)]
    ranked = rank_related(target, [shares_china, shares_namibia, *filler], now=NOW, options=OPTIONS)
    assert ranked[0].article_id == 1
    assert ranked[0].reason == "also on Namibia"
    assert ranked[0].score > ranked[1].score


def test_reason_names_top_entity_and_sector() -> None:
    rare = frozenset({"rare-earths-commodities"})
    target = _candidate(0, sectors=rare, entities={"q1030": "Namibia", "q17": "Japan"})
    other = _candidate(1, sectors=rare, entities={"q1030": "Namibia"})
    sector_only = _candidate(2, sectors=rare)
    ranked = rank_related(target, [other, sector_only], now=NOW, options=OPTIONS)
    assert [r.reason for r in ranked] == ["also on Namibia · rare earths", "also on rare earths"]
    two_entities = _candidate(3, sectors=rare, entities={"q1030": "Namibia", "q17": "Japan"})
    (only,) = rank_related(target, [two_entities], now=NOW, options=OPTIONS)
    assert only.reason in {"also on Namibia · Japan", "also on Japan · Namibia"}
    plain = RelatedOptions()  # without display names the sector id is shown
    (fallback,) = rank_related(target, [sector_only], now=NOW, options=plain)
    assert fallback.reason == "also on rare-earths-commodities"


def test_text_similarity_alone_gives_similar_coverage() -> None:
    target = _candidate(0, vector={"smelter": 0.8, "copper": 0.6})
    similar = _candidate(1, vector={"smelter": 0.6, "copper": 0.8})
    unrelated = _candidate(2, vector={"satellite": 1.0})
    ranked = rank_related(target, [unrelated, similar], now=NOW, options=OPTIONS)
    assert [(r.article_id, r.reason) for r in ranked] == [(1, "similar coverage")]


def test_recent_items_win_among_equals_and_half_life_halves_the_decay() -> None:
    target = _candidate(0, entities={"q1030": "Namibia"})
    fresh = _candidate(1, hours_old=0, entities={"q1030": "Namibia"})
    week_old = _candidate(2, hours_old=72, entities={"q1030": "Namibia"})
    options = RelatedOptions(recency_floor=0.0, half_life_hours=72)
    ranked = rank_related(target, [week_old, fresh], now=NOW, options=options)
    assert [r.article_id for r in ranked] == [1, 2]
    assert math.isclose(ranked[1].score, ranked[0].score / 2, rel_tol=1e-4)


def test_own_story_is_excluded_by_default_and_at_most_one_when_allowed() -> None:
    target = _candidate(0, story=7, entities={"q1030": "Namibia"})
    same_story = [_candidate(i, story=7, entities={"q1030": "Namibia"}) for i in (1, 2)]
    other = _candidate(3, story=8, hours_old=500, entities={"q1030": "Namibia"})
    ranked = rank_related(target, [*same_story, other], now=NOW, options=OPTIONS)
    assert [r.article_id for r in ranked] == [3]
    allowed = RelatedOptions(max_same_story=1, same_story_factor=0.5)
    ranked = rank_related(target, [*same_story, other], now=NOW, options=allowed)
    assert sorted(r.article_id for r in ranked) in ([1, 3], [2, 3])
    assert {r.reason for r in ranked} == {"more on this story", "also on Namibia"}


def test_results_never_repeat_a_story_and_exclude_the_target() -> None:
    target = _candidate(0, entities={"q1030": "Namibia"})
    candidates = [target] + [
        _candidate(i, story=i % 3, entities={"q1030": "Namibia"}, hours_old=i) for i in range(1, 10)
    ]
    ranked = rank_related(target, candidates, now=NOW, options=OPTIONS)
    assert [r.article_id for r in ranked] == [1, 2, 3]  # the newest of each story


def test_ties_break_deterministically_by_article_id() -> None:
    target = _candidate(0, entities={"q1030": "Namibia"})
    twins = [_candidate(i, entities={"q1030": "Namibia"}) for i in (9, 4, 6)]
    first = rank_related(target, twins, now=NOW, options=OPTIONS)
    second = rank_related(target, list(reversed(twins)), now=NOW, options=OPTIONS)
    assert [r.article_id for r in first] == [4, 6, 9]
    assert first == second


def test_a_tie_at_the_cut_off_goes_to_the_newer_then_the_lower_id() -> None:
    target = _candidate(0, entities={"q1030": "Namibia"}, sectors=frozenset({"mining"}))
    best = _candidate(50, entities={"q1030": "Namibia"}, sectors=frozenset({"mining"}))
    # equal relevance and age: only the id decides among these; one older, so it scores less
    tied = [_candidate(i, entities={"q1030": "Namibia"}) for i in (31, 12, 27)]
    older = _candidate(5, entities={"q1030": "Namibia"}, hours_old=30)
    # a story whose second item ties its first: the lower id stands for the story
    story = [_candidate(i, story=3, entities={"q1030": "Namibia"}) for i in (40, 8)]
    candidates = [older, *tied, best, *story]
    for limit, expected in ((1, [50]), (2, [50, 8]), (3, [50, 8, 12]), (6, [50, 8, 12, 27, 31, 5])):
        ranked = rank_related(target, candidates, now=NOW, options=RelatedOptions(limit=limit))
        assert [r.article_id for r in ranked] == expected
        reversed_ranked = rank_related(
            target, list(reversed(candidates)), now=NOW, options=RelatedOptions(limit=limit)
        )
        assert reversed_ranked == ranked


def test_nothing_shared_gives_no_results_and_limit_is_respected() -> None:
    target = _candidate(0, entities={"q1030": "Namibia"})
    assert (
        rank_related(target, [_candidate(1, entities={"q1": "Chile"})], now=NOW, options=OPTIONS)
        == []
    )
    many = [_candidate(i, entities={"q1030": "Namibia"}) for i in range(1, 30)]
    assert len(rank_related(target, many, now=NOW, options=RelatedOptions(limit=3))) == 3
    undated = RelatedCandidate(99, None, "undated", None, entities=frozenset({"q1030"}))
    (result,) = rank_related(target, [undated], now=NOW, options=OPTIONS)
    assert result.reason == "also on Namibia"  # name from the target's entity_names


# --- the inverted index ------------------------------------------------------------------


def test_index_query_matches_rank_related_on_the_demo_corpus() -> None:
    _, candidates = _demo_candidates()
    index = RelatedIndex()
    for candidate in candidates:
        index.add(candidate)
    assert len(index) == len(candidates)
    for target in candidates:
        expected = rank_related(target, candidates, now=NOW, options=OPTIONS)
        assert index.query(target, now=NOW, options=OPTIONS) == expected


def test_index_remove_and_replace() -> None:
    target = _candidate(0, entities={"q1030": "Namibia"})
    index = RelatedIndex()
    index.add(_candidate(1, entities={"q1030": "Namibia"}))
    index.add(_candidate(2, entities={"q1030": "Namibia"}, hours_old=5))
    assert [r.article_id for r in index.query(target, now=NOW, options=OPTIONS)] == [1, 2]
    assert index.remove(1)
    assert not index.remove(1)
    assert 1 not in index
    assert [r.article_id for r in index.query(target, now=NOW, options=OPTIONS)] == [2]
    index.add(_candidate(2, entities={"q1": "Chile"}))  # replaced: no longer shares Namibia
    assert index.query(target, now=NOW, options=OPTIONS) == []
    assert len(index) == 1


# --- the demo corpus ---------------------------------------------------------------------


def test_every_demo_article_gets_three_related_from_other_stories() -> None:
    articles, candidates = _demo_candidates()
    story_of = {c.article_id: c.story_id for c in candidates}
    for target in candidates:
        ranked = rank_related(target, candidates, now=NOW, options=OPTIONS)
        assert len(ranked) >= 3, articles[target.article_id].slug
        assert all(r.reason for r in ranked)
        assert target.article_id not in {r.article_id for r in ranked}
        stories = [story_of[r.article_id] for r in ranked]
        if target.story_id is not None:
            assert target.story_id not in stories
        named = [s for s in stories if s is not None]
        assert len(named) == len(set(named)), "no two results from the same story"


def test_demo_rare_earths_story_points_at_rare_earths_coverage() -> None:
    articles, candidates = _demo_candidates()
    for target in candidates:
        if articles[target.article_id].story != "japan-namibia-rare-earths":
            continue
        ranked = rank_related(target, candidates, now=NOW, options=OPTIONS)
        top = articles[ranked[0].article_id]
        assert set(top.sectors) & {"rare-earths-commodities", "mining-metals"}
        assert ranked[0].reason.startswith("also on ")


# --- speed -------------------------------------------------------------------------------


def test_index_query_over_20000_candidates_fills_the_list() -> None:
    """Speed is measured by benchmarks/enrich_summaries.py and benchmarks/enrich.py."""
    rng = random.Random(7)
    entities = [f"e{i}" for i in range(3000)]
    sectors = [f"s{i}" for i in range(9)]
    vocabulary = [f"t{i}" for i in range(20000)]
    index = RelatedIndex()
    candidates = []
    for i in range(20_000):
        terms = rng.sample(vocabulary, 48)
        candidate = RelatedCandidate(
            article_id=i,
            story_id=i // 3,
            title="",
            published=NOW - timedelta(hours=i / 10),
            sectors=frozenset(rng.sample(sectors, 2)),
            entities=frozenset(entities[min(int(rng.paretovariate(0.8)), 2999)] for _ in range(8)),
            vector=dict.fromkeys(terms, 1 / math.sqrt(48)),
        )
        candidates.append(candidate)
        index.add(candidate)
    for target in candidates[::1000]:
        ranked = index.query(target, now=NOW, options=OPTIONS)
        assert len(ranked) == OPTIONS.limit
        assert target.article_id not in {r.article_id for r in ranked}
        assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


@pytest.mark.parametrize(
    "text", ["", "<p>&nbsp;</p>", "日本与纳米比亚签署了稀土勘探协议。", "x" * 1_000_000]
)
def test_tfidf_bad_input(text: str) -> None:
    # The time for a megabyte is printed by benchmarks/hostile_inputs.py.
    space = build_tfidf(["Namibia rare earths", text])
    vector = space.vector(text)
    assert len(vector) <= space.max_terms
    assert not vector or math.isclose(math.fsum(w * w for w in vector.values()), 1.0)
    assert set(vector) <= set(space.idf)  # the text was part of the space


def test_index_reads_only_the_newest_articles_of_a_crowded_key() -> None:
    sector = frozenset({"oil-gas"})
    index = RelatedIndex()
    for i in range(1, 11):  # added oldest first, as ingestion does
        index.add(_candidate(i, hours_old=100 - i, sectors=sector))
    target = _candidate(0, sectors=sector)
    capped = RelatedOptions(max_per_key=3, limit=10)
    assert [r.article_id for r in index.query(target, now=NOW, options=capped)] == [10, 9, 8]
    rare = _candidate(1, hours_old=99, sectors=sector, entities={"q1030": "Namibia"})
    index.add(rare)  # re-added: now among the newest, and reachable through its entity
    namibia_target = _candidate(0, sectors=sector, entities={"q1030": "Namibia"})
    assert index.query(namibia_target, now=NOW, options=capped)[0].article_id == 1


def test_index_skipping_candidates_that_cannot_rank_keeps_the_exact_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The index skips a candidate's cosine when a bound says it cannot reach the best
    stories found so far; rank_related scores everything. Same answers, ties included, on
    vectors of any length (not unit: weights up to 3), many terms (hash bits shared), ties
    within and between stories and at the cut-off (with recency_floor=1 a newer copy added
    later ties with its original and must win)."""
    rng = random.Random(11)
    vocabulary = [f"t{i}" for i in range(400)]
    candidates = []
    for i in range(300):
        twin = i % 7 == 0 and i > 0  # a copy of the previous article: ties on every part
        if twin:
            previous = candidates[-1]
            candidates.append(
                RelatedCandidate(
                    article_id=i,
                    story_id=rng.choice([previous.story_id, None, i // 4]),
                    title="",
                    # newer: with recency_floor=1 it ties and wins on order, though added later
                    published=(previous.published or NOW) + timedelta(minutes=30),
                    sectors=previous.sectors,
                    entities=previous.entities,
                    vector=previous.vector,
                )
            )
            continue
        size = rng.choice([1, 3, 40, 300])
        candidates.append(
            RelatedCandidate(
                article_id=i,
                story_id=rng.choice([None, i // 4, i // 9]),
                title="",
                published=NOW - timedelta(hours=rng.choice([1, 1, 5, 200])),
                sectors=frozenset(rng.sample(["a", "b", "c"], rng.randint(0, 2))),
                entities=frozenset(rng.sample(["e1", "e2", "e3", "e4"], rng.randint(0, 2))),
                vector={t: rng.choice([0.05, 0.1, 1.0, 3.0]) for t in rng.sample(vocabulary, size)},
            )
        )
    index = RelatedIndex(index_terms=400)  # every candidate shares a key: the whole pool
    for candidate in candidates:
        index.add(candidate)
    calls = {"cosine": 0}

    def counted(a: Mapping[str, float], b: Mapping[str, float]) -> float:
        calls["cosine"] += 1
        return cosine(a, b)

    monkeypatch.setattr("newsdesk.enrich.related.cosine", counted)
    for limit, floor in ((1, 0.5), (3, 0.5), (5, 0.5), (1, 1.0), (3, 1.0)):
        options = RelatedOptions(limit=limit, max_per_key=1000, min_score=0.0, recency_floor=floor)
        full = pruned = 0
        for target in candidates[::5]:
            calls["cosine"] = 0
            expected = rank_related(target, candidates, now=NOW, options=options)
            full += calls["cosine"]
            calls["cosine"] = 0
            assert index.query(target, now=NOW, options=options) == expected
            pruned += calls["cosine"]
        assert pruned < full / 2  # the bound did skip candidates


def _random_candidates(rng: random.Random, count: int) -> list[RelatedCandidate]:
    """Candidates of every shape the index's numpy rows must bound: more entities, sectors
    and terms than a row holds, no or a naive publication time, shared stories, copies that
    tie on every part."""
    vocabulary = [f"t{i}" for i in range(200)]
    entity_ids = [f"e{i}" for i in range(60)]
    sector_ids = [f"s{i}" for i in range(12)]
    candidates: list[RelatedCandidate] = []
    for i in range(count):
        if i % 6 == 5:  # a copy of the previous one, in another story or the same
            previous = candidates[-1]
            candidates.append(
                RelatedCandidate(
                    article_id=i,
                    story_id=rng.choice([previous.story_id, None, i // 5]),
                    title="",
                    published=previous.published,
                    sectors=previous.sectors,
                    entities=previous.entities,
                    vector=previous.vector,
                )
            )
            continue
        published = rng.choice(
            [None, NOW - timedelta(hours=rng.choice([0.5, 3, 30, 400])), NOW + timedelta(hours=2)]
        )
        candidates.append(
            RelatedCandidate(
                article_id=i,
                story_id=rng.choice([None, i // 5, i // 11]),
                title="",
                published=published,
                sectors=frozenset(rng.sample(sector_ids, rng.choice([0, 1, 2, 10]))),
                entities=frozenset(rng.sample(entity_ids, rng.choice([0, 1, 3, 40]))),
                vector={
                    t: rng.choice([0.05, 0.2, 1.0, 2.5])
                    for t in rng.sample(vocabulary, rng.choice([0, 2, 30, 100]))
                },
            )
        )
    return candidates


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_bounds_rows_of_every_shape_and_keeps_the_exact_answer(seed: int) -> None:
    """Rows too wide for the numpy arrays (bounded, not estimated), candidates without a
    publication time or in the future, the target's own story allowed with a factor, and
    articles removed and re-added (rows reused): every index query equals rank_related over
    the articles in the index."""
    rng = random.Random(seed)
    candidates = _random_candidates(rng, 240)
    index = RelatedIndex(index_terms=200)
    for candidate in candidates:
        index.add(candidate)
    removed = rng.sample(candidates, 30)
    for candidate in removed:
        assert index.remove(candidate.article_id)
    for candidate in removed[:15]:  # back, at the newest end
        index.add(candidate)
    live = [c for c in candidates if c.article_id in index]
    assert len(live) == 225
    for options in (
        RelatedOptions(limit=4, max_per_key=1000, min_score=1e-9),  # > 0: shares a key
        RelatedOptions(limit=2, max_per_key=1000, min_score=0.3, recency_floor=1.0),
        RelatedOptions(limit=6, max_per_key=1000, max_same_story=1, same_story_factor=0.7),
        RelatedOptions(limit=3, max_per_key=1000, half_life_hours=0.0, entity_weight=0.0),
    ):
        for target in candidates[::4]:
            assert index.query(target, now=NOW, options=options) == rank_related(
                target, live, now=NOW, options=options
            )


def test_index_with_naive_times_ranks_without_the_bound() -> None:
    """A naive `now` (the bound needs an aware one) and naive publication times: the index
    scores every candidate, as before."""
    naive_now = NOW.replace(tzinfo=None)
    candidates = [
        RelatedCandidate(
            article_id=i,
            story_id=None,
            title="",
            published=naive_now - timedelta(hours=i),
            sectors=frozenset({"a"}),
            vector={"x": 1.0, f"y{i % 3}": 1.0},
        )
        for i in range(1, 30)
    ]
    index = RelatedIndex()
    for candidate in candidates:
        index.add(candidate)
    options = RelatedOptions(limit=5, max_per_key=1000)
    for target in candidates[::3]:
        found = index.query(target, now=naive_now, options=options)
        assert found == rank_related(target, candidates, now=naive_now, options=options)
        assert len(found) == 5


def test_row_estimates_are_the_exact_scores_to_1e_12_and_bounds_above_them() -> None:
    """What the index prunes by: each row's estimate equals the score related._score
    computes to a relative 1e-12 (the pruning's margin is 1e-9), and rows too wide for the
    arrays get an estimate at least the score; the target and its excluded story get -inf."""
    rng = random.Random(5)
    candidates = _random_candidates(rng, 200)
    rows = CandidateRows()
    row_of = {c.article_id: rows.add(c) for c in candidates}
    counts: Counter[str] = Counter()
    for candidate in candidates:
        counts.update(candidate.entities)
    idf = _idf_from_counts(counts, len(candidates))
    wide = 0
    for options in (
        RelatedOptions(recency_floor=0.2, half_life_hours=5.0),
        RelatedOptions(max_same_story=1, same_story_factor=0.3, recency_floor=0.0),
    ):
        for target in candidates[::7]:
            target_idf = {e: idf(e) for e in target.entities}
            mass = sum(target_idf.values())
            estimates = rows.estimates(
                target, [row_of[c.article_id] for c in candidates], target_idf, NOW, options
            )
            for candidate, estimate in zip(candidates, estimates, strict=True):
                excluded = candidate.article_id == target.article_id or (
                    options.max_same_story <= 0 and _story_key(candidate) == _story_key(target)
                )
                if excluded:
                    assert estimate == -math.inf
                    continue
                exact = _score(
                    target, candidate, idf=idf, target_mass=mass, now=NOW, options=options
                ).score
                if (
                    len(candidate.entities) > MAX_ENTITIES
                    or len(candidate.sectors) > MAX_SECTORS
                    or len(candidate.vector) > MAX_TERMS
                ):
                    wide += 1
                    assert estimate * (1 + 1e-12) >= exact  # a bound, to float error
                else:
                    assert abs(estimate - exact) <= 1e-12 * exact
    assert wide > 20


def test_ranked_winners_score_and_read_as_when_scored_afresh() -> None:
    """The ranking scores its winners with the text similarities and recency factors it
    computed while choosing them: the same scores and reasons as scoring them afresh."""
    candidates = _random_candidates(random.Random(11), 150)
    counts: Counter[str] = Counter()
    for candidate in candidates:
        counts.update(candidate.entities)
    idf = _idf_from_counts(counts, len(candidates))
    by_id = {c.article_id: c for c in candidates}
    for options in (OPTIONS, RelatedOptions(max_same_story=1, recency_floor=0.1)):
        for target in candidates[::5]:
            mass = sum({e: idf(e) for e in target.entities}.values())
            for result in rank_related(target, candidates, now=NOW, options=options):
                fresh = _score(
                    target,
                    by_id[result.article_id],
                    idf=idf,
                    target_mass=mass,
                    now=NOW,
                    options=options,
                )
                assert result.score == round(fresh.score, 6)
                assert result.reason == _reason(target, fresh, idf, options)
