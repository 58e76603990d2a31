"""Charset detection order: header, then BOM / XML declaration / meta, then a guess."""

from __future__ import annotations

import codecs

import pytest

from newsdesk.fetch.charset import detect_encoding

RUSSIAN = "Привет, мир. Это обычный русский текст для проверки кодировки."


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("text/html; charset=windows-1252", b"<meta charset=utf-8>", "cp1252"),
        ('text/html; charset="UTF-8"', b"", "utf-8"),
        ("text/html; charset=us-ascii", b"abc", "utf-8"),  # ASCII is read as its superset
        ("text/html", codecs.BOM_UTF8 + b"abc", "utf-8-sig"),
        ("text/html", codecs.BOM_UTF16_LE + "abc".encode("utf-16-le"), "utf-16"),
        ("text/html; charset=nonsense", codecs.BOM_UTF8 + b"abc", "utf-8-sig"),
        ("text/html", b"<meta charset=utf-16><p>x</p>", "utf-8"),  # as HTML says
        ("text/xml", b"<?xml version='1.0' encoding='Shift_JIS'?><a/>", "shift_jis"),
        ("text/html", b"<html><body>plain ascii</body></html>", "utf-8"),
        ("text/html", RUSSIAN.encode("cp1251"), "cp1251"),
    ],
)
def test_detect_encoding(content_type: str, body: bytes, expected: str) -> None:
    assert detect_encoding(content_type, body) == expected


def test_utf8_cut_at_the_sample_boundary_is_still_utf8() -> None:
    body = "é".encode() * 40_000  # longer than the 64 KiB sample, which ends mid-character
    assert detect_encoding("text/plain", body[: 64 * 1024 + 1]) == "utf-8"
