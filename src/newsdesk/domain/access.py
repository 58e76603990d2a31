"""Who may read what: the one access policy, a pure function every surface asks.

Pages, the API, feeds, search snippets, meta tags, sitemaps, emails, exports, PDFs, caches and
webhooks all call :func:`decide` with the viewer and the item, and send no more than the
decision allows: the full text, a preview (with a call to action to the Pro page), or nothing.
The decision carries its reason, for logs and tests. No I/O here: resolving a session, an API
key or a feed token into a :class:`Viewer` (plan, seat, expiry) is the members package's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Visibility(StrEnum):
    """Who may read an item in full: everyone, signed-in members, or Pro members."""

    PUBLIC = "public"
    MEMBERS = "members"
    PRO = "pro"


class Plan(StrEnum):
    FREE = "free"  # a signed-in member without a paid plan
    PRO = "pro"
    TEAM = "team"  # Pro for the owner and every seat holder

    @property
    def display_name(self) -> str:
        """The plan as people read it ("Pro"); the value stays the key in forms and data."""
        return _PLAN_NAMES[self]


_PLAN_NAMES = {Plan.FREE: "Free", Plan.PRO: "Pro", Plan.TEAM: "Team"}

PAID_PLANS = frozenset({Plan.PRO, Plan.TEAM})


class ViewerKind(StrEnum):
    ANONYMOUS = "anonymous"
    MEMBER = "member"  # a signed-in browser session
    API_KEY = "api_key"  # Authorization: Bearer, on behalf of its member
    FEED_TOKEN = "feed_token"  # noqa: S105 - a kind of viewer: a member's private feed URL


class AccessLevel(StrEnum):
    FULL = "full"
    PREVIEW = "preview"  # what anyone may see, plus a call to action
    NONE = "none"  # nothing of it at all (not even a title)


class Resource(StrEnum):
    """What is being read. ARTICLE covers articles of sources and house pieces alike; the
    others are the analysis a plan unlocks."""

    ARTICLE = "article"
    FACTS_HISTORY = "facts_history"  # facts older than the free window
    FACTS_EXPORT = "facts_export"  # CSV of the facts tracker
    ENTITY_TIMELINE = "entity_timeline"  # an entity's timeline older than the free window
    TRENDS_HISTORY = "trends_history"  # trend weeks older than the free window
    REPORT = "report"  # sector briefings and entity dossiers
    ALERT = "alert"  # alerts, their webhooks and private alert feeds


@dataclass(frozen=True)
class Viewer:
    """Who is asking, with the plan in force when the request was resolved.

    plan is None for anonymous viewers. plan_until is when a time-limited plan (trial,
    complimentary grant, paid period with grace) lapses; the decider treats a lapsed plan as
    free, so a viewer resolved a moment ago cannot outlive its plan.
    """

    kind: ViewerKind = ViewerKind.ANONYMOUS
    member_id: int | None = None
    plan: Plan | None = None
    plan_until: datetime | None = None
    credential: str = ""  # e.g. "session", "api key nd_ab12", for logs; never a secret

    @property
    def signed_in(self) -> bool:
        return self.kind is not ViewerKind.ANONYMOUS and self.member_id is not None


ANONYMOUS = Viewer()


@dataclass(frozen=True)
class Item:
    """What is read: its resource, the visibility of the piece or of its source (for
    ARTICLE), and for the windowed analysis the time it is about."""

    resource: Resource = Resource.ARTICLE
    visibility: Visibility = Visibility.PUBLIC
    about: datetime | None = None  # facts, timeline points, trend weeks: when they happened


class QuotaSurface(StrEnum):
    """What a request quota counts: full-text pages (articles, private feeds) or the API."""

    PAGES = "pages"
    API = "api"


class QuotaTier(StrEnum):
    ANONYMOUS = "anonymous"  # counted per client IP address
    FREE = "free"  # per member (a session or feed token) or per API key
    PRO = "pro"  # per member or per API key, with the paid plan in force


@dataclass(frozen=True)
class Quota:
    """At most `requests` in any `seconds`; a refused request is answered 429 + Retry-After."""

    requests: int
    seconds: int


DEFAULT_QUOTAS: Mapping[tuple[QuotaSurface, QuotaTier], Quota] = {
    (QuotaSurface.PAGES, QuotaTier.ANONYMOUS): Quota(300, 3600),
    (QuotaSurface.PAGES, QuotaTier.FREE): Quota(600, 3600),
    (QuotaSurface.PAGES, QuotaTier.PRO): Quota(3000, 3600),
    # The free API quota: what anonymous callers and free keys get; Pro goes beyond it.
    (QuotaSurface.API, QuotaTier.ANONYMOUS): Quota(100, 3600),
    (QuotaSurface.API, QuotaTier.FREE): Quota(1000, 86400),
    (QuotaSurface.API, QuotaTier.PRO): Quota(100_000, 86400),
}


@dataclass(frozen=True)
class AccessPolicy:
    """The operator's choices (settings); the defaults are the product's."""

    pro_resources: frozenset[Resource] = field(
        default_factory=lambda: frozenset(
            {
                Resource.FACTS_HISTORY,
                Resource.FACTS_EXPORT,
                Resource.ENTITY_TIMELINE,
                Resource.TRENDS_HISTORY,
                Resource.REPORT,
                Resource.ALERT,
            }
        )
    )
    free_facts_window: timedelta = timedelta(days=7)
    free_timeline_window: timedelta = timedelta(weeks=4)
    free_trends_window: timedelta = timedelta(weeks=4)
    # Of a Pro analysis resource, non-Pro viewers see a preview (e.g. a report's title and
    # first points) rather than nothing.
    previewed_resources: frozenset[Resource] = field(
        default_factory=lambda: frozenset({Resource.REPORT})
    )
    # The preview of a piece without an explicit break: its first N paragraphs (0: title only).
    preview_paragraphs: int = 2
    # Requests per viewer tier and surface (see request_quota).
    quotas: Mapping[tuple[QuotaSurface, QuotaTier], Quota] = field(
        default_factory=lambda: dict(DEFAULT_QUOTAS)
    )
    # Every quota's request count times this (at least 1); 0 turns quotas off.
    quota_scale: float = 1.0

    def free_window(self, resource: Resource) -> timedelta | None:
        return {
            Resource.FACTS_HISTORY: self.free_facts_window,
            Resource.ENTITY_TIMELINE: self.free_timeline_window,
            Resource.TRENDS_HISTORY: self.free_trends_window,
        }.get(resource)


@dataclass(frozen=True)
class AccessDecision:
    level: AccessLevel
    reason: str

    @property
    def full(self) -> bool:
        return self.level is AccessLevel.FULL


DEFAULT_POLICY = AccessPolicy()


def plan_in_force(viewer: Viewer, now: datetime) -> Plan | None:
    """The viewer's plan at now: a lapsed paid plan counts as free; anonymous has none."""
    if not viewer.signed_in or viewer.plan is None:
        return None
    if viewer.plan in PAID_PLANS and viewer.plan_until is not None and viewer.plan_until <= now:
        return Plan.FREE
    return viewer.plan


