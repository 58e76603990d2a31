"""The tables, as SQLAlchemy Core metadata. Migrations must produce exactly this."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)

# Stable constraint names, so later migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike.

    SQLite has no time zones, so values are stored as naive UTC there; that keeps string
    comparison and ordering in SQL correct. Naive input is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; use UTC")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - part of the TypeDecorator signature
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData(naming_convention=NAMING_CONVENTION)

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
periodic_runs = Table(
    "periodic_runs",
    metadata,
    Column("job", String(64), primary_key=True),
    Column("period", BigInteger, primary_key=True),  # the period's Unix timestamp
    Column("ran_at", UtcDateTime, nullable=False),
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

# Members (migration 0009). A member row is never deleted: deleting an account erases its
# address (email NULL) and removes its credentials, so ids are never reused.
members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", Text, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_signin_at", UtcDateTime),
    Column("deleted_at", UtcDateTime),
)

# Append-only: rows are inserted, never updated or deleted (domain.members resolves them).
entitlements = Table(
    "entitlements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("source", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("plan", String(16)),
    Column("until", UtcDateTime),
    Column("seats", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("external_ref", Text, unique=True),
    Column("detail", Text, nullable=False),
    Index(None, "member_id", "at"),
)

team_seats = Table(
    "team_seats",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("email", Text, nullable=False),  # "" once the holder deleted their account
    Column("added_at", UtcDateTime, nullable=False),
    Column("added_by", Text, nullable=False),
    Column("removed_at", UtcDateTime),
    Index(None, "owner_id", "removed_at"),
    Index(None, "email", "removed_at"),
)

signin_requests = Table(
    "signin_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("attempt_hash", String(64), nullable=False, unique=True),
    Column("code_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Column("failed_codes", Integer, nullable=False),
    Column("next_path", Text, nullable=False),
    Column("ip", Text),
    Column("outcome", String(40), nullable=False),
    Index(None, "email", "created_at"),
    Index(None, "created_at"),
)

member_sessions = Table(
    "member_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("user_agent", Text, nullable=False),
    Column("ip", Text),
    Index(None, "member_id"),
)

# API keys and private feed tokens: a visible prefix and the hash of the whole secret.
member_tokens = Table(
    "member_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("scope", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    Index(None, "member_id", "kind"),
)
# Alerts (migration 0012). An alert and a webhook endpoint belong to a member (members.id);
# deliveries are the ledger: one row per (alert, article, channel), so each match reaches
# each channel at most once; a webhook's message_id is its webhook-id across retries.
webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("previous_secret", Text, nullable=False),
    Column("previous_until", UtcDateTime),
    Column("payload", String(16), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("disabled_reason", Text),
    Column("failures", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "member_id"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("query", Text, nullable=False),
    Column("sectors", JSON, nullable=False),
    Column("entity_ids", JSON, nullable=False),
    Column("fact_type", String(32)),
    Column("fact_involving", JSON, nullable=False),
    Column("email_mode", String(16), nullable=False),
    Column("webhook_id", Integer, ForeignKey("webhook_endpoints.id", ondelete="SET NULL")),
    Column("feed_prefix", String(16), nullable=False, unique=True),
    Column("feed_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime),
    Index(None, "member_id"),
)

# Articles already matched against the alerts: percolation sees each article once.
percolated_articles = Table(
    "percolated_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("at", UtcDateTime, nullable=False),
)

alert_matches = Table(
    "alert_matches",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("matched_at", UtcDateTime, nullable=False),
    Index(None, "alert_id", "matched_at"),
)

alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("message_id", Text, nullable=False),
    Column("matched_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("endpoint_id", Integer, ForeignKey("webhook_endpoints.id", ondelete="SET NULL")),
    Column("error", Text),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    UniqueConstraint("alert_id", "article_id", "channel"),
    Index(None, "channel", "status", "next_attempt_at"),
    Index(None, "endpoint_id", "updated_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "delivery_id",
        Integer,
        ForeignKey("alert_deliveries.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("endpoint_id", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("status", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Column("manual", Boolean, nullable=False),
    Index(None, "endpoint_id", "at"),
)

Index("ix_enrichments_enriched_at", enrichments.c.enriched_at)  # migration 0012: percolation

# The weekly report email's ledger (migration 0012): one row per member and ISO week.
report_outbox = Table(
    "report_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, nullable=False),
    Column("week", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("message_id", Text),
    Column("subject", Text),
    Column("error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    UniqueConstraint("member_id", "week"),
)

# Payments (migration 0016): each provider event once (the webhook is idempotent by its id),
# customers linked to members, and each subscription's newest state (events arrive in any
# order: domain.payments decides which state is newer). Entitlements stay in `entitlements`.
payment_events = Table(
    "payment_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("provider", String(16), nullable=False),
    Column("event_id", String(255), nullable=False),
    Column("type", String(64), nullable=False),
    Column("created", UtcDateTime, nullable=False),  # when the provider made the event
    Column("received_at", UtcDateTime, nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("member_id", Integer),
    UniqueConstraint("provider", "event_id"),
    Index(None, "received_at"),
)

payment_customers = Table(
    "payment_customers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("provider", String(16), nullable=False),
    Column("customer_id", String(255), nullable=False),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False),
    Column("linked_at", UtcDateTime, nullable=False),
    UniqueConstraint("provider", "customer_id"),
    Index(None, "member_id"),
)

payment_subscriptions = Table(
    "payment_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("provider", String(16), nullable=False),
    Column("subscription_id", String(255), nullable=False),
    Column("customer_id", String(255)),
    Column("member_id", Integer, ForeignKey("members.id")),  # None until the customer is linked
    Column("status", String(32), nullable=False),
    Column("period_end", UtcDateTime),
    Column("cancel_at_period_end", Boolean, nullable=False),
    Column("past_due_since", UtcDateTime),
    Column("observed_at", UtcDateTime, nullable=False),  # the created time of its event
    Column("provisional", Boolean, nullable=False),  # from a checkout, before any own event
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("provider", "subscription_id"),
    Index(None, "member_id"),
    Index(None, "customer_id"),
)

# "Interested in learning more?": the Pro page's lead form (migration 0016).
pro_leads = Table(
    "pro_leads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("company", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("member_id", Integer),  # the signed-in member who sent it, if any
    Column("created_at", UtcDateTime, nullable=False),
    Column("mail_status", String(16), nullable=False),  # pending | sent | failed | off
    Column("mailed_at", UtcDateTime),
    Index(None, "created_at"),
)
