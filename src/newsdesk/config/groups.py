"""The settings groups, one per stage or concern. Every field has a default and help text.

A field is also a flat setting: its name is the group's ``env_prefix`` plus the field name
(``fetch_`` + ``host_delay`` = ``fetch_host_delay``, read from ``NEWSDESK_FETCH_HOST_DELAY``),
unless ``Flat("…")`` names it otherwise. Flat names are what operators write; never change one.

To add a group: a SettingsGroup subclass here (the paid layer's groups are in
paid_groups.py), then a field of that type on Settings (settings.py). Its environment
variables, its newsdesk.toml table, `newsdesk config show` and the docs test follow from that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, SecretStr

from newsdesk.domain.clients import parse_trusted_proxies
from newsdesk.domain.redirects import safe_next
from newsdesk.domain.signing import SigningKeys
from newsdesk.domain.subscribers import parse_hh_mm


@dataclass(frozen=True)
class Flat:
    """A field's flat setting name, when it is not the group's env_prefix + the field name."""

    name: str


def _comma_separated(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def _hh_mm(value: str) -> str:
    if parse_hh_mm(value) is None:
        raise ValueError("must be a time of day as HH:MM (24 hours)")
    return value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _names_newsdesk(value: str) -> str:
    if "newsdesk" not in value.lower():
        raise ValueError("must say 'newsdesk' so site owners know who calls")
    return value


def _networks(entries: tuple[str, ...]) -> tuple[str, ...]:
    parse_trusted_proxies(entries)  # ValueError naming the entry that is no address
    return entries


CommaSeparated = Annotated[tuple[str, ...], BeforeValidator(_comma_separated)]


def _page_link(value: str) -> str:
    """Empty, an https/http URL with a host, or a path on this site as safe_next reads one:
    never javascript: and the like, nor ``/\\evil.example`` or ``/<tab>/evil.example``,
    which browsers open as ``//evil.example``."""
    value = value.strip()
    if not value:
        return value
    if value.startswith(("https://", "http://")):
        web = urlsplit(value)
        if web.hostname and not any(
            ch.isspace() or ch == "\\" or not ch.isprintable() for ch in value
        ):
            return value
    elif safe_next(value, default="") == value:
        return value
    raise ValueError("must be an https:// URL or a path on this site (/privacy)")


PageLink = Annotated[str, AfterValidator(_page_link)]


def _site_url(value: str) -> str:
    """The site's public URL as links are written from it: http(s), a host, no credentials,
    query or fragment, no spaces; kept without its trailing slash."""
    url = value.strip().rstrip("/")
    web = urlsplit(url)
    if (
        web.scheme in ("http", "https")
        and web.hostname
        and web.username is None
        and not web.query
        and not web.fragment
        and not any(ch.isspace() or ch == "\\" or not ch.isprintable() for ch in url)
    ):
        web.port  # noqa: B018 - a port that is not a number raises ValueError here
        return url
    raise ValueError("must be the site's public http:// or https:// URL (https://news.example.com)")