def decide(
    viewer: Viewer, item: Item, now: datetime, policy: AccessPolicy = DEFAULT_POLICY
) -> AccessDecision:
    """How much of item the viewer may read at now, and why."""
    plan = plan_in_force(viewer, now)
    paid = plan in PAID_PLANS
    if item.resource is Resource.ARTICLE:
        return _article(item.visibility, viewer, plan, paid)
    if item.resource not in policy.pro_resources:
        return AccessDecision(AccessLevel.FULL, f"{item.resource} is open to everyone")
    window = policy.free_window(item.resource)
    if window is not None and item.about is not None and item.about >= now - window:
        return AccessDecision(AccessLevel.FULL, f"{item.resource} within the free window")
    if paid:
        return AccessDecision(AccessLevel.FULL, f"{item.resource} with the {plan} plan")
    level = AccessLevel.PREVIEW if item.resource in policy.previewed_resources else AccessLevel.NONE
    return AccessDecision(level, f"{item.resource} needs Pro; {_who(viewer, plan)}")


def _article(
    visibility: Visibility, viewer: Viewer, plan: Plan | None, paid: bool
) -> AccessDecision:
    if visibility is Visibility.PUBLIC:
        return AccessDecision(AccessLevel.FULL, "public")
    if visibility is Visibility.MEMBERS:
        if plan is not None:
            return AccessDecision(AccessLevel.FULL, f"members piece, {_who(viewer, plan)}")
        return AccessDecision(AccessLevel.PREVIEW, "members piece, viewer not signed in")
    if paid:
        return AccessDecision(AccessLevel.FULL, f"pro piece, {_who(viewer, plan)}")
    return AccessDecision(AccessLevel.PREVIEW, f"pro piece, {_who(viewer, plan)}")


