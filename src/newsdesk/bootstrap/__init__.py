"""All wiring in one place: settings in, configured stages out. Plain functions, no globals.

By concern: ``logging`` (structlog set-up), ``options`` (each stage's options from its settings
group), ``app`` (the web application), ``services`` (store, enrichment, digests, `newsdesk
run`), ``retention`` (`newsdesk db prune` and the daily prune). The CLI imports from here;
stage code is imported inside the functions, so importing this package stays light.
"""

from newsdesk.bootstrap.app import (
    build_site,
    rate_limiter,
    serve_site,
    site_app_from_environment,
)
from newsdesk.bootstrap.checks import (
    PaymentsSetupError,
    UnsafeAdminPasswordError,
    UnsafeSecretKeyError,
    check_start,
    require_safe_admin_password,
    require_safe_secret_key,
    require_usable_payments,
)
from newsdesk.bootstrap.logging import configure_logging
from newsdesk.bootstrap.options import (
    access_policy,
    dedup_options,
    digest_options,
    enrich_options,
    extract_options,
    fetch_options,
    ingest_options,
    mail_drop_dir,
    members_options,
    parse_options,
    payment_options,
    queue_options,
    retention_policy,
    site_options,
    site_sectors,
    smtp_options,
    subscribe_options,
)
from newsdesk.bootstrap.retention import last_retention, prune, prune_daily, retention_cutoffs
from newsdesk.bootstrap.services import (
    digest_run,
    enrich_articles,
    open_store,
    run_digest,
    run_service,
    upgrade_database,
)
from newsdesk.domain.clients import is_loopback_url

__all__ = [
    "PaymentsSetupError",
    "UnsafeAdminPasswordError",
    "UnsafeSecretKeyError",
    "access_policy",
    "build_site",
    "check_start",
    "configure_logging",
    "dedup_options",
    "digest_options",
    "digest_run",
    "enrich_articles",
    "enrich_options",
    "extract_options",
    "fetch_options",
    "ingest_options",
    "is_loopback_url",
    "last_retention",
    "mail_drop_dir",
    "members_options",
    "open_store",
    "parse_options",
    "payment_options",
    "prune",
    "prune_daily",
    "queue_options",
    "rate_limiter",
    "require_safe_admin_password",
    "require_safe_secret_key",
    "require_usable_payments",
    "retention_cutoffs",
    "retention_policy",
    "run_digest",
    "run_service",
    "serve_site",
    "site_app_from_environment",
    "site_options",
    "site_sectors",
    "smtp_options",
    "subscribe_options",
    "upgrade_database",
]
