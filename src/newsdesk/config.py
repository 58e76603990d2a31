"""The one settings model: every field has a default and help text.

Values come from, highest priority first: environment variables ``NEWSDESK_*``, then an
optional ``newsdesk.toml`` (path in ``NEWSDESK_CONFIG``, default ``./newsdesk.toml``), then the
defaults below. Stages never read settings: ``bootstrap`` turns them into per-stage options.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

REDACTED = "********"


def _config_file() -> Path:
    return Path(os.environ.get("NEWSDESK_CONFIG", "newsdesk.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore", validate_default=True)

    data_dir: Path = Field(
        Path("newsdesk-data"),
        description="Directory for the embedded SQLite database and other local state.",
    )
    database_url: SecretStr | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the database; unset means SQLite in data_dir. "
            "PostgreSQL: postgresql+psycopg://user:password@host/db (needs the [postgres] extra)."
        ),
    )
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING or ERROR.")
    log_format: str = Field(
        "console", description="Log format: 'console' for people, 'json' for log collectors."
    )

    fetch_user_agent: str = Field(
        "newsdesk/0.1 (+{contact})",
        description=(
            "User-Agent sent with every request; {contact} is replaced by fetch_contact_url."
        ),
    )
    fetch_contact_url: str = Field(
        "https://github.com/newsdesk/newsdesk",
        description="Where site owners can reach the operator; included in the User-Agent.",
    )
    fetch_host_delay: float = Field(
        1.0, ge=0, description="Seconds to wait between two requests to the same host."
    )
    fetch_timeout: float = Field(
        30.0, gt=0, le=30, description="Whole-request deadline in seconds (at most 30)."
    )
    fetch_max_bytes: int = Field(
        15 * 1024 * 1024, gt=0, description="Largest body accepted, measured after decompression."
    )
    fetch_max_redirects: int = Field(5, ge=0, le=5, description="Redirects followed (at most 5).")
    fetch_retries: int = Field(
        2, ge=0, le=5, description="Retries on 5xx, 429 and transient network errors."
    )
    fetch_concurrency: int = Field(
        8, ge=1, description="Requests in flight at once across all hosts (one per host)."
    )
    fetch_allow_hosts: str = Field(
        "",
        description=(
            "Comma-separated host or host:port entries the SSRF guard lets through even when "
            "they resolve to loopback or private addresses (tests, demo, intranet feeds)."
        ),
    )
    fetch_respect_robots: bool = Field(True, description="Honour robots.txt for page fetches.")

    source_default_interval: int = Field(
        3600, ge=60, description="Default seconds between two fetches of a source."
    )
    ingest_workers: int = Field(
        default_factory=lambda: min(2, os.cpu_count() or 1),
        ge=1,
        description="Processes used for extraction during ingest (1 = in process).",
    )

    sector_taxonomy_path: Path | None = Field(
        None,
        description="An edited copy of the sector taxonomy (TOML); unset uses the shipped one.",
    )
    sector_model_dir: Path | None = Field(
        None,
        description="A trained sector model (`newsdesk sectors train`); unset means zero-shot.",
    )
    embeddings: str = Field(
        "off",
        description="Sentence embeddings for sectors and related articles: off | auto (when the "
        "embeddings extra is installed) | minilm (required; errors without the extra).",
    )

    base_url: str = Field(
        "http://127.0.0.1:8000", description="Public URL of the site, used in links and feeds."
    )
    secret_key: SecretStr = Field(
        SecretStr("change-me"), description="Key for signed links; set a long random value."
    )
    site_name: str = Field("newsdesk insights", description="Name of the site, in pages and feeds.")
    admin_password: SecretStr = Field(
        SecretStr(""),
        description="Password of the /admin pages (user 'admin'); empty disables them.",
    )
    serve_host: str = Field("127.0.0.1", description="Address `newsdesk serve` listens on.")
    serve_port: int = Field(8000, ge=1, le=65535, description="Port `newsdesk serve` listens on.")

    smtp_host: str = Field(
        "",
        description="SMTP server host; empty: no server, and every message is written as an "
        ".eml file under data_dir/mail/ instead (listed at /admin/mail).",
    )
    smtp_port: int = Field(25, description="SMTP server port.")
    smtp_user: str = Field("", description="SMTP user name; empty means no authentication.")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password.")
    smtp_tls: str = Field("none", description="SMTP transport security: none, starttls or tls.")
    mail_from: str = Field(
        "Top Insights Today <insights@localhost>", description="From address of emails."
    )
    smtp_pool_size: int = Field(
        2, ge=1, le=16, description="SMTP connections used at once to send digests."
    )
    digest_max_stories: int = Field(
        5,
        ge=1,
        le=20,
        description="Stories per digest from the subscriber's sectors (as many again for "
        "watched entities).",
    )
    digest_default_time: str = Field(
        "07:00",
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Local delivery time (HH:MM) used when a subscriber's own is missing or "
        "invalid.",
    )
    digest_send_rate: float = Field(
        0.0, ge=0, description="Digests handed to SMTP per second at most; 0 means no limit."
    )
    digest_stale_sending_seconds: float = Field(
        300.0,
        ge=0,
        description="A digest still marked as sending after this many seconds lost its worker: "
        "it is recorded as uncertain and never re-sent automatically.",
    )

    policy_version: str = Field(
        "1", description="Version of the privacy and cookie policy, kept in the consent record."
    )
    terms_version: str = Field(
        "1", description="Version of the terms, kept in the consent record of each sign-up."
    )
    subscribe_rate_per_ip: int = Field(
        20, ge=1, description="Sign-ups accepted per hour from one IP address."
    )
    subscribe_rate_per_address: int = Field(
        3, ge=1, description="Sign-ups accepted per hour for one email address."
    )
    dkim_domain: str | None = Field(
        None, description="Domain (d=) of DKIM signatures; unset: messages are not signed."
    )
    dkim_selector: str | None = Field(None, description="DKIM selector (s=) of that domain.")
    dkim_key_path: Path | None = Field(
        None, description="PEM file of the DKIM private key (RSA or Ed25519)."
    )
    mail_unsubscribe_address: str | None = Field(
        None,
        description="Mailbox in the mailto: of List-Unsubscribe; unset uses the From address.",
    )

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("log_level must be DEBUG, INFO, WARNING or ERROR")
        return value

    @field_validator("fetch_user_agent")
    @classmethod
    def _agent(cls, value: str) -> str:
        if "newsdesk" not in value.lower():
            raise ValueError("fetch_user_agent must say 'newsdesk' so site owners know who calls")
        return value

    @field_validator("smtp_tls")
    @classmethod
    def _tls(cls, value: str) -> str:
        value = value.lower()
        if value not in {"none", "starttls", "tls"}:
            raise ValueError("smtp_tls must be none, starttls or tls")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - signature set by pydantic
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'newsdesk.db').resolve()}"

    @property
    def allow_hosts(self) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in self.fetch_allow_hosts.split(",") if h.strip())

    @property
    def user_agent(self) -> str:
        return self.fetch_user_agent.replace("{contact}", self.fetch_contact_url)

    def redacted(self) -> dict[str, Any]:
        """Every setting with secrets (and passwords inside URLs) replaced by a marker."""
        shown: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                raw = value.get_secret_value()
                shown[name] = (
                    redact_url(raw) if name == "database_url" else (REDACTED if raw else "")
                )
            elif isinstance(value, Path):
                shown[name] = str(value)
            elif value is None:
                shown[name] = ""
            else:
                shown[name] = value
        return shown


def redact_url(url: str) -> str:
    """Hide the password of a URL such as postgresql://user:pw@host/db."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:{REDACTED}@{host}"


def setting_help() -> dict[str, str]:
    """Setting name -> help text, for `config show --help` and the docs test."""
    return {name: f.description or "" for name, f in Settings.model_fields.items()}


def load_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)
