"""What the site needs to know, passed in by bootstrap (the site never reads settings)."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsdesk.domain.access import DEFAULT_POLICY, AccessPolicy
from newsdesk.domain.signing import SigningKeys


@dataclass(frozen=True)
class SectorInfo:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class ProOptions:
    """The Pro page and the calls to action that lead to it (settings, group "pro")."""

    headline: str = "Elevate your business with Pro!"
    pitch: str = "Gain access to comprehensive analysis, in-depth reports and market trends."
    call_to_action: str = "Interested in learning more?"
    includes: tuple[str, ...] = (
        "The full text of Pro analysis and Pro sources",
        "The facts tracker beyond the last 7 days, and its CSV export",
        "Full entity timelines and trends beyond 4 weeks",
        "The API beyond the free quota",
        "Weekly sector briefings and entity dossiers: pages, PDFs and a Monday email",
        "Alerts on searches, entities, sectors and facts: by email, webhook or private feed",
    )
    price: str = ""  # e.g. "€49 a month"; empty: "talk to us"
    checkout: bool = False  # Stripe Checkout is configured: sign up on the page


@dataclass(frozen=True)
class SiteOptions:
    site_name: str = "newsdesk insights"
    base_url: str = "http://127.0.0.1:8000"
    # bootstrap passes the configured keys; this default only serves tests on loopback
    signing: SigningKeys = field(default_factory=lambda: SigningKeys("change-me"))
    admin_password: str | None = None  # None: the /admin pages answer 404
    sectors: tuple[SectorInfo, ...] = ()
    default_rights: str = "excerpt"  # for articles without a source: full, excerpt or link
    # Proxies whose X-Forwarded-For / -Proto are believed (addresses or networks).
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")
    max_body_bytes: int = 64 * 1024  # largest request body (forms and the JSON API); 413 above
    policy: AccessPolicy = DEFAULT_POLICY  # who may read what (domain.access)
    pro: ProOptions = field(default_factory=ProOptions)
    # HTTP caching (publish/web/caching.py): how long a reverse proxy may keep an anonymous
    # page (s-maxage; 0: revalidate every time), and the rendered anonymous article and
    # sector pages each web process keeps (seconds; megabytes, 0 turns that cache off).
    shared_cache_seconds: int = 30
    page_cache_seconds: float = 30.0
    page_cache_megabytes: int = 32
    # The sign-up box's consent line links these when set (settings privacy_url, terms_url).
    privacy_url: str = ""
    terms_url: str = ""
    extra: dict[str, object] = field(default_factory=dict)  # options of routers added by others

    def sector(self, sector_id: str) -> SectorInfo | None:
        return next((s for s in self.sectors if s.id == sector_id), None)
