"""The one settings model: groups per stage (groups.py), each setting also a flat name.

Values come from, highest priority first: keyword arguments, environment variables
``NEWSDESK_<FLAT NAME>``, then an optional ``newsdesk.toml`` (path in ``NEWSDESK_CONFIG``,
default ``./newsdesk.toml``), then the defaults. In newsdesk.toml a setting is either its
flat name at the top (``fetch_host_delay = 2``) or its field in the group's table
(``[fetch]`` ``host_delay = 2``). Stages never read settings: ``bootstrap`` turns each group
into that stage's options.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from newsdesk.config.groups import (
    DigestSettings,
    DkimSettings,
    EnrichSettings,
    FetchSettings,
    Flat,
    IngestSettings,
    LogSettings,
    MailSettings,
    QueueSettings,
    RetentionSettings,
    SecuritySettings,
    ServeSettings,
    SettingsGroup,
    SiteSettings,
    SmtpSettings,
    StoreSettings,
    SubscribeSettings,
)
from newsdesk.config.paid_groups import MembersSettings, PaymentsSettings, ProSettings
from newsdesk.domain.errors import NewsdeskError, describe_problems

ENV_PREFIX = "NEWSDESK_"
REDACTED = "********"


def _config_file() -> Path:
    return Path(os.environ.get("NEWSDESK_CONFIG", "newsdesk.toml"))


class SettingsFileError(NewsdeskError):
    """newsdesk.toml (or the file NEWSDESK_CONFIG names) is there but cannot be read as TOML."""


def _toml_source(settings_cls: type[BaseSettings]) -> TomlConfigSettingsSource:
    path = _config_file()
    try:
        return TomlConfigSettingsSource(settings_cls, toml_file=path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsFileError(
            f"settings file {path} is not valid TOML ({error}): fix it, or point "
            "NEWSDESK_CONFIG at another file"
        ) from error
    except OSError as error:
        raise SettingsFileError(
            f"settings file {path} cannot be read ({error.strerror}): fix it, or point "
            "NEWSDESK_CONFIG at another file"
        ) from error


class Settings(BaseSettings):
    """Every setting, by group: ``settings.fetch.host_delay`` is NEWSDESK_FETCH_HOST_DELAY."""

    model_config = SettingsConfigDict(extra="ignore", validate_default=True, frozen=True)

    store: StoreSettings = Field(default_factory=StoreSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    enrich: EnrichSettings = Field(default_factory=EnrichSettings)
    site: SiteSettings = Field(default_factory=SiteSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    dkim: DkimSettings = Field(default_factory=DkimSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    subscribe: SubscribeSettings = Field(default_factory=SubscribeSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    members: MembersSettings = Field(default_factory=MembersSettings)
    pro: ProSettings = Field(default_factory=ProSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    payments: PaymentsSettings = Field(default_factory=PaymentsSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - replaced by _FlatEnvironment
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - signature set by pydantic
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = _toml_source(settings_cls)
        return (
            _Grouped(settings_cls, init_settings),
            _FlatEnvironment(settings_cls),
            _Grouped(settings_cls, toml),
        )

    def redacted(self) -> dict[str, Any]:
        """Every setting by flat name, secrets (and passwords inside URLs) replaced by a marker."""
        return {
            setting.name: _shown(setting.name, getattr(getattr(self, setting.group), setting.field))
            for setting in setting_table()
        }


@dataclass(frozen=True)
class SettingInfo:
    """One setting: its flat name (NEWSDESK_ + name in upper case), where it lives, its help."""

    name: str
    group: str
    field: str
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


def setting_table() -> list[SettingInfo]:
    """Every setting in group order: the documentation table and `newsdesk config show`."""
    return list(_TABLE.values())


def setting_help() -> dict[str, str]:
    """Flat setting name -> help text."""
    return {setting.name: setting.help for setting in setting_table()}


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and newsdesk.toml; overrides by flat name or by group."""
    return Settings(**overrides)


def describe_settings_error(error: ValidationError) -> str:
    """One line naming each invalid setting by its flat name and environment variable."""
    return describe_problems(error.errors(), where=_where)


# NEWSDESK_ variables that are not settings: the settings file's path, and the test and
# development tools' own (scripts/pg.sh, the test suite, research data).
NOT_SETTINGS = frozenset({"NEWSDESK_CONFIG", "NEWSDESK_SHARED_DIR"})
TOOL_PREFIXES = ("NEWSDESK_TEST_", "NEWSDESK_PG_")


