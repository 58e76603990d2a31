"""The sign-up box's consent line links the operator's privacy policy and terms when the
settings name them, names them without a link otherwise, and takes no other kind of link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from newsdesk.bootstrap import build_site
from newsdesk.config import Settings
from newsdesk.store import open_store
from site_fixtures import site_settings


def consent_line(settings: Settings) -> str:
    store = open_store(settings.store.sqlalchemy_url)
    try:
        with TestClient(build_site(settings, store)) as client:
            page = client.get("/")
    finally:
        store.close()
    assert page.status_code == 200
    found = re.search(r'id="subscribe-consent".*?</label>', page.text, re.S)
    assert found, "no consent line on the home page"
    return found.group(0)


def test_the_consent_line_links_the_configured_policy_and_terms(tmp_path: Path) -> None:
    line = consent_line(
        site_settings(tmp_path, privacy_url="https://insights.example/privacy", terms_url="/terms")
    )
    assert '<a href="https://insights.example/privacy" target="_blank" rel="noopener">' in line
    assert '<a href="/terms" target="_blank" rel="noopener">terms</a>' in line


def test_without_settings_the_line_names_them_without_links(tmp_path: Path) -> None:
    line = consent_line(site_settings(tmp_path))
    assert "privacy and cookie policy and terms" in line and "<a " not in line


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "//elsewhere.example/privacy",
        "privacy.html",
        "data:,x",
        # browsers open these as //elsewhere.example (a link off the site)
        "/\\elsewhere.example/privacy",
        "/\t/elsewhere.example/privacy",
        "/%2F%2Felsewhere.example",
        "/%5Celsewhere.example",
        # no host, or a space a browser would send percent-encoded to another name
        "https://",
        "https:///privacy",
        "https://insights.example /privacy",
        "/" + "p" * 5000,
    ],
)
def test_only_web_links_and_site_paths_are_taken(value: str) -> None:
    with pytest.raises(ValidationError, match="privacy_url"):
        Settings(privacy_url=value)
