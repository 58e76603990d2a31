"""Content-Disposition for downloads (RFC 6266): a safe quoted ASCII filename always, the
wished-for name as UTF-8 filename* when it differs; nothing can break out of the header."""

from __future__ import annotations

import re

import pytest

from newsdesk.formats.disposition import ascii_filename, attachment

HEADER = re.compile(r'attachment; filename="[A-Za-z0-9._-]+"(; filename\*=UTF-8\'\'[^\s";]+)?')


@pytest.mark.parametrize(
    ("name", "fallback", "expected"),
    [
        ("facts.csv", None, 'attachment; filename="facts.csv"'),
        (
            "dossier-Société Générale-2026-11-09-to-2026-12-06.pdf",
            None,
            'attachment; filename="dossier-Societe-Generale-2026-11-09-to-2026-12-06.pdf"; '
            "filename*=UTF-8''dossier-Soci%C3%A9t%C3%A9-G%C3%A9n%C3%A9rale-2026-11-09-to-2026-12-06.pdf",
        ),
        (
            "dossier-三菱商事-2026-12-01-to-2026-12-06.pdf",
            "dossier-org-mitsubishi-2026-12-01-to-2026-12-06.pdf",
            'attachment; filename="dossier-org-mitsubishi-2026-12-01-to-2026-12-06.pdf"; '
            "filename*=UTF-8''dossier-%E4%B8%89%E8%8F%B1%E5%95%86%E4%BA%8B-2026-12-01-to-2026-12-06.pdf",
        ),
        ('a"b\r\nSet-Cookie: x=1.pdf', None, None),
        ("../../etc/passwd", None, None),
        ("", None, 'attachment; filename="download"'),
        ("ÆØÅ", None, None),
        # bidi overrides and zero-width characters disguise an extension: "report<RLO>fdp.exe"
        # shows as "reportexe.pdf"; a lone surrogate cannot be written as UTF-8 at all
        (
            "report\u202efdp.exe",
            None,
            "attachment; filename=\"reportfdp.exe\"; filename*=UTF-8''report-fdp.exe",
        ),
        ("facts.csv\u200b.exe", None, None),
        ("\u2066dossier\u2069.pdf", None, None),
        ("\ufeffname\u00ad.csv", None, None),
        ("\ud800.csv", None, 'attachment; filename="csv"'),
    ],
)
def test_attachment_headers(name: str, fallback: str | None, expected: str | None) -> None:
    value = attachment(name, fallback)
    if expected is not None:
        assert value == expected
    assert HEADER.fullmatch(value), value
    assert "\r" not in value and "\n" not in value and "/" not in value.split("''")[-1]
    assert value.isascii()
    assert not re.search("%E2%80%(8[B-F]|A[A-E])|%E2%81%A[6-9]|%EF%BB%BF|%C2%AD", value), value


def test_ascii_filename_folds_accents_and_never_names_a_path() -> None:
    assert ascii_filename("Zürich  report (draft).pdf") == "Zurich-report-draft.pdf"
    assert ascii_filename("../..") == "download"
    assert ascii_filename("中文", default="") == ""
