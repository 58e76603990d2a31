"""Drafting a report from the store's rows. Pure: ReportData in, Report out.

Nothing here writes prose of its own about the news: every claim is a stored sentence (a
story's extractive summary, a fact's sentence), a stored title, or a table row of stored fact
fields and counts, and each cites the articles it comes from. Figures taken from article text
are kept only when a stored fact of the cited articles states them (reports.figures).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, timedelta

from newsdesk.domain.access import ReadScope
from newsdesk.domain.reports import (
    EntityActivity,
    ReportArticle,
    ReportData,
    ReportFact,
    ReportKind,
    ReportStory,
)
from newsdesk.reports.figures import backed, fact_figures, redact
from newsdesk.reports.model import (
    Chart,
    Claim,
    Reference,
    Report,
    Row,
    Section,
    Span,
    Table,
    count,
    text,
)
from newsdesk.text.sentences import opens_with_reference, split_sentences

MAX_POINTS = 5
MIN_POINTS = 3
MAX_STORIES = 8
MAX_CITED = 6  # references per claim or row; the rest of its articles are counted
MAX_ROWS = 15
MAX_MOVERS = 10
_YEAR_MONTH = re.compile(r"\b((?:19|20)\d{2})(?:-(\d{2}))?\b")


class _Citer:
    """Numbers articles in the order the report first cites them."""

    def __init__(self, articles: dict[int, ReportArticle]) -> None:
        self._articles = articles
        self.numbers: dict[int, int] = {}

    def cite(self, article_ids: Iterable[int]) -> tuple[int, ...]:
        cited: list[int] = []
        for article_id in article_ids:
            if article_id not in self._articles:
                continue
            number = self.numbers.setdefault(article_id, len(self.numbers) + 1)
            if number not in cited:
                cited.append(number)
            if len(cited) >= MAX_CITED:
                break
        return tuple(sorted(cited))  # "[1, 2, 3]" however the row lists its articles

    def references(self) -> tuple[Reference, ...]:
        return tuple(
            Reference(
                number=number,
                article_id=article_id,
                title=self._articles[article_id].title,
                source_name=self._articles[article_id].source_name,
                published=self._articles[article_id].published,
                url=self._articles[article_id].url,
            )
            for article_id, number in sorted(self.numbers.items(), key=lambda item: item[1])
        )


def within(data: ReportData, reader: ReadScope) -> ReportData:
    """data as a reader reads it: without the articles the reader may not read in full (the
    scope comes from the access policy: domain.access.read_scope), what rests on them, and
    the summaries of stories drawn from any such article (in the report's scope or not)."""
    kept = {i: a for i, a in data.articles.items() if reader.reads(a.visibility)}
    stories = tuple(
        replace(
            story,
            article_ids=ids,
            summary=story.summary if story.visibilities <= reader.full else "",
        )
        for story in data.stories
        if (ids := tuple(i for i in story.article_ids if i in kept))
    )
    if len(kept) == len(data.articles) and stories == data.stories:
        return data
    facts = tuple(
        replace(fact, statements=statements)
        for fact in data.facts
        if (statements := tuple(s for s in fact.statements if s[0] in kept))
    )
    entities = tuple(
        replace(activity, article_ids=ids)
        for activity in data.entities
        if (ids := tuple(i for i in activity.article_ids if i in kept))
    )
    return replace(data, articles=kept, stories=stories, facts=facts, entities=entities)


def draft_report(data: ReportData) -> Report:
    scope = data.scope
    citer = _Citer(data.articles)
    allowed = _figures_by_article(data.facts)
    own_facts = _relevant_facts(data)
    sections = [
        _points(data, own_facts, citer, allowed),
        _stories_section(data, citer, allowed),
        _deals_section(data, own_facts, citer),
        _quantities_section(data, own_facts, citer),
        _movers_section(data, citer),
        _watch_section(data, own_facts, citer),
        _charts_section(data, own_facts),
    ]
    noun = "briefing" if scope.kind is ReportKind.SECTOR else "dossier"
    title = f"{data.label}: weekly {noun}" if scope.week else f"{data.label}: {noun}"
    return Report(
        kind=str(scope.kind),
        key=scope.key,
        title=title,
        label=data.label,
        period=_period(data),
        first_day=scope.start.date(),
        last_day=scope.last_day,
        articles=len(data.articles),
        previous_articles=data.previous_articles,
        sections=tuple(sections),
        references=citer.references(),
        week=scope.week,
        outline=tuple(section.title for section in sections),
    )


def _period(data: ReportData) -> str:
    scope = data.scope
    first, last = scope.start.date(), scope.last_day
    span = f"{_day(first)} – {_day(last)}"
    return f"Week {scope.week} ({span})" if scope.week else span


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _figures_by_article(facts: Sequence[ReportFact]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for fact in facts:
        for article_id, sentence in fact.statements:
            found.setdefault(article_id, set()).update(fact_figures([sentence], [fact.data]))
    return found


def _allowed_for(article_ids: Iterable[int], allowed: dict[int, set[str]]) -> set[str]:
    found: set[str] = set()
    for article_id in article_ids:
        found |= allowed.get(article_id, set())
    return found


def _relevant_facts(data: ReportData) -> list[ReportFact]:
    """The scope's facts; for an entity dossier, those naming the entity."""
    if data.scope.kind is ReportKind.SECTOR:
        return list(data.facts)
    return [fact for fact in data.facts if data.scope.key in _entity_ids(fact.data)]


def _entity_ids(record: dict[str, object]) -> set[str]:
    found: set[str] = set()
    for value in record.values():
        values = value if isinstance(value, list) else [value]
        found.update(v for v in values if isinstance(v, str))
    return found


# --- the week in points -------------------------------------------------------------------


def _points(
    data: ReportData,
    facts: Sequence[ReportFact],
    citer: _Citer,
    allowed: dict[int, set[str]],
) -> Section:
    title = "The week in points" if data.scope.week else "The period in points"
    claims: list[Claim] = []
    for story in data.stories[:MAX_POINTS]:
        claim = _story_claim(story, citer, allowed)
        if claim is not None:
            claims.append(claim)
    for fact in _by_weight(facts):
        if len(claims) >= MIN_POINTS:
            break
        if fact.type in {"agreement", "investment"}:
            _, sentence = fact.statements[0]
            claims.append(Claim((text(sentence),), citer.cite(fact.article_ids)))
    if not claims:
        return Section("points", title, notice=_nothing(data))
    return Section("points", title, claims=tuple(claims[:MAX_POINTS]))


def _nothing(data: ReportData) -> str:
    what = "this week" if data.scope.week else "in this period"
    return f"No articles {what}."


def _story_claim(story: ReportStory, citer: _Citer, allowed: dict[int, set[str]]) -> Claim | None:
    permitted = _allowed_for(story.article_ids, allowed)
    # A point is read alone: not "That is the backdrop to…", whose "that" is not there; the
    # story's title says more than such a sentence.
    sentence = next(
        (
            s
            for s in split_sentences(story.summary)
            if s and backed(s, permitted) and not opens_with_reference(s)
        ),
        None,
    )
    chosen = sentence or redact(story.title, permitted)
    if not chosen.strip():
        return None
    return Claim((text(chosen),), citer.cite(story.article_ids))


def _by_weight(facts: Sequence[ReportFact]) -> list[ReportFact]:
    return sorted(facts, key=lambda f: (-len(f.statements), f.statements[0][0], f.key))


# --- top stories --------------------------------------------------------------------------


def _stories_section(data: ReportData, citer: _Citer, allowed: dict[int, set[str]]) -> Section:
    rows: list[Row] = []
    for story in data.stories[:MAX_STORIES]:
        permitted = _allowed_for(story.article_ids, allowed)
        summary = " ".join(
            s for s in split_sentences(story.summary)[:3] if s and backed(s, permitted)
        )
        rows.append(
            Row(
                cells=(
                    (text(redact(story.title, permitted)),),
                    (text(summary),) if summary else (),
                    count(story.sources),
                    count(len(story.article_ids)),
                ),
                citations=citer.cite(story.article_ids),
            )
        )
    if not rows:
        return Section("stories", "Top stories", notice="No stories to rank.")
    table = Table(
        caption="Top stories, by number of publications",
        # not "Sources": every table's last column is "Sources", the articles a row cites
        columns=("Story", "Summary", "Publications", "Articles"),
        rows=tuple(rows),
        numeric=frozenset({2, 3}),
    )
    return Section("stories", "Top stories", tables=(table,))


# --- deals, investments and policy --------------------------------------------------------


def _names(data: ReportData, value: object) -> tuple[Span, ...]:
    values = value if isinstance(value, list) else [value] if value else []
    spans: list[Span] = []
    for item in values:
        if not isinstance(item, str):
            continue
        if spans:
            spans.append(text(", "))
        spans.append(Span(data.entity_names.get(item, item), "entity", item))
    return tuple(spans)


def _field(value: object) -> tuple[Span, ...]:
    if value is None or value in ("", []):
        return ()
    return (Span(str(value), "figure"),)


def _amount(value: object) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """(as reported, currency) of a stored amount."""
    if not isinstance(value, dict):
        return (), ()
    raw = str(value.get("raw") or "")
    currency = str(value.get("currency") or "")
    return ((Span(raw, "figure"),) if raw else ()), ((text(currency),) if currency else ())


def _deals_section(data: ReportData, facts: Sequence[ReportFact], citer: _Citer) -> Section:
    agreements = [f for f in facts if f.type == "agreement"][:MAX_ROWS]
    investments = [f for f in facts if f.type == "investment"][:MAX_ROWS]
    policies = [f for f in facts if f.type == "policy"][:MAX_ROWS]
    tables: list[Table] = []
    if agreements:
        tables.append(
            Table(
                caption="Agreements",
                columns=("Parties", "Kind", "Commodities", "Date", "Status"),
                rows=tuple(
                    Row(
                        cells=(
                            _names(data, f.data.get("parties")),
                            _field(f.data.get("kind")),
                            _names(data, f.data.get("commodities")),
                            _field(f.data.get("date")),
                            _field(f.data.get("status")),
                        ),
                        citations=citer.cite(f.article_ids),
                    )
                    for f in agreements
                ),
            )
        )
    if investments:
        tables.append(
            Table(
                caption="Investments (amounts as reported, never converted)",
                columns=("Investor", "Target", "Amount", "Currency", "Period"),
                rows=tuple(
                    Row(
                        cells=(
                            _names(data, f.data.get("investor")),
                            _names(data, f.data.get("target")),
                            *_amount(f.data.get("amount")),
                            _field(f.data.get("period")),
                        ),
                        citations=citer.cite(f.article_ids),
                    )
                    for f in investments
                ),
                numeric=frozenset({2}),
            )
        )
    if policies:
        tables.append(
            Table(
                caption="Policy actions",
                columns=("Action", "By", "On", "Covering"),
                rows=tuple(
                    Row(
                        cells=(
                            (text(str(f.data.get("action", "")).replace("_", " ")),),
                            _names(data, f.data.get("by")),
                            _names(data, f.data.get("on")),
                            _names(data, f.data.get("what")),
                        ),
                        citations=citer.cite(f.article_ids),
                    )
                    for f in policies
                ),
            )
        )
    title = "Deals, investments and policy"
    if not tables:
        return Section("deals", title, notice="No agreements, investments or policy actions.")
    return Section("deals", title, tables=tuple(tables))


def _quantity(value: object) -> tuple[Span, ...]:
    if not isinstance(value, dict):
        return ()
    raw = str(value.get("raw") or "")
    return (Span(raw, "figure"),) if raw else ()


def _quantities_section(data: ReportData, facts: Sequence[ReportFact], citer: _Citer) -> Section:
    quantities = [f for f in facts if f.type == "quantity"][:MAX_ROWS]
    title = "Quantities and prices"
    if not quantities:
        return Section("quantities", title, notice="No quantities or prices reported.")
    table = Table(
        caption="Quantities and prices, with the change reported",
        columns=("Commodity", "Quantity", "Change", "Period", "Countries"),
        rows=tuple(
            Row(
                cells=(
                    _names(data, f.data.get("commodity")),
                    _quantity(f.data.get("quantity")),
                    _quantity(f.data.get("change")),
                    _field(f.data.get("period")),
                    _names(data, f.data.get("countries")),
                ),
                citations=citer.cite(f.article_ids),
            )
            for f in quantities
        ),
        numeric=frozenset({1, 2}),
    )
    return Section("quantities", title, tables=(table,))


# --- entity movers and newcomers ----------------------------------------------------------


def _movers_section(data: ReportData, citer: _Citer) -> Section:
    others = [a for a in data.entities if a.entity.id != data.scope.key]
    title = "Entity movers and newcomers"
    if not others:
        return Section("movers", title, notice="No entities named.")
    ranked = sorted(others, key=lambda a: (-(len(a.article_ids) - a.previous), a.entity.name))
    rows = tuple(
        Row(
            cells=(
                (Span(a.entity.name, "entity", a.entity.id),),
                (text(a.entity.type),),
                count(len(a.article_ids)),
                count(a.previous),
                _change(len(a.article_ids) - a.previous),
            ),
            citations=citer.cite(a.article_ids),
        )
        for a in ranked[:MAX_MOVERS]
    )
    before = "the week before" if data.scope.week else "the period before"
    claims = tuple(
        _newcomer(a, citer, before) for a in others if a.previous == 0 and a.article_ids
    )[:5]
    table = Table(
        caption="Articles naming each entity, against the previous period",
        columns=("Entity", "Type", "Articles", "Previous", "Change"),
        rows=rows,
        numeric=frozenset({2, 3, 4}),
    )
    return Section("movers", title, claims=claims, tables=(table,))


def _change(delta: int) -> tuple[Span, ...]:
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return (text(sign), Span(str(abs(delta)), "count", str(abs(delta))))


def _newcomer(activity: EntityActivity, citer: _Citer, before: str) -> Claim:
    return Claim(
        (
            text("Newly named: "),
            Span(activity.entity.name, "entity", activity.entity.id),
            text(" ("),
            *count(len(activity.article_ids), "article"),
            text(f", none {before})."),
        ),
        citer.cite(activity.article_ids),
    )


# --- what to watch ------------------------------------------------------------------------


def _future_dates(fact: ReportFact, after: date) -> list[str]:
    found: list[str] = []
    for name in ("date", "period"):
        value = fact.data.get(name)
        if not isinstance(value, str):
            continue
        for match in _YEAR_MONTH.finditer(value):
            year, month = int(match.group(1)), int(match.group(2) or 12)
            if (year, month) > (after.year, after.month) and match.group(0) not in found:
                found.append(match.group(0))
    return found


def _watch_section(data: ReportData, facts: Sequence[ReportFact], citer: _Citer) -> Section:
    after = data.scope.last_day
    # One row per date and sentence: a sentence with two facts (a quantity and an investment,
    # or two quantities) was listed twice, word for word; its fact types are joined instead.
    merged: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
    for fact in facts:
        dates = _future_dates(fact, after)
        if not dates:
            continue
        _, sentence = fact.statements[0]
        types, article_ids = merged.setdefault((", ".join(dates), sentence), ([], []))
        types.extend(t for t in (fact.type,) if t not in types)
        article_ids.extend(i for i in fact.article_ids if i not in article_ids)
    rows = [
        Row(
            cells=((Span(when, "figure"),), (text(", ".join(types)),), (text(sentence),)),
            citations=citer.cite(article_ids),
        )
        for (when, sentence), (types, article_ids) in merged.items()
    ]
    title = "What to watch"
    if not rows:
        return Section("watch", title, notice="No future dates named in the facts.")
    rows.sort(key=lambda row: row.cells[0][0].text)
    table = Table(
        caption="Future dates named in the facts",
        columns=("When", "Fact", "As reported"),
        rows=tuple(rows[:MAX_ROWS]),
    )
    return Section("watch", title, tables=(table,))


# --- charts -------------------------------------------------------------------------------


def _charts_section(data: ReportData, facts: Sequence[ReportFact]) -> Section:
    charts: list[Chart] = []
    if data.volume:
        charts.append(
            Chart(
                key=f"volume-{data.scope.key}",
                title=f"Articles per week: {data.label}",
                description=(
                    f"{len(data.volume)} weeks to the week of {_day(data.volume[-1].week)}; "
                    f"{data.volume[-1].articles} in the last."
                ),
                kind="bar",
                labels=tuple(f"{p.week.day} {p.week:%b}" for p in data.volume),
                series=(("Articles", tuple(p.articles for p in data.volume)),),
            )
        )
    named = [a for a in data.entities if a.entity.id != data.scope.key][:8]
    if named:
        charts.append(
            Chart(
                key=f"entities-{data.scope.key}",
                title="Articles naming each entity",
                description=f"Most named: {named[0].entity.name}, {len(named[0].article_ids)}.",
                kind="bar",
                labels=tuple(a.entity.name for a in named),
                series=(("Articles", tuple(len(a.article_ids) for a in named)),),
            )
        )
    flow = _deal_flow(data, facts)
    if flow is not None:
        charts.append(flow)
    if not charts:
        return Section("charts", "Charts", notice="Nothing to chart.")
    return Section("charts", "Charts", charts=tuple(charts))


def _deal_flow(data: ReportData, facts: Sequence[ReportFact]) -> Chart | None:
    deals = [f for f in facts if f.type in {"agreement", "investment"}]
    if not deals:
        return None
    scope = data.scope
    days = (scope.end - scope.start).days
    step = 1 if days <= 14 else 7
    starts = [scope.start + timedelta(days=n) for n in range(0, days, step)]
    labels = tuple(f"{start.day} {start:%b}" for start in starts)

    def bucket(fact: ReportFact) -> int | None:
        article = data.articles.get(fact.statements[0][0])
        if article is None or article.published is None:
            return None
        offset = (article.published.astimezone(UTC) - scope.start).days // step
        return offset if 0 <= offset < len(starts) else None

    series: list[tuple[str, tuple[int, ...]]] = []
    for kind, name in (("agreement", "Agreements"), ("investment", "Investments")):
        values = [0] * len(starts)
        for fact in deals:
            index = bucket(fact)
            if fact.type == kind and index is not None:
                values[index] += 1
        series.append((name, tuple(values)))
    return Chart(
        key=f"deals-{scope.key}",
        title="Deal flow: agreements and investments first reported",
        description=f"{len(deals)} in the period, per {'day' if step == 1 else 'week'}.",
        kind="line",
        labels=labels,
        series=tuple(series),
        unit="facts",
    )
