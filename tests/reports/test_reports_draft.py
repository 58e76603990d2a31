"""Drafting reports from the store's rows: sections, citations, figures, edge cases; on SQLite
and PostgreSQL (the rows come from ReportsRepository)."""

from __future__ import annotations

from datetime import date

from report_world import HOSTILE, SECTOR, WEEK, World

from newsdesk.domain.access import ReadScope, Visibility
from newsdesk.domain.reports import entity_scope, sector_scope
from newsdesk.reports.build import ReportOptions, build_report
from newsdesk.reports.draft import draft_report, within
from newsdesk.reports.figures import figures
from newsdesk.reports.model import Report
from newsdesk.store import SqlStore

OPTIONS = ReportOptions("http://site.example", "site", {SECTOR: "Rare Earths & Commodities"})


def claims_and_rows(report: Report) -> list[tuple[str, tuple[int, ...]]]:
    found: list[tuple[str, tuple[int, ...]]] = []
    for section in report.sections:
        found += [(claim.plain, claim.citations) for claim in section.claims]
        for table in section.tables:
            found += [
                (" | ".join("".join(s.text for s in cell) for cell in row.cells), row.citations)
                for row in table.rows
            ]
    return found


def test_store_reads_the_sector_week_with_stories_facts_and_the_week_before(
    store: SqlStore, world: World
) -> None:
    data = store.report_data(sector_scope(SECTOR, WEEK), label="x")
    assert set(data.articles) == {
        world.ids[k] for k in ("pact-1", "pact-2", "pact-3", "hostile", "unbacked")
    }
    assert data.previous_articles == 1  # "lonely", three days before the Monday
    pact = next(s for s in data.stories if world.ids["pact-1"] in s.article_ids)
    assert pact.article_ids == tuple(world.ids[f"pact-{n}"] for n in (1, 2, 3))
    assert data.stories[0] == pact  # most articles first (all from one unnamed source)
    facts = {fact.key: fact for fact in data.facts}
    assert facts["agreement:jogmec-epangelo"].article_ids == pact.article_ids
    assert data.entity_names["org:epangelo"] == "Epangelo"
    rare = next(a for a in data.entities if a.entity.id == "commodity:rare-earths")
    assert len(rare.article_ids) == 4 and rare.previous == 1
    assert data.volume[-1].articles == 5 and data.volume[-2].articles == 1


def test_every_claim_and_row_cites_and_states_only_stored_figures(
    store: SqlStore, world: World
) -> None:
    report = build_report(store, sector_scope(SECTOR, WEEK), OPTIONS)
    points = next(s for s in report.sections if s.id == "points")
    assert 3 <= len(points.claims) <= 5
    stored = set()
    for fact in store.report_data(sector_scope(SECTOR, WEEK), label="x").facts:
        for _, sentence in fact.statements:
            stored |= figures(sentence)
    numbers = {ref.number for ref in report.references}
    for text, citations in claims_and_rows(report):
        assert citations and set(citations) <= numbers, text
    # the summary's "40 licences" and the title's "12%" and "980" are in no stored fact
    everything = " ".join(text for text, _ in claims_and_rows(report))
    assert "40 licences" not in everything and "12%" not in everything and "980" not in everything
    assert "$6.5 million" in everything  # stated by a stored fact: kept
    assert [ref.number for ref in report.references] == list(range(1, len(numbers) + 1))


def test_citations_read_in_ascending_order(store: SqlStore, world: World) -> None:
    """Articles are numbered as the report first cites them, and a later row citing them in
    another order printed "[1, 3, 2]" (the JOGMEC dossier's movers, in page, PDF and email)."""
    for scope in (
        sector_scope(SECTOR, WEEK),
        entity_scope("commodity:rare-earths", date(2026, 5, 1), date(2026, 6, 30)),
    ):
        report = build_report(store, scope, OPTIONS)
        cited = [citations for _, citations in claims_and_rows(report)]
        assert any(len(c) > 1 for c in cited)
        assert [c for c in cited if list(c) != sorted(c)] == []


def test_deals_watch_and_movers_come_from_the_facts_and_mentions(
    store: SqlStore, world: World
) -> None:
    report = build_report(store, sector_scope(SECTOR, WEEK), OPTIONS)
    sections = {section.id: section for section in report.sections}
    agreements = sections["deals"].tables[0]
    row = agreements.rows[0]
    assert "".join(s.text for s in row.cells[0]) == "JOGMEC, Epangelo"
    assert len(row.citations) == 3
    investments = sections["deals"].tables[1]
    assert [("".join(s.text for s in c)) for c in investments.rows[0].cells] == [
        "JOGMEC",
        "Namibia",
        "$6.5 million",
        "USD",
        "by 2029",
    ]
    watch = sections["watch"].tables[0]
    assert [row.cells[0][0].text for row in watch.rows] == ["2027-03", "2029"]
    newcomers = [claim.plain for claim in sections["movers"].claims]
    assert "Newly named: JOGMEC (3 articles, none the week before)." in newcomers
    assert not any("rare earths" in text for text in newcomers)  # named the week before too


