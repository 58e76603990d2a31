"""Every setting reaches the stage it is for: bootstrap builds options from settings groups
without copying fields by hand, so this checks that no setting is silently dropped."""

from __future__ import annotations

import os
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from newsdesk import bootstrap
from newsdesk.bootstrap.reports import report_pdfs
from newsdesk.config import Settings, load_settings, setting_table
from newsdesk.enrich.sectors.taxonomy import load_taxonomy

# Read where they are used rather than turned into options: the store URL, logging, the
# address `newsdesk serve`/`run` listen on (tested by the CLI tests) and where rate limits
# count (bootstrap.rate_limiter; tests/deliver/test_deliver_behind_proxy.py).
NOT_OPTIONS = {
    "data_dir",
    "database_url",
    "log_level",
    "log_format",
    "serve_host",
    "serve_port",
    "rate_limit_backend",
}


def every_option(settings: Settings) -> list[object]:
    sectors = bootstrap.site_sectors(settings)
    return [
        bootstrap.ingest_options(settings),
        bootstrap.enrich_options(settings),
        bootstrap.site_options(settings, sectors),
        bootstrap.subscribe_options(settings, sectors),
        bootstrap.digest_options(settings, sectors),
        bootstrap.members_options(settings),
        bootstrap.queue_options(settings),
        bootstrap.retention_policy(settings),
        report_pdfs(settings),
    ]


def _special(name: str, tmp_path: Path) -> list[Any]:
    if name == "sector_taxonomy_path":
        shipped = load_taxonomy(None)
        edited = tmp_path / "sectors.toml"
        first = shipped.sectors[0].name
        edited.write_text(shipped.source.replace(f'"{first}"', '"Renamed sector"', 1))
        return [edited]
    if name == "dkim_key_path":
        key = tmp_path / "dkim.pem"
        key.write_bytes(b"-----BEGIN PRIVATE KEY-----\n")
        return [key]
    if name == "sector_model_dir":
        return [tmp_path / "model"]
    if name == "digest_default_time":
        return ["08:15"]
    if name == "trusted_proxies":
        return ["10.0.0.0/8"]
    if name == "queue_tick_seconds":
        return [15]  # a divisor of 60
    if name == "stripe_api_base":
        return ["http://127.0.0.1:12111"]  # stripe-mock's port
    return []


def other_values(name: str, default: Any, annotation: Any, tmp_path: Path) -> list[Any]:
    """Candidate values unlike the default, most likely valid first."""
    special = _special(name, tmp_path)
    if special:
        return special
    literals = (
        typing.get_args(annotation) if typing.get_origin(annotation) is typing.Literal else ()
    )
    if literals:
        return [value for value in literals if value != default]
    if isinstance(default, bool):
        return [not default]
    if isinstance(default, int | float):
        return [default + 1, default - 1]
    if isinstance(default, SecretStr):
        return ["another-secret-value"]
    if isinstance(default, tuple):
        return ["other.example"]
    if isinstance(default, str):
        return [default + " newsdesk/x", "https://other.example"]
    return ["other.example"]


@pytest.mark.parametrize(
    "setting",
    [s for s in setting_table() if s.name not in NOT_OPTIONS],
    ids=lambda setting: setting.name,
)
def test_every_setting_changes_some_options(
    setting: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no newsdesk.toml of the developer's
    for key in [key for key in os.environ if key.upper().startswith("NEWSDESK_")]:
        monkeypatch.delenv(key)
    defaults = load_settings()
    group = getattr(defaults, setting.group)
    info = type(group).model_fields[setting.field]
    baseline = every_option(defaults)
    default = getattr(group, setting.field)
    for value in other_values(setting.name, default, info.annotation, tmp_path):
        try:
            changed = load_settings(**{setting.name: value})
        except ValidationError:
            continue
        assert every_option(changed) != baseline, f"{setting.name} changes no stage's options"
        return
    pytest.fail(f"no other valid value found for {setting.name}")


def test_the_site_name_reaches_the_site_the_sign_up_mails_and_the_digest() -> None:
    settings = load_settings(site_name="Energy Desk")
    sectors = bootstrap.site_sectors(settings)
    assert bootstrap.site_options(settings, sectors).site_name == "Energy Desk"
    assert bootstrap.subscribe_options(settings, sectors).site_name == "Energy Desk"
    assert bootstrap.digest_options(settings, sectors).site_name == "Energy Desk"


def test_the_taxonomy_is_read_once_per_site(monkeypatch, tmp_path: Path) -> None:
    import newsdesk.enrich.sectors.taxonomy as taxonomy

    calls: list[object] = []
    real = taxonomy.load_taxonomy

    def counting(path: Path | None = None) -> Any:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(taxonomy, "load_taxonomy", counting)
    settings = load_settings(data_dir=tmp_path)
    store = bootstrap.open_store(settings)
    try:
        bootstrap.build_site(settings, store)
    finally:
        store.close()
    assert len(calls) == 1
