"""What the site needs to know, passed in by bootstrap (the site never reads settings)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SectorInfo:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class SiteOptions:
    site_name: str = "newsdesk insights"
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = "change-me"  # noqa: S105 - bootstrap always passes the configured key
    admin_password: str | None = None  # None: the /admin pages answer 404
    sectors: tuple[SectorInfo, ...] = ()
    default_rights: str = "excerpt"  # for articles without a source: full, excerpt or link
    extra: dict[str, object] = field(default_factory=dict)  # options of routers added by others

    def sector(self, sector_id: str) -> SectorInfo | None:
        return next((s for s in self.sectors if s.id == sector_id), None)