def test_hostile_text_stays_text(store: SqlStore, world: World) -> None:
    report = build_report(store, sector_scope(SECTOR, WEEK), OPTIONS)
    policy = next(s for s in report.sections if s.id == "deals").tables[-1]
    assert any(HOSTILE in "".join(s.text for s in row.cells[0]) for row in policy.rows)
    titles = [ref.title for ref in report.references]
    assert HOSTILE in titles  # kept verbatim; the renderers escape it


def test_an_empty_week_reports_nothing_without_failing(store: SqlStore, world: World) -> None:
    report = build_report(store, sector_scope(SECTOR, "2025-W01"), OPTIONS)
    assert report.empty and report.references == ()
    assert all(section.notice for section in report.sections if section.id != "charts")
    assert next(s for s in report.sections if s.id == "points").notice == "No articles this week."


def test_an_entity_named_once_gets_a_dossier(store: SqlStore, world: World) -> None:
    report = build_report(
        store, entity_scope("org:lonely", date(2026, 5, 1), date(2026, 6, 30)), OPTIONS
    )
    assert report.title == "Lonely Minerals: dossier" and report.articles == 1
    points = next(s for s in report.sections if s.id == "points")
    assert [claim.citations for claim in points.claims] == [(1,)]
    assert report.references[0].article_id == world.ids["lonely"]


def test_a_dossier_lists_only_facts_naming_its_entity(store: SqlStore, world: World) -> None:
    report = build_report(
        store, entity_scope("org:epangelo", date(2026, 6, 1), date(2026, 6, 7)), OPTIONS
    )
    deals = next(s for s in report.sections if s.id == "deals")
    assert [table.caption for table in deals.tables] == ["Agreements"]


def test_articles_the_reader_may_not_read_leave_no_trace(store: SqlStore, world: World) -> None:
    data = store.report_data(sector_scope(SECTOR, WEEK), label="Rare")
    hidden = world.ids["pact-1"]
    gated = {
        i: (a if i != hidden else a.__class__(**{**a.__dict__, "visibility": Visibility.PRO}))
        for i, a in data.articles.items()
    }
    data = data.__class__(**{**data.__dict__, "articles": gated})
    report = draft_report(within(data, ReadScope(full=frozenset({Visibility.PUBLIC}))))
    assert hidden not in {ref.article_id for ref in report.references}
    text = " ".join(t for t, _ in claims_and_rows(report))
    assert "by 2029" not in text  # the budget was stated by the hidden article only
    assert "JOGMEC, Epangelo" in text  # the pact, also stated by two public articles, stays


def test_what_to_watch_lists_a_sentence_once_per_date() -> None:
    """Two facts of one sentence (820,000 and 3 million tonnes, both "by 2031") were two
    identical rows; a quantity and an investment of one sentence were two rows too."""
    from datetime import datetime

    from newsdesk.domain.reports import ReportArticle, ReportData, ReportFact

    said = "Zambia aims to lift copper output from 820,000 tonnes to 3 million tonnes by 2031."
    spend = "UKTMP is spending $150 million to lift its melt capacity to 12,000 tonnes by 2027."
    facts = (
        ReportFact("q1", "quantity", {"period": "by 2031"}, ((1, said),)),
        ReportFact("q2", "quantity", {"period": "by 2031"}, ((1, said),)),
        ReportFact("i1", "investment", {"period": "by 2027"}, ((2, spend),)),
        ReportFact("q3", "quantity", {"period": "by 2027"}, ((2, spend),)),
    )
    articles = {
        i: ReportArticle(i, f"A{i}", f"https://news.example/{i}", "Wire", datetime(2026, 6, 3))
        for i in (1, 2)
    }
    data = ReportData(sector_scope(SECTOR, WEEK), "Rare earths", articles=articles, facts=facts)
    [watch] = [s for s in draft_report(data).sections if s.id == "watch"]
    [table] = watch.tables
    rows = [tuple("".join(span.text for span in cell) for cell in row.cells) for row in table.rows]
    assert rows == [
        ("2027", "investment, quantity", spend),
        ("2031", "quantity", said),
    ]


def test_a_point_does_not_open_on_a_sentence_that_refers_back() -> None:
    """A story summary stored before the summariser's rule (or whose first standalone sentence
    carries an unbacked figure) may start "That is the backdrop to…": the week's first point
    takes the first sentence that stands alone, else the story's title."""
    from newsdesk.domain.reports import ReportStory
    from newsdesk.reports.draft import _Citer, _story_claim

    summary = (
        "That is the backdrop to a rare-earths agreement signed in Windhoek. "
        "JOGMEC and Epangelo Mining will explore Namibian ground together."
    )
    story = ReportStory(1, "Japan and Namibia sign", summary, (1,), 1)
    claim = _story_claim(story, _Citer({}), {})
    assert claim is not None
    assert claim.spans[0].text.startswith("JOGMEC and Epangelo"), claim
    # no sentence stands alone (the other carries a figure no fact backs): the title does
    unbacked = (
        "That is the backdrop to a rare-earths agreement signed in Windhoek. "
        "The programme has a first budget of N$120 million."
    )
    alone = ReportStory(2, "JOGMEC and Epangelo sign rare-earths pact", unbacked, (1,), 1)
    only = _story_claim(alone, _Citer({}), {})
    assert only is not None and only.spans[0].text == "JOGMEC and Epangelo sign rare-earths pact"
