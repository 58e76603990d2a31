"""The one access policy: every viewer against every kind of item, decided without I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.domain.access import (
    ANONYMOUS,
    DEFAULT_QUOTAS,
    AccessLevel,
    AccessPolicy,
    Item,
    Plan,
    Quota,
    QuotaSurface,
    QuotaTier,
    Resource,
    Viewer,
    ViewerKind,
    Visibility,
    decide,
    effective_visibility,
    plan_in_force,
    quota_counter,
    read_scope,
    request_quota,
    window_start,
)
from newsdesk.domain.preview import TITLE_PARAGRAPH, in_preview, preview_length, shown_summary

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
FREE = Viewer(ViewerKind.MEMBER, 1, Plan.FREE)
PRO = Viewer(ViewerKind.MEMBER, 2, Plan.PRO, plan_until=NOW + timedelta(days=30))
EXPIRED_PRO = Viewer(ViewerKind.MEMBER, 3, Plan.PRO, plan_until=NOW - timedelta(seconds=1))
TEAM_SEAT = Viewer(ViewerKind.MEMBER, 4, Plan.TEAM)
PRO_KEY = Viewer(ViewerKind.API_KEY, 2, Plan.PRO, credential="api key nd_ab12")
FREE_KEY = Viewer(ViewerKind.API_KEY, 1, Plan.FREE, credential="api key nd_cd34")
PRO_FEED = Viewer(ViewerKind.FEED_TOKEN, 2, Plan.PRO)
# A viewer that claims a plan but no member (a bug elsewhere) is treated as anonymous.
NO_MEMBER = Viewer(ViewerKind.MEMBER, None, Plan.PRO)

FULL, PREVIEW, NONE = AccessLevel.FULL, AccessLevel.PREVIEW, AccessLevel.NONE
VIEWERS = {
    "anonymous": ANONYMOUS,
    "free": FREE,
    "pro": PRO,
    "expired pro": EXPIRED_PRO,
    "team seat": TEAM_SEAT,
    "free key": FREE_KEY,
    "pro key": PRO_KEY,
    "pro feed": PRO_FEED,
    "no member": NO_MEMBER,
}
#            public  members  pro
ARTICLES = {
    "anonymous": (FULL, PREVIEW, PREVIEW),
    "free": (FULL, FULL, PREVIEW),
    "pro": (FULL, FULL, FULL),
    "expired pro": (FULL, FULL, PREVIEW),
    "team seat": (FULL, FULL, FULL),
    "free key": (FULL, FULL, PREVIEW),
    "pro key": (FULL, FULL, FULL),
    "pro feed": (FULL, FULL, FULL),
    "no member": (FULL, PREVIEW, PREVIEW),
}


@pytest.mark.parametrize("name", sorted(VIEWERS))
def test_article_access_by_visibility(name: str) -> None:
    got = tuple(
        decide(VIEWERS[name], Item(visibility=v), NOW).level
        for v in (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRO)
    )
    assert got == ARTICLES[name]


def test_every_decision_says_why() -> None:
    decision = decide(EXPIRED_PRO, Item(visibility=Visibility.PRO), NOW)
    assert "pro piece" in decision.reason and "lapsed" in decision.reason
    assert "not signed in" in decide(ANONYMOUS, Item(visibility=Visibility.PRO), NOW).reason


@pytest.mark.parametrize(
    ("resource", "window"),
    [
        (Resource.FACTS_HISTORY, timedelta(days=7)),
        (Resource.ENTITY_TIMELINE, timedelta(weeks=4)),
        (Resource.TRENDS_HISTORY, timedelta(weeks=4)),
    ],
)
def test_windowed_analysis_is_free_inside_the_window_and_pro_beyond(
    resource: Resource, window: timedelta
) -> None:
    inside = Item(resource, about=NOW - window + timedelta(minutes=1))
    beyond = Item(resource, about=NOW - window - timedelta(minutes=1))
    for viewer in (ANONYMOUS, FREE, EXPIRED_PRO, FREE_KEY):
        assert decide(viewer, inside, NOW).level is FULL
        assert decide(viewer, beyond, NOW).level is NONE
    for viewer in (PRO, TEAM_SEAT, PRO_KEY, PRO_FEED):
        assert decide(viewer, beyond, NOW).level is FULL


def test_reports_preview_and_exports_and_alerts_are_pro_only() -> None:
    for viewer in (ANONYMOUS, FREE, EXPIRED_PRO, FREE_KEY):
        assert decide(viewer, Item(Resource.REPORT), NOW).level is PREVIEW
        assert decide(viewer, Item(Resource.FACTS_EXPORT), NOW).level is NONE
        assert decide(viewer, Item(Resource.ALERT), NOW).level is NONE
    for viewer in (PRO, TEAM_SEAT, PRO_KEY):
        for resource in (Resource.REPORT, Resource.FACTS_EXPORT, Resource.ALERT):
            assert decide(viewer, Item(resource), NOW).level is FULL


def test_an_operator_can_open_a_resource_to_everyone() -> None:
    policy = AccessPolicy(pro_resources=frozenset({Resource.REPORT}))
    assert decide(ANONYMOUS, Item(Resource.FACTS_EXPORT), NOW, policy).level is FULL
    assert decide(ANONYMOUS, Item(Resource.REPORT), NOW, policy).level is PREVIEW


def test_a_plan_lapses_at_its_end_instant() -> None:
    ends = Viewer(ViewerKind.MEMBER, 9, Plan.PRO, plan_until=NOW)
    assert plan_in_force(ends, NOW - timedelta(microseconds=1)) is Plan.PRO
    assert plan_in_force(ends, NOW) is Plan.FREE
    assert plan_in_force(ANONYMOUS, NOW) is None


@pytest.mark.parametrize("name", sorted(VIEWERS))
def test_the_read_scope_is_what_decide_answers_full_for(name: str) -> None:
    viewer = VIEWERS[name]
    scope = read_scope(viewer, NOW)
    for visibility, level in zip(Visibility, ARTICLES[name], strict=True):
        assert scope.reads(visibility) is (level is FULL), (name, visibility)
    assert scope.everything is all(level is FULL for level in ARTICLES[name])
    assert read_scope(viewer, NOW, AccessPolicy(preview_paragraphs=5)).preview_paragraphs == 5


@pytest.mark.parametrize("resource", [Resource.FACTS_HISTORY, Resource.ENTITY_TIMELINE])
@pytest.mark.parametrize("name", sorted(VIEWERS))
def test_window_start_agrees_with_decide(name: str, resource: Resource) -> None:
    viewer = VIEWERS[name]
    start = window_start(viewer, resource, NOW)
    long_ago = Item(resource, about=NOW - timedelta(days=400))
    if start is None:
        assert decide(viewer, long_ago, NOW).level is FULL
    else:
        assert decide(viewer, Item(resource, about=start), NOW).level is FULL
        assert decide(viewer, Item(resource, about=start - timedelta(seconds=1)), NOW).level is NONE
    assert window_start(viewer, Resource.ARTICLE, NOW) is None


def test_a_piece_says_who_reads_it_else_its_source_does() -> None:
    assert effective_visibility(None, None) is Visibility.PUBLIC
    assert effective_visibility(None, Visibility.PRO) is Visibility.PRO
    assert effective_visibility(Visibility.PUBLIC, Visibility.PRO) is Visibility.PUBLIC
    assert effective_visibility(Visibility.MEMBERS, None) is Visibility.MEMBERS


def test_quotas_follow_the_plan_in_force() -> None:
    assert request_quota(ANONYMOUS, QuotaSurface.API, NOW)[0] is QuotaTier.ANONYMOUS
    assert request_quota(FREE_KEY, QuotaSurface.API, NOW)[0] is QuotaTier.FREE
    assert request_quota(EXPIRED_PRO, QuotaSurface.PAGES, NOW)[0] is QuotaTier.FREE
    tier, quota = request_quota(PRO_KEY, QuotaSurface.API, NOW)
    free = request_quota(FREE_KEY, QuotaSurface.API, NOW)[1]
    assert tier is QuotaTier.PRO and quota.requests / quota.seconds > free.requests / free.seconds
    tight = AccessPolicy(
        quotas={**DEFAULT_QUOTAS, (QuotaSurface.API, QuotaTier.FREE): Quota(5, 60)}
    )
    assert request_quota(FREE_KEY, QuotaSurface.API, NOW, tight)[1] == Quota(5, 60)


def test_a_preview_shows_derived_text_only_from_before_its_break() -> None:
    assert preview_length(None, 2) == 2 and preview_length(0, 2) == 0 and preview_length(4, 2) == 4
    assert in_preview(TITLE_PARAGRAPH, 0) and in_preview(1, 2) and not in_preview(2, 2)
    assert not in_preview(None, 50)  # recorded before paragraphs were: after the break
    shown = {"summary": "S", "lead": "L"}
    assert shown_summary(full=True, reach=9, length=0, **shown) == "S"
    assert shown_summary(full=False, reach=1, length=2, **shown) == "S"
    assert shown_summary(full=False, reach=2, length=2, **shown) == "L"
    assert shown_summary(full=False, reach=None, length=2, **shown) == "L"
    assert shown_summary(full=False, reach=2, length=0, **shown) == ""


def test_quotas_count_per_key_member_or_address_and_scale() -> None:
    assert quota_counter(ANONYMOUS) is None  # counted per client address by the site
    assert quota_counter(PRO_KEY) == "api key nd_ab12"
    assert quota_counter(FREE) == "member 1"
    assert quota_counter(PRO_FEED) == "member 2"  # a feed token counts as its member
    assert quota_counter(NO_MEMBER) is None
    halved = AccessPolicy(quota_scale=0.5)
    full = DEFAULT_QUOTAS[(QuotaSurface.PAGES, QuotaTier.FREE)]
    assert request_quota(FREE, QuotaSurface.PAGES, NOW, halved)[1] == Quota(
        full.requests // 2, full.seconds
    )
    tiny = AccessPolicy(quota_scale=0.0001)
    assert request_quota(ANONYMOUS, QuotaSurface.API, NOW, tiny)[1].requests == 1
