"""House analysis files: front matter (YAML-style or TOML) and the preview marker, with a
clear error for everything a file can get wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.domain.access import Visibility
from newsdesk.sources.house import (
    MAX_PIECE_BYTES,
    HousePieceError,
    has_front_matter,
    parse_house_piece,
    piece_from_fields,
    split_at_marker,
)

PIECE = b"""---
title: "Japan's rare earths pact: what it means for refiners"
author: A. Analyst  # the desk's lead
sectors: [rare-earths-commodities, "mining-metals"]
visibility: Pro
published: 2026-12-01
tags:
  - ignored
---
First paragraph.

<!-- more -->

After the break.
"""


def test_yaml_style_front_matter_gives_every_field() -> None:
    piece = parse_house_piece(PIECE, name="japan-namibia.md")
    assert piece.title == "Japan's rare earths pact: what it means for refiners"
    assert piece.authors == ("A. Analyst",)
    assert piece.sectors == ("rare-earths-commodities", "mining-metals")
    assert piece.visibility is Visibility.PRO
    assert piece.published == datetime(2026, 12, 1, tzinfo=UTC)
    assert piece.slug == "japan-namibia" and piece.url == "house:japan-namibia"
    assert piece.body_format == "markdown"
    assert piece.body.startswith("First paragraph.")


def test_toml_front_matter_and_html_bodies() -> None:
    data = (
        b'+++\ntitle = "T"\nauthors = ["A", "B"]\npublished = 2026-12-01T09:30:00+01:00\n'
        b'slug = "Da Piece!"\n+++\n<p>Body</p>\n'
    )
    piece = parse_house_piece(data, name="piece.html")
    assert piece.authors == ("A", "B") and piece.body_format == "html"
    assert piece.published == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert piece.slug == "da-piece" and piece.visibility is None
    assert has_front_matter(data) and has_front_matter(b"\xef\xbb\xbf---\n")
    assert not has_front_matter(b"<html>")


def test_the_marker_splits_the_body_once() -> None:
    before, after = split_at_marker("a\n\n  <!--MORE-->  \n\nb\n<!-- more -->\nc")
    assert before == "a\n\n" and after is not None and after.strip().startswith("b")
    assert split_at_marker("no marker") == ("no marker", None)
    assert split_at_marker("inline <!-- more --> is no marker")[1] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"no front matter", "must start with front matter"),
        (b"---\ntitle: T\nbody without end", "no closing --- line"),
        (b"---\ntitle: T\nvisibility: vip\n---\nx", "visibility must be public, members or pro"),
        (b"---\ntitle: T\npublished: yesterday\n---\nx", "published must be a date"),
        (b"---\ntitle: T\npublished: 9999-12-31T23:00-05:00\n---\nx", "outside the calendar"),
        (b"+++\ntitle='T'\npublished=0001-01-01T00:00:00+01:00\n+++\nx", "outside the calendar"),
        (b"---\nauthor: A\n---\nx", "a title is required"),
        (b"---\ntitle: T\n---\n   \n", "has no text"),
        (b"---\ntitle: 'T\n---\nx", "open quote"),
        (b"---\ntitle T\n---\nx", "not key: value"),
        (b"+++\ntitle = \n+++\nx", "not valid TOML"),
        (b"---\ntitle: T\n---\n\xff\xfe", "not UTF-8"),
        (b"---\ntitle: T\n---\nx\x00y", "NUL"),
        (b"---\ntitle: T\nslug: '!!!'\n---\nx", "cannot make an address"),
        (b"+++\ntitle = 3\nsectors = 4\n+++\nx", "sectors must be a list"),
        (b"---\ntitle: " + b"x" * 501 + b"\n---\nbody", "at most 500 characters"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(HousePieceError, match=message) as caught:
        parse_house_piece(data, name="bad.md")
    assert str(caught.value).startswith("bad.md: ")


def test_oversized_files_are_refused_before_parsing() -> None:
    with pytest.raises(HousePieceError, match="over 1024 KiB"):
        parse_house_piece(b"---\ntitle: T\n---\n" + b"x" * MAX_PIECE_BYTES, name="big.md")


def test_the_editor_builds_pieces_from_the_same_fields() -> None:
    piece = piece_from_fields(
        {"title": "Élan vital", "sectors": "a, b", "visibility": "members"}, "Body."
    )
    assert piece.slug == "elan-vital" and piece.sectors == ("a", "b")
    assert piece.visibility is Visibility.MEMBERS