class SettingsGroup(BaseModel):
    """One group of settings (a table in newsdesk.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
    env_prefix: ClassVar[str] = ""


class StoreSettings(SettingsGroup):
    data_dir: Path = Field(
        Path("newsdesk-data"),
        description="Directory for the embedded SQLite database and other local state.",
    )
    database_url: SecretStr | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the database; unset means SQLite in data_dir. "
            "PostgreSQL: postgresql+psycopg://user:password@host/db (postgres:// too; needs the "
            "[postgres] extra)."
        ),
    )

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url is not None:
            return sqlalchemy_scheme(self.database_url.get_secret_value())
        return f"sqlite:///{(self.data_dir / 'newsdesk.db').resolve()}"


def sqlalchemy_scheme(url: str) -> str:
    """The URL as SQLAlchemy reads it, with the driver newsdesk ships: ``postgres://`` (what
    Heroku, Render, Fly and libpq hand out) is PostgreSQL, which SQLAlchemy knows only as
    ``postgresql``; PostgreSQL without a driver gets psycopg (3), as SQLAlchemy before 2.1
    would pick psycopg2, which the ``postgres`` extra does not install."""
    scheme, separator, rest = url.partition("://")
    backend, plus, driver = scheme.partition("+")
    if not separator or backend.lower() not in {"postgres", "postgresql"}:
        return url
    return f"postgresql+{driver if plus else 'psycopg'}://{rest}"


class LogSettings(SettingsGroup):
    env_prefix = "log_"

    level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)] = Field(
        "INFO", description="Log level: DEBUG, INFO, WARNING or ERROR."
    )
    format: Annotated[Literal["console", "json"], BeforeValidator(_lower)] = Field(
        "console", description="Log format: 'console' for people, 'json' for log collectors."
    )


class FetchSettings(SettingsGroup):
    env_prefix = "fetch_"

    user_agent: Annotated[str, AfterValidator(_names_newsdesk)] = Field(
        "newsdesk/0.1 (+{contact})",
        description="User-Agent sent with every request; {contact} is replaced by "
        "fetch_contact_url.",
    )
    contact_url: str = Field(
        "https://github.com/newsdesk/newsdesk",
        description="Where site owners can reach the operator; included in the User-Agent.",
    )
    host_delay: float = Field(
        1.0, ge=0, description="Seconds to wait between two requests to the same host."
    )
    timeout: float = Field(
        30.0, gt=0, le=30, description="Whole-request deadline in seconds (at most 30)."
    )
    max_bytes: int = Field(
        15 * 1024 * 1024, gt=0, description="Largest body accepted, measured after decompression."
    )
    max_redirects: int = Field(5, ge=0, le=5, description="Redirects followed (at most 5).")
    retries: int = Field(
        2, ge=0, le=5, description="Retries on 5xx, 429 and transient network errors."
    )
    concurrency: int = Field(
        8, ge=1, description="Requests in flight at once across all hosts (one per host)."
    )
    allow_hosts: Annotated[
        CommaSeparated, AfterValidator(lambda hosts: tuple(map(str.lower, hosts)))
    ] = Field(
        (),
        description=(
            "Comma-separated host or host:port entries the SSRF guard lets through even "
            "when they resolve to loopback or private addresses (tests, demo, intranet feeds)."
        ),
    )
    respect_robots: bool = Field(True, description="Honour robots.txt for page fetches.")

    @property
    def resolved_user_agent(self) -> str:
        return self.user_agent.replace("{contact}", self.contact_url)


class IngestSettings(SettingsGroup):
    env_prefix = "ingest_"

    default_interval: Annotated[int, Flat("source_default_interval")] = Field(
        3600, ge=60, description="Default seconds between two fetches of a source."
    )
    workers: int = Field(
        default_factory=lambda: min(2, os.cpu_count() or 1),
        ge=1,
        description="Processes used for extraction during ingest and for the per-article "
        "analysis of large enrichment runs (1 = in process).",
    )


class EnrichSettings(SettingsGroup):
    env_prefix = "sector_"

    taxonomy_path: Path | None = Field(
        None,
        description="An edited copy of the sector taxonomy (TOML); unset uses the shipped one.",
    )
    model_dir: Path | None = Field(
        None,
        description="A trained sector model (`newsdesk sectors train`); unset means zero-shot.",
    )
    embeddings: Annotated[
        Literal["off", "auto", "minilm"], BeforeValidator(_lower), Flat("embeddings")
    ] = Field(
        "off",
        description="Sentence embeddings for sectors and related articles: off | auto (when the "
        "embeddings extra is installed) | minilm (required; errors without the extra).",
    )


class SiteSettings(SettingsGroup):
    base_url: Annotated[str, AfterValidator(_site_url)] = Field(
        "http://127.0.0.1:8000", description="Public URL of the site, used in links and feeds."
    )
    site_name: str = Field("newsdesk insights", description="Name of the site, in pages and feeds.")
    admin_password: SecretStr = Field(
        SecretStr(""),
        description="Password of the /admin pages (user 'admin'), at least 12 characters; "
        "empty disables them.",
    )
    trusted_proxies: Annotated[CommaSeparated, AfterValidator(_networks)] = Field(
        ("127.0.0.1", "::1"),
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed (the client address of rate limits "
        "and consent records, https for the admin pages); empty trusts none.",
    )
    max_body_bytes: int = Field(
        64 * 1024,
        ge=1024,
        le=64 * 1024 * 1024,
        description="Largest request body the site accepts (forms and the JSON API); larger "
        "ones are refused with 413 before they are read.",
    )
    shared_cache_seconds: int = Field(
        30,
        ge=0,
        le=86400,
        description="How long a reverse proxy may serve an anonymous page or API answer "
        "without asking again (Cache-Control s-maxage; browsers always revalidate with the "
        "ETag). Signed-in viewers' answers are private whatever this says; 0 makes proxies "
        "revalidate every time.",
    )
    page_cache_seconds: float = Field(
        30.0,
        ge=0,
        le=3600,
        description="Seconds each web process keeps a rendered anonymous article or sector "
        "page; an edit anywhere (any process, any command) is seen on the next request "
        "anyway, through the database's content version. 0 turns the page cache off.",
    )
    page_cache_megabytes: int = Field(
        32,
        ge=0,
        le=4096,
        description="Memory each web process may use for rendered anonymous pages (least "
        "recently used dropped first); 0 turns the page cache off.",
    )
    report_pdf_cache_megabytes: int = Field(
        256,
        ge=0,
        le=1024 * 1024,
        description="Disk space for rendered report PDFs under data_dir/cache/report-pdfs, "
        "shared by every process (least recently used dropped first); a report is rendered "
        "again only when what it shows changes. 0 turns the PDF cache off.",
    )
    report_pdf_renders: int = Field(
        2,
        ge=1,
        le=64,
        description="Report PDFs each web process renders at once (each takes seconds of CPU).",
    )
    report_pdf_wait_seconds: float = Field(
        3.0,
        ge=0,
        le=60,
        description="How long a PDF request waits for a render slot before it is refused "
        "with 503 and Retry-After.",
    )
    rate_limit_backend: Annotated[
        Literal["auto", "memory", "database"], BeforeValidator(_lower)
    ] = Field(
        "auto",
        description="Where rate-limit counters live: memory (this process), database (shared "
        "by every web process and machine) or auto (database on PostgreSQL or with serve "
        "--workers above 1, memory otherwise).",
    )


class ServeSettings(SettingsGroup):
    env_prefix = "serve_"

    host: str = Field("127.0.0.1", description="Address `newsdesk serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `newsdesk serve` listens on.")


DEFAULT_SECRET_KEY = "change-me"  # noqa: S105 - refused outside loopback (bootstrap.checks)


class SecuritySettings(SettingsGroup):
    secret_key: SecretStr = Field(
        SecretStr(DEFAULT_SECRET_KEY),
        description="Key that signs links in emails and admin form tokens; set a long random "
        "value (serve and run refuse the default, an empty key or one under 32 characters "
        "unless base_url is loopback).",
    )
    secret_keys_previous: Annotated[tuple[SecretStr, ...], BeforeValidator(_comma_separated)] = (
        Field(
            (),
            description="Comma-separated keys that signed before secret_key: still accepted when "
            "verifying, so links already mailed keep working after a key change. Drop one once "
            "nothing it signed is in use.",
        )
    )

    @property
    def signing_keys(self) -> SigningKeys:
        previous = (key.get_secret_value() for key in self.secret_keys_previous)
        return SigningKeys(self.secret_key.get_secret_value(), tuple(k for k in previous if k))


class SmtpSettings(SettingsGroup):
    env_prefix = "smtp_"

    host: str = Field(
        "",
        description="SMTP server host; empty: no server, and every message is written as an "
        ".eml file under data_dir/mail/ instead (listed at /admin/mail).",
    )
    port: int = Field(25, ge=1, le=65535, description="SMTP server port.")
    user: str = Field("", description="SMTP user name; empty means no authentication.")
    password: SecretStr = Field(SecretStr(""), description="SMTP password.")
    tls: Annotated[Literal["none", "starttls", "tls"], BeforeValidator(_lower)] = Field(
        "none", description="SMTP transport security: none, starttls or tls."
    )
    pool_size: int = Field(
        2, ge=1, le=16, description="SMTP connections used at once to send digests."
    )


class DkimSettings(SettingsGroup):
    env_prefix = "dkim_"

    domain: str | None = Field(
        None, description="Domain (d=) of DKIM signatures; unset: messages are not signed."
    )
    selector: str | None = Field(None, description="DKIM selector (s=) of that domain.")
    key_path: Path | None = Field(
        None, description="PEM file of the DKIM private key (RSA or Ed25519)."
    )


class MailSettings(SettingsGroup):
    env_prefix = "mail_"

    sender: Annotated[str, Flat("mail_from")] = Field(
        "Top Insights Today <insights@localhost>", description="From address of emails."
    )
    unsubscribe_address: str | None = Field(
        None,
        description="Mailbox in the mailto: of List-Unsubscribe; unset uses the From address.",
    )


class SubscribeSettings(SettingsGroup):
    env_prefix = "subscribe_"

    policy_version: Annotated[str, Flat("policy_version")] = Field(
        "1", description="Version of the privacy and cookie policy, kept in the consent record."
    )
    terms_version: Annotated[str, Flat("terms_version")] = Field(
        "1", description="Version of the terms, kept in the consent record of each sign-up."
    )
    privacy_url: Annotated[PageLink, Flat("privacy_url")] = Field(
        "",
        description="Your privacy and cookie policy (an https URL or a path such as /privacy), "
        "linked from the sign-up box's consent line; empty: the line names it without a link. "
        "Set it before opening sign-ups to the public.",
    )
    terms_url: Annotated[PageLink, Flat("terms_url")] = Field(
        "", description="Your terms, linked from the consent line as privacy_url is."
    )
    rate_per_ip: int = Field(
        20, ge=1, description="Sign-ups accepted per hour from one IP address."
    )
    rate_per_address: int = Field(
        3, ge=1, description="Sign-ups accepted per hour for one email address."
    )


def _divides_a_minute(value: int) -> int:
    if 60 % value:
        raise ValueError("must divide 60 (1, 2, 3, 5, 10, 15, 20, 30 or 60)")
    return value


class QueueSettings(SettingsGroup):
    """`newsdesk worker` processes and their job queue (PostgreSQL only)."""

    env_prefix = "queue_"

    tick_seconds: Annotated[int, AfterValidator(_divides_a_minute)] = Field(
        30,
        ge=1,
        le=60,
        description="Seconds between two scheduling ticks of the workers (a divisor of 60): "
        "each tick queues a poll of every due source, once however many workers run.",
    )
    concurrency: int = Field(
        4, ge=1, le=64, description="Jobs one `newsdesk worker` process runs at once."
    )
    queues: CommaSeparated = Field(
        (),
        description="Comma-separated queues a `newsdesk worker` takes jobs from (schedule, "
        "poll, enrich, mail); empty: all of them.",
    )
    heartbeat_seconds: float = Field(
        10.0, gt=0, description="How often a worker tells the database it is alive."
    )
    stalled_seconds: float = Field(
        60.0,
        gt=0,
        description="A worker silent this long is presumed dead: its jobs are failed (the "
        "next tick queues their work again), its late writes refused and its database "
        "sessions idle in a transaction this long ended by the server.",
    )
    poll_seconds: float = Field(
        5.0,
        gt=0,
        description="How often an idle worker looks for jobs when no notification came.",
    )
    keep_finished_hours: int = Field(
        72, ge=1, description="Hours finished jobs are kept for `newsdesk workers status`."
    )


class DigestSettings(SettingsGroup):
    env_prefix = "digest_"

    max_stories: int = Field(
        5,
        ge=1,
        le=20,
        description="Stories per digest from the subscriber's sectors (as many again for "
        "watched entities).",
    )
    default_time: Annotated[str, AfterValidator(_hh_mm)] = Field(
        "07:00",
        description="Local delivery time (HH:MM) used when a subscriber's own is missing or "
        "invalid.",
    )
    send_rate: float = Field(
        0.0, ge=0, description="Digests handed to SMTP per second at most; 0 means no limit."
    )
    stale_sending_seconds: float = Field(
        300.0,
        ge=0,
        description="A digest still marked as sending after this many seconds lost its worker: "
        "it is recorded as uncertain and never re-sent automatically.",
    )


class RetentionSettings(SettingsGroup):
    """How long operational and personal rows are kept (`newsdesk db prune`, and once a day
    in `newsdesk run` and the workers). 0 keeps that kind of row forever."""

    env_prefix = "retention_"

    fetch_log_days: int = Field(
        90, ge=0, description="Days the fetch log (one row per fetch) is kept; 0: forever."
    )
    webhook_attempts_days: int = Field(
        90, ge=0, description="Days webhook delivery attempts are kept; 0: forever."
    )
    leads_days: int = Field(
        365,
        ge=0,
        description="Days the Pro page's lead-form messages (name, email, company) are kept; "
        "0: forever.",
    )
    expired_days: int = Field(
        7,
        ge=0,
        description="Days sign-in requests are kept after they were used or expired, and "
        "member sessions after they expired; 0: forever.",
    )
