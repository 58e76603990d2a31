"""safe_next: where a redirect after a form may go (sign-in's next= goes through it; the
open-redirect cases are tested through that route in tests/members)."""

from __future__ import annotations

import pytest

from newsdesk.domain.redirects import safe_next

OPEN_REDIRECTS = [
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "HTTPS://evil.example",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%0d%0aSet-Cookie:x",
    "/\r\nSet-Cookie: x",
    "/\tevil",
    "/\x00evil",
    "evil.example",
    "/" + "a" * 3000,
    "",
    None,
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_anything_but_a_local_path_gives_the_default(target):
    assert safe_next(target, "/account") == "/account"


@pytest.mark.parametrize(
    "target",
    ["/", "/sectors/oil-gas", "/search?q=a+b&sort=date", "/articles/12#facts", "/a%20b"],
)
def test_local_paths_pass_unchanged(target):
    assert safe_next(target) == target
