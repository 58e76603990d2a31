"""The tables of readers and members: members and their credentials, alerts and webhooks, the
weekly report's ledger, payments and the Pro page's leads. Declared on `schema_base.metadata`
with every other table; import them from `newsdesk.store.schema`."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from newsdesk.store.schema_base import UtcDateTime, metadata

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
    Column("report_mail_off_at", UtcDateTime),  # 0019: NULL while the weekly report email is on
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
    Index(None, "expires_at"),  # migration 0017: retention
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
    Index(None, "at"),  # migration 0017: retention
)

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
