"""The largest row id lives in one place (newsdesk.domain.paging.MAX_ROW_ID): every check of an id
from outside (paths, signed claims, Stripe metadata, the API's schema) derives from it."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path
from typing import get_args

import pytest
from fastapi.params import Path as PathParam

from newsdesk.domain.paging import MAX_ROW_ID
from newsdesk.members import payments
from newsdesk.members.web.common import RowId
from newsdesk.publish.web.openapi import SOURCE_ID_PATTERN, digits_at_most

SRC = Path(__file__).resolve().parents[2] / "src" / "newsdesk"
HOME = SRC / "domain" / "paging.py"
LIMIT_LITERALS = {"2147483647", "2_147_483_647", "2147483648", "2_147_483_648"}


def _limit_spellings(source: str) -> list[str]:
    """Where code (not comments or docstrings) spells the 32-bit limit: 2**31 or its value."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.STRING)
    ]
    found = []
    for i, token in enumerate(tokens):
        if token.type == tokenize.NUMBER and token.string in LIMIT_LITERALS:
            found.append(f"line {token.start[0]}: {token.string}")
        if (
            token.string == "**"
            and i
            and tokens[i - 1].string == "2"
            and i + 1 < len(tokens)
            and tokens[i + 1].string in ("31", "32")
        ):
            found.append(f"line {token.start[0]}: 2**{tokens[i + 1].string}")
    return found


def test_only_paging_spells_the_row_id_limit() -> None:
    assert _limit_spellings(HOME.read_text(encoding="utf-8")), "the home itself must hold it"
    elsewhere = {
        str(path.relative_to(SRC)): spellings
        for path in sorted(SRC.rglob("*.py"))
        if path != HOME and (spellings := _limit_spellings(path.read_text(encoding="utf-8")))
    }
    assert elsewhere == {}


def test_the_scan_sees_each_spelling() -> None:
    for spelling in ("2**31 - 1", "2 ** 31", "2_147_483_647", "2147483647"):
        assert _limit_spellings(f"X = {spelling}\n"), spelling
    assert not _limit_spellings('"""ids < 2**31"""\n# 2147483647\nY = 2**8\n')


def test_member_row_ids_in_paths_stop_at_the_row_id_limit() -> None:
    (path,) = [m for m in get_args(RowId)[1:] if isinstance(m, PathParam)]
    limits = {type(m).__name__: getattr(m, "le", None) for m in path.metadata}
    assert limits["Le"] == MAX_ROW_ID


@pytest.mark.parametrize(
    ("reference", "member"),
    [(str(MAX_ROW_ID), MAX_ROW_ID), (str(MAX_ROW_ID + 1), None), ("1", 1), ("0", None)],
)
def test_stripe_member_reference_stops_at_the_row_id_limit(
    reference: str, member: int | None
) -> None:
    assert payments.member_of({"client_reference_id": reference}) == member
    assert not hasattr(payments, "MAX_MEMBER_ID")


@pytest.mark.parametrize("limit", [0, 7, 9, 10, 20, 99, 100, 305, 1000, 2024, MAX_ROW_ID])
def test_digits_at_most_matches_exactly_the_numbers_up_to_the_limit(limit: int) -> None:
    pattern = re.compile(digits_at_most(limit))
    width = len(str(limit))
    samples = {0, 1, limit, limit + 1, limit - 1, 10**width, 10 ** (width - 1), 2 * limit + 1}
    samples |= set(range(min(limit, 2100) + 50))
    for number in sorted(n for n in samples if n >= 0):
        for text in {str(number), str(number).zfill(width)}:
            expected = len(text) <= width and number <= limit
            assert bool(pattern.fullmatch(text)) is expected, (limit, text)
    assert not pattern.fullmatch("")


def test_the_api_source_id_pattern_is_derived_from_the_row_id_limit() -> None:
    pattern = re.compile(SOURCE_ID_PATTERN)
    assert pattern.fullmatch(str(MAX_ROW_ID)) and pattern.fullmatch("")
    assert not pattern.fullmatch(str(MAX_ROW_ID + 1))
    assert not pattern.fullmatch("0" + str(MAX_ROW_ID))