def mistyped_settings(environ: Mapping[str, str]) -> list[str]:
    """One line per NEWSDESK_ variable that names no setting but nearly names one
    (NEWSDESK_SMPT_HOST): it is ignored, which an operator would not otherwise notice."""
    known = [setting.env for setting in setting_table()]
    lines = []
    for name in sorted(environ):
        if (
            not name.startswith(ENV_PREFIX)
            or name in known
            or name in NOT_SETTINGS
            or name.startswith(TOOL_PREFIXES)
        ):
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
        if close:
            lines.append(f"{name} is not a setting and is ignored; did you mean {close[0]}?")
    return lines


def redact_url(url: str) -> str:
    """Hide the password of a URL such as postgresql://user:pw@host/db."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:{REDACTED}@{host}"


def _flat_name(group: type[SettingsGroup], field: str, info: FieldInfo) -> str:
    named = [item.name for item in info.metadata if isinstance(item, Flat)]
    return named[0] if named else group.env_prefix + field


def _settings_of(group_name: str, info: FieldInfo) -> Iterator[SettingInfo]:
    group = info.annotation
    if not (isinstance(group, type) and issubclass(group, SettingsGroup)):
        raise TypeError(f"Settings.{group_name} must be a SettingsGroup")
    for field, field_info in group.model_fields.items():
        yield SettingInfo(
            _flat_name(group, field, field_info), group_name, field, field_info.description or ""
        )


def _build_table() -> dict[str, SettingInfo]:
    table: dict[str, SettingInfo] = {}
    for group_name, info in Settings.model_fields.items():
        for setting in _settings_of(group_name, info):
            if setting.name in table:
                raise TypeError(f"two settings are named {setting.name}")
            table[setting.name] = setting
    return table


_TABLE = _build_table()
_BY_PLACE = {(s.group, s.field): s for s in _TABLE.values()}


def _grouped(values: Mapping[str, Any]) -> dict[str, Any]:
    """Flat names ({"fetch_host_delay": 2}) moved into their group ({"fetch": {…}})."""
    grouped: dict[str, Any] = {}
    for key, value in values.items():
        if key in Settings.model_fields and isinstance(value, Mapping | BaseModel):
            table = value.model_dump() if isinstance(value, BaseModel) else value
            grouped.setdefault(key, {}).update(table)
    for key, value in values.items():
        setting = _TABLE.get(key.lower())
        if setting is not None:
            grouped.setdefault(setting.group, {})[setting.field] = value
        elif key not in grouped:
            grouped[key] = value  # unknown: ignored by Settings (extra="ignore")
    return grouped


class _WholeSource(PydanticBaseSettingsSource):
    """A source whose __call__ reads every value at once (no per-field lookups)."""

    def get_field_value(
        self,
        field: FieldInfo,  # noqa: ARG002 - signature set by pydantic-settings
        field_name: str,
    ) -> tuple[Any, str, bool]:
        return None, field_name, False


class _Grouped(_WholeSource):
    """Another source's values, with flat names moved into their groups."""

    def __init__(self, settings_cls: type[BaseSettings], inner: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self._inner = inner

    def __call__(self) -> dict[str, Any]:
        return _grouped(self._inner())


class _FlatEnvironment(_WholeSource):
    """NEWSDESK_<FLAT NAME> variables (any case), as strings for pydantic to parse."""

    def __call__(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in os.environ.items():
            upper = key.upper()
            if upper.startswith(ENV_PREFIX):
                name = upper.removeprefix(ENV_PREFIX).lower()
                if name in _TABLE:
                    found[name] = value
        return _grouped(found)


def _where(loc: Sequence[Any]) -> str:
    setting = _BY_PLACE.get((str(loc[0]), str(loc[1]))) if len(loc) >= 2 else None
    if setting is None:
        return ".".join(str(part) for part in loc)
    return f"{setting.name} ({setting.env})"


def _shown(name: str, value: Any) -> Any:
    if isinstance(value, SecretStr):
        raw = value.get_secret_value()
        return redact_url(raw) if name == "database_url" else (REDACTED if raw else "")
    if isinstance(value, tuple):
        return ",".join(str(_shown(name, item)) for item in value)
    if isinstance(value, Path):
        return str(value)
    if value is None:
        return ""
    return value
