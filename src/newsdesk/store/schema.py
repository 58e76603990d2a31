"""The tables, as SQLAlchemy Core metadata. Migrations must produce exactly this.

Sources, articles, stories, enrichment, roll-ups, the digest and what several processes share
are declared here; readers', members', alerts' and payments' tables in `schema_accounts`
(re-exported below, so every table is still `newsdesk.store.schema.<name>`)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from newsdesk.store.schema_base import NAMING_CONVENTION, UtcDateTime, metadata

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("interval_seconds", Integer, nullable=False),
    Column("feed_only", Boolean, nullable=False),
    Column("weight", Float, nullable=False),
    Column("rights", String(16), nullable=False, server_default="excerpt"),  # migration 0003
    Column("visibility", String(16), nullable=False, server_default="public"),  # migration 0011
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_fetch_at", UtcDateTime),
    Column("last_attempt_at", UtcDateTime),
    Column("last_success_at", UtcDateTime),
    Column("consecutive_failures", Integer, nullable=False),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "enabled", "next_fetch_at"),
)

fetch_attempts = Table(
    "fetch_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE")),
    Column("url", Text, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("status", Integer),
    Column("bytes", Integer, nullable=False),
    Column("duration_seconds", Float, nullable=False),
    Column("error", Text),
    Index(None, "source_id", "started_at"),
    Index(None, "started_at"),
)

# Migration 0013: what processes on several machines share through the database.
# A poll of a source takes the next generation; its writes are refused once a later poll of
# the source took another (a worker presumed dead cannot write late).
poll_leases = Table(
    "poll_leases",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("generation", Integer, nullable=False),
    Column("holder", Text, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
)

# One request at a time per host (host:port), and the configured delay between two, for every
# fetching process: a request claims the host until next_allowed_at, which its end moves to
# end + delay. A claimer that dies leaves the claim to expire after the request deadline.
host_leases = Table(
    "host_leases",
    metadata,
    Column("host", Text, primary_key=True),
    Column("next_allowed_at", UtcDateTime, nullable=False),
    Column("holder", Text, nullable=False),
)

# The periods a periodic job ran for: procrastinate defers a periodic job once per period,
# except that its clean-up of older periods lets a deferrer late by a moment defer an older
# period again; the job claims its period here first, so it runs at most once for each.
# A job that reports its outcome (the retention prune) sets finished_at and result when done.
periodic_runs = Table(
    "periodic_runs",
    metadata,
    Column("job", String(64), primary_key=True),
    Column("period", BigInteger, primary_key=True),  # the period's Unix timestamp
    Column("ran_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("result", JSON, nullable=True),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("first_seen_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("summary", Text, nullable=False, server_default=""),  # migration 0005
    Index(None, "last_seen_at"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text, nullable=False, unique=True),
    Column("guid", Text),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False),
    Column("authors", JSON, nullable=False),
    Column("published", UtcDateTime),
    Column("updated", UtcDateTime),
    Column("language", String(35)),
    Column("site_name", Text),
    Column("image", Text),
    Column("content_hash", String(128), nullable=False),
    Column("fingerprint", LargeBinary),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    Column("fetched_at", UtcDateTime),
    Column("revised_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("extra", JSON, nullable=False),
    # migration 0011: NULL visibility is the source's; NULL preview_paragraphs the default
    Column("visibility", String(16)),
    Column("preview_paragraphs", Integer),
    Index(None, "source_id"),
    Index(None, "content_hash"),
    Index(None, "story_id"),
    Index(None, "published"),
    Index(None, "visibility"),
)

# One feed item per source: GUIDs are only unique within the feed that issued them.
Index(
    "uq_articles_source_id_guid",
    articles.c.source_id,
    articles.c.guid,
    unique=True,
    sqlite_where=articles.c.guid.is_not(None),
    postgresql_where=articles.c.guid.is_not(None),
)

# Enrichment (migration 0002). Every row hangs off its article and goes with it.
enrichments = Table(
    "enrichments",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("version", Text, nullable=False),
    Column("language", String(35)),
    Column("summary", Text, nullable=False),
    Column("enriched_at", UtcDateTime, nullable=False),
    Column("summary_reach", Integer),  # migration 0011
    Column("lead", Text, nullable=False, server_default=""),  # migration 0011
)
Index("ix_enrichments_enriched_at", enrichments.c.enriched_at)  # migration 0012: percolation

article_sectors = Table(
    "article_sectors",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("sector_id", Text, primary_key=True),
    Column("by_editor", Boolean, primary_key=True),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),
    Index(None, "sector_id", "score"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("first_seen_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Index(None, "type"),  # migration 0007
)

entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "entity_id",
        Text,
        ForeignKey("entities.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("text", Text, nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("field", String(16), nullable=False),
    Column("role", Text),
    Column("paragraph", Integer),  # migration 0011; -1: the title
    Index(None, "article_id"),
    Index(None, "entity_id", "article_id"),  # migration 0006
)

facts = Table(
    "facts",
    metadata,
    Column("key", Text, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("data", JSON, nullable=False),
    Column("first_seen_at", UtcDateTime, nullable=False),
    Index(None, "type"),
)

# Where each article states a fact; a fact's first report is its source of lowest article id.
fact_sources = Table(
    "fact_sources",
    metadata,
    Column(
        "fact_key",
        Text,
        ForeignKey("facts.key", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("sentence", Text, nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("paragraph", Integer),  # migration 0011
    Index(None, "article_id"),
)

related_articles = Table(
    "related_articles",
    metadata,
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "related_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("rank", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Index(None, "related_id"),
)

# Roll-ups of the analysis pages (migration 0007), kept in step by every enrichment write,
# editor correction and article deletion (store/rollups.py): dated articles per week for each
# sector (kind "sector") and entity (kind "entity"), and mentions and articles per entity.
weekly_counts = Table(
    "weekly_counts",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("week", Date, primary_key=True),
    Column("articles", Integer, nullable=False),
    Index(None, "kind", "week"),
)

entity_counts = Table(
    "entity_counts",
    metadata,
    Column(
        "entity_id",
        Text,
        ForeignKey("entities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("mentions", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Index(None, "mentions"),
    Index(None, "articles"),
)

# Each fact's first report (its source of lowest article id), that article's time (published,
# else stored) and how many articles state the fact: the order and columns of /facts.
fact_reports = Table(
    "fact_reports",
    metadata,
    Column("fact_key", Text, ForeignKey("facts.key", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("reported", UtcDateTime, nullable=False),
    Column("sources", Integer, nullable=False),
    Index(None, "reported", "fact_key"),
)

# Subscribers and the digest (migration 0003).
subscribers = Table(
    "subscribers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", Text, nullable=False, unique=True),
    Column("status", String(16), nullable=False),
    Column("sectors", JSON, nullable=False),
    Column("entities", JSON, nullable=False),
    Column("delivery_time", String(5), nullable=False),
    Column("timezone", Text, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("confirm_nonce", Text),
    Column("confirm_sent_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("confirmed_at", UtcDateTime),
    Column("unsubscribed_at", UtcDateTime),
    Column("suppressed_reason", Text),
    Column("token_version", Integer, nullable=False, server_default=text("0")),  # 0010
    Index(None, "status"),
)

# Append-only: rows are inserted, never updated or deleted (the subscriber row may go).
consent_events = Table(
    "consent_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscriber_id", Integer, nullable=False),
    Column("email", Text, nullable=False),
    Column("action", String(16), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("policy_version", Text, nullable=False),
    Column("terms_version", Text, nullable=False),
    Column("ip", Text),
    Column("form", Text, nullable=False),
    Column("detail", JSON, nullable=False),
    Index(None, "subscriber_id"),
)

digest_outbox = Table(
    "digest_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "subscriber_id",
        Integer,
        ForeignKey("subscribers.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("digest_date", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("message_id", Text),
    Column("subject", Text),
    Column("error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    UniqueConstraint("subscriber_id", "digest_date"),
    Index(None, "digest_date", "status"),
)

# Rate-limit counters shared by every web process (migration 0008): hits per limit name,
# hashed key and fixed window. Rows expire after two windows and are pruned as hits come.
rate_counters = Table(
    "rate_counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("window_start", BigInteger, primary_key=True),
    Column("hits", Integer, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Index(None, "expires_at"),
)

# Declared after the tables above so that the metadata lists tables in the order it always has.
from newsdesk.store.schema_accounts import (  # noqa: E402
    alert_deliveries,
    alert_matches,
    alerts,
    entitlements,
    member_sessions,
    member_tokens,
    members,
    payment_customers,
    payment_events,
    payment_subscriptions,
    percolated_articles,
    pro_leads,
    report_outbox,
    signin_requests,
    team_seats,
    webhook_attempts,
    webhook_endpoints,
)

__all__ = [
    "NAMING_CONVENTION",
    "UtcDateTime",
    "alert_deliveries",
    "alert_matches",
    "alerts",
    "article_sectors",
    "articles",
    "consent_events",
    "digest_outbox",
    "enrichments",
    "entities",
    "entitlements",
    "entity_counts",
    "entity_mentions",
    "fact_reports",
    "fact_sources",
    "facts",
    "fetch_attempts",
    "host_leases",
    "member_sessions",
    "member_tokens",
    "members",
    "metadata",
    "payment_customers",
    "payment_events",
    "payment_subscriptions",
    "percolated_articles",
    "periodic_runs",
    "poll_leases",
    "pro_leads",
    "rate_counters",
    "related_articles",
    "report_outbox",
    "signin_requests",
    "sources",
    "stories",
    "subscribers",
    "team_seats",
    "webhook_attempts",
    "webhook_endpoints",
    "weekly_counts",
]
