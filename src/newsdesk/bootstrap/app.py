"""The web application: publish's site and API plus deliver's routers, on one store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.bootstrap.checks import check_start
from newsdesk.bootstrap.logging import configure_logging
from newsdesk.bootstrap.options import (
    access_policy,
    dedup_options,
    digest_options,
    enrich_options,
    members_options,
    site_options,
    site_sectors,
    smtp_options,
    subscribe_options,
)
from newsdesk.bootstrap.reports import report_options, report_pdfs
from newsdesk.config import Settings

if TYPE_CHECKING:
    import uvicorn
    from fastapi import APIRouter, FastAPI

    from newsdesk.domain.ratelimit import RateLimiter
    from newsdesk.domain.subscribers import Subscriber
    from newsdesk.members.ports import Mailer
    from newsdesk.members.web import MembersContext
    from newsdesk.pipeline.house import HouseDesk
    from newsdesk.publish.web import SectorInfo
    from newsdesk.store import SqlStore


def build_site(
    settings: Settings, store: SqlStore, *, limiter: RateLimiter | None = None
) -> FastAPI:
    """The site over store: publish.web's app with the subscriber and digest admin routers,
    all counting in one rate limiter (rate_limiter(settings, store) unless one is given)."""
    from newsdesk.deliver.digest_web import build_admin_router as build_digest_admin_router
    from newsdesk.deliver.web import build_router
    from newsdesk.members.viewer import MemberRecipients, MemberViewerResolver
    from newsdesk.members.web import (
        MAX_EVENT_BYTES,
        WEBHOOK_PATH,
        build_members_router,
        build_pro_offer,
    )
    from newsdesk.publish.web import create_app
    from newsdesk.publish.web.reader import reader_viewer
    from newsdesk.publish.web.security import require_admin
    from newsdesk.reports.web import ReportsContext
    from newsdesk.reports.web import build_router as build_reports_router

    sectors = site_sectors(settings)  # the taxonomy is parsed once per app
    limiter = rate_limiter(settings, store) if limiter is None else limiter
    members = members_context(settings, store, limiter)
    reports = ReportsContext(
        store,
        report_options(settings, sectors),
        viewer=reader_viewer,
        policy=access_policy(settings),
        pdfs=report_pdfs(settings),
    )
    routers = [build_reports_router(reports), *alert_routers(settings, store, sectors)]
    return create_app(
        store,
        site_options(settings, sectors),
        routers=[
            build_router(
                subscribe_options(settings, sectors), store, require_admin, limiter, reader_viewer
            ),
            build_digest_admin_router(
                digest_options(settings, sectors),
                store,
                require_admin,
                recipients=MemberRecipients(store),
            ),
            build_members_router(members, require_admin),
            *routers,
        ],
        template_packages=[
            "newsdesk.deliver.web",
            "newsdesk.members.web",
            "newsdesk.reports",
            "newsdesk.alerts.web",
        ],
        limiter=limiter,
        viewer_resolver=MemberViewerResolver(store, members.options),
        house=house_desk(settings, store, sectors),
        pro_offer=build_pro_offer(members),
        body_limits={WEBHOOK_PATH: MAX_EVENT_BYTES} if members.payments else None,
    )


def house_desk(settings: Settings, store: SqlStore, sectors: tuple[SectorInfo, ...]) -> HouseDesk:
    """The house analysis editor's back end: a saved piece is enriched at once, in this
    process (that piece only: a backlog is the ingest schedule's work)."""
    from newsdesk.pipeline.enrich import Enricher
    from newsdesk.pipeline.house import HouseDesk

    return HouseDesk(
        store,
        site_name=settings.site.site_name,
        sector_ids=[sector.id for sector in sectors],
        dedup_options=dedup_options(settings),
        enrich=lambda ids: Enricher(store, enrich_options(settings)).run(ids),
        default_preview=settings.pro.preview_paragraphs,
    )


def rate_limiter(settings: Settings, store: SqlStore) -> RateLimiter:
    """The app's one rate limiter: in memory for one process on SQLite, in the database when
    several web processes (or machines, on PostgreSQL) must share the counts."""
    from newsdesk.domain.ratelimit import MemoryRateLimiter

    backend = settings.site.rate_limit_backend
    if backend == "auto":
        backend = "memory" if store.engine.dialect.name == "sqlite" else "database"
    return store.rate_limiter() if backend == "database" else MemoryRateLimiter()


def members_context(settings: Settings, store: SqlStore, limiter: RateLimiter) -> MembersContext:
    """What the member pages share: their options, the store, the app's rate limiter, how they
    send mail, and the preference-centre links of the digest (deliver signs them; members
    cannot import it)."""
    from newsdesk.deliver.links import links_for
    from newsdesk.members.web import MembersContext

    mail = settings.mail
    base_url = settings.site.base_url
    keys = settings.security.signing_keys

    def preferences_url(subscriber: Subscriber) -> str:
        if subscriber.id is None:
            raise ValueError("links need a stored subscriber")
        mailbox = mail.unsubscribe_address or mail.sender
        links = links_for(base_url, keys, subscriber.id, mailbox, version=subscriber.token_version)
        return links.preferences

    options = members_options(settings)
    payments = None
    if options.payments.enabled:
        from newsdesk.members.stripe_gateway import StripeGateway

        payments = StripeGateway(options.payments)
    return MembersContext(
        store=store,
        options=options,
        mailer=members_mailer(settings),
        limiter=limiter,
        digest_links=preferences_url,
        payments=payments,
    )


def members_mailer(settings: Settings) -> Mailer:
    """Members' transactional mail (sign-in, seats, leads for sales): the configured SMTP
    server or the mail folder, one connection per message, like sign-up confirmations."""
    import logging

    from newsdesk.formats.mail import WireMessageBuilder
    from newsdesk.mail.outgoing import send_one
    from newsdesk.mail.smtp import SendOutcome

    options = smtp_options(settings)
    builder = WireMessageBuilder(settings.mail.sender)
    log = logging.getLogger("newsdesk.members.mail")

    def send(
        recipient: str, subject: str, text: str, html: str, *, reply_to: str | None = None
    ) -> bool:
        headers = {"Auto-Submitted": "auto-generated"}
        if reply_to:
            headers["Reply-To"] = reply_to
        message = builder.build(
            recipient=recipient, subject=subject, text=text, html=html, headers=headers
        )
        result = send_one(options, message)
        if result.outcome is not SendOutcome.SENT:
            log.warning("member email not sent: %s %s", result.outcome, result.code)
        return result.outcome is SendOutcome.SENT

    return send


def site_app_from_environment() -> FastAPI:
    """The site for one uvicorn worker process: settings from the environment, its own store."""
    from newsdesk.bootstrap.services import open_store

    settings = Settings()
    configure_logging(settings.log)
    check_start(settings)
    return build_site(settings, open_store(settings, migrate=False))


def serve_site(
    settings: Settings, store: SqlStore, *, host: str, port: int, workers: int = 1
) -> None:
    """Run the site with uvicorn until interrupted (Ctrl-C or SIGTERM shut it down cleanly).

    With workers > 1 uvicorn starts that many processes; each builds the app with
    site_app_from_environment, as a store cannot be shared across processes.
    """
    import os

    import uvicorn

    check_start(settings)
    if workers > 1:
        if settings.site.rate_limit_backend == "auto":
            # The workers are separate processes: they must count in the shared database.
            os.environ["NEWSDESK_RATE_LIMIT_BACKEND"] = "database"
        uvicorn.run(
            f"{__name__}:site_app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=False,
        )
        return
    uvicorn.Server(uvicorn_config(build_site(settings, store), host=host, port=port)).run()


def uvicorn_config(app: FastAPI, *, host: str, port: int) -> uvicorn.Config:
    import uvicorn

    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )


def alert_routers(
    settings: Settings, store: SqlStore, sectors: tuple[SectorInfo, ...]
) -> list[APIRouter]:
    """The alerts' account pages and private feeds, when the store has members to own them."""
    from newsdesk.alerts.web import (
        AccountContext,
        AlertsWebContext,
        MailOffContext,
        build_account_router,
        build_feed_router,
        build_mail_off_router,
    )
    from newsdesk.bootstrap.alerts import AlertsUnavailableError, alert_owners
    from newsdesk.domain.models import utcnow
    from newsdesk.publish.web.reader import reader_viewer

    try:
        owners = alert_owners(store)
    except AlertsUnavailableError:
        return []
    site = settings.site
    policy = access_policy(settings)
    sector_names = {sector.id: sector.name for sector in sectors}
    feeds = AlertsWebContext(
        store,
        owners,
        site.base_url,
        site.site_name,
        clock=utcnow,
        policy=policy,
        sector_names=sector_names,
    )
    account = AccountContext(
        store=store,
        owners=owners,
        viewer=reader_viewer,
        signing=settings.security.signing_keys,
        base_url=site.base_url,
        sectors=tuple((sector.id, sector.name) for sector in sectors),
        allow_hosts=settings.fetch.allow_hosts,
        clock=utcnow,
        policy=policy,
    )
    mail_off = MailOffContext(
        store, settings.security.signing_keys, clock=utcnow, sector_names=sector_names
    )
    return [
        build_feed_router(feeds),
        build_account_router(account),
        build_mail_off_router(mail_off),
    ]
