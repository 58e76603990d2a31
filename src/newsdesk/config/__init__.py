"""Settings: one model of groups per stage (groups.py), read by bootstrap only."""

from newsdesk.config.groups import Flat, SettingsGroup
from newsdesk.config.settings import (
    REDACTED,
    SettingInfo,
    Settings,
    SettingsFileError,
    describe_settings_error,
    load_settings,
    mistyped_settings,
    redact_url,
    setting_help,
    setting_table,
)

__all__ = [
    "REDACTED",
    "Flat",
    "SettingInfo",
    "Settings",
    "SettingsFileError",
    "SettingsGroup",
    "describe_settings_error",
    "load_settings",
    "mistyped_settings",
    "redact_url",
    "setting_help",
    "setting_table",
]
