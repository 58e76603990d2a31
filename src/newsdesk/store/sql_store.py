"""SqlStore: the newsdesk.domain.ports.Store implementation over SQLAlchemy Core."""

from __future__ import annotations

from newsdesk.domain.ports import Store
from newsdesk.store.alert_deliveries_repo import AlertDeliveriesRepository
from newsdesk.store.alerts_repo import AlertsRepository
from newsdesk.store.articles_repo import ArticlesRepository
from newsdesk.store.content_version_repo import ContentVersionRepository
from newsdesk.store.credentials_repo import CredentialsRepository
from newsdesk.store.digest_repo import DigestRepository
from newsdesk.store.engine import create_engine_for
from newsdesk.store.enrichment_repo import EnrichmentRepository
from newsdesk.store.insights_repo import InsightsRepository
from newsdesk.store.leads_repo import LeadsRepository
from newsdesk.store.leases_repo import LeasesRepository
from newsdesk.store.members_repo import MembersRepository
from newsdesk.store.migrate import upgrade_engine
from newsdesk.store.outbox_repo import OutboxRepository
from newsdesk.store.payments_repo import PaymentsRepository
from newsdesk.store.ratelimit_repo import RateLimitRepository
from newsdesk.store.report_outbox_repo import ReportOutboxRepository
from newsdesk.store.reports_repo import ReportsRepository
from newsdesk.store.retention_repo import RetentionRepository
from newsdesk.store.search_repo import SearchRepository
from newsdesk.store.site_repo import SiteRepository
from newsdesk.store.sources_repo import SourcesRepository
from newsdesk.store.subscribers_repo import SubscribersRepository
from newsdesk.store.syndication_repo import SyndicationRepository
from newsdesk.store.trends_repo import TrendsRepository


class SqlStore(
    SourcesRepository,
    ArticlesRepository,
    EnrichmentRepository,
    SearchRepository,
    InsightsRepository,
    SiteRepository,
    SyndicationRepository,
    SubscribersRepository,
    OutboxRepository,
    DigestRepository,
    RateLimitRepository,
    MembersRepository,
    CredentialsRepository,
    ReportsRepository,
    TrendsRepository,
    AlertsRepository,
    AlertDeliveriesRepository,
    ReportOutboxRepository,
    LeasesRepository,
    ContentVersionRepository,
    PaymentsRepository,
    LeadsRepository,
    RetentionRepository,
    Store,
):
    """Sources, fetch log, articles, stories, enrichment in one database; one transaction a call.

    Safe to use from several processes at once (each opens its own SqlStore). Every
    repository is a mixin on StoreBase, whose __init__ (the engine) is the only one.
    """


def open_store(url: str, *, migrate: bool = True) -> SqlStore:
    """A store on the database at url, migrated to the newest schema unless migrate=False."""
    engine = create_engine_for(url)
    if migrate:
        upgrade_engine(engine)
    return SqlStore(engine)