def _who(viewer: Viewer, plan: Plan | None) -> str:
    if plan is None:
        return "viewer not signed in"
    lapsed = viewer.plan in PAID_PLANS and plan is Plan.FREE
    suffix = f" ({viewer.plan} lapsed)" if lapsed else ""
    return f"{viewer.kind} {viewer.member_id} on the {plan} plan{suffix}"


def window_start(
    viewer: Viewer, resource: Resource, now: datetime, policy: AccessPolicy = DEFAULT_POLICY
) -> datetime | None:
    """The oldest `about` time of a windowed resource (facts, timelines, trends) the viewer
    reads in full at now: the start of the free window, or None when decide() lets them read
    beyond it (so lists can be cut in the query, in agreement with decide)."""
    window = policy.free_window(resource)
    if window is None:
        return None
    start = now - window
    beyond = Item(resource, about=start - timedelta(microseconds=1))
    return None if decide(viewer, beyond, now, policy).full else start


def effective_visibility(own: Visibility | None, source: Visibility | None) -> Visibility:
    """An article's visibility: its own when set (a house piece, an import), else its source's,
    else public."""
    return own or source or Visibility.PUBLIC


@dataclass(frozen=True)
class ReadScope:
    """What one viewer may read, in the form storage applies it to lists and derived text
    (search hits, entity mentions, facts): the article visibilities decide() answers FULL for,
    and the site's default preview length. Built by read_scope from decide(), never by hand
    from a plan, so the table above stays the one place that decides."""

    full: frozenset[Visibility]
    preview_paragraphs: int = 2

    @property
    def everything(self) -> bool:
        return self.full >= ALL_VISIBILITIES

    def reads(self, visibility: Visibility) -> bool:
        return visibility in self.full


ALL_VISIBILITIES = frozenset(Visibility)


def read_scope(viewer: Viewer, now: datetime, policy: AccessPolicy = DEFAULT_POLICY) -> ReadScope:
    full = frozenset(v for v in Visibility if decide(viewer, Item(visibility=v), now, policy).full)
    return ReadScope(full=full, preview_paragraphs=policy.preview_paragraphs)


# The scope of a reader who may read everything (the site's own jobs, admin pages).
EVERYTHING = ReadScope(full=ALL_VISIBILITIES)


def request_quota(
    viewer: Viewer, surface: QuotaSurface, now: datetime, policy: AccessPolicy = DEFAULT_POLICY
) -> tuple[QuotaTier, Quota]:
    """Which quota a request counts against: anonymous (per IP), free or Pro (per member or
    per API key), with the plan in force at now."""
    plan = plan_in_force(viewer, now)
    if plan is None:
        tier = QuotaTier.ANONYMOUS
    elif plan in PAID_PLANS:
        tier = QuotaTier.PRO
    else:
        tier = QuotaTier.FREE
    quota = policy.quotas[(surface, tier)]
    if policy.quota_scale != 1:
        quota = Quota(max(1, round(quota.requests * policy.quota_scale)), quota.seconds)
    return tier, quota


def quota_counter(viewer: Viewer) -> str | None:
    """What a signed-in viewer's requests count under: the API key for a key, else the
    member (a session and a private feed token share it); None for an anonymous viewer,
    counted per client address."""
    if not viewer.signed_in:
        return None
    if viewer.kind is ViewerKind.API_KEY and viewer.credential:
        return viewer.credential
    return f"member {viewer.member_id}"
