from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.domain.paging import BadCursorError, Cursor
from newsdesk.domain.urlsafe import b64encode
from newsdesk.publish.web.pagination import (
    clamp_limit,
    cursor_text,
    offset_cursor,
    read_cursor,
    read_offset,
)


def _raw(text: str) -> str:
    return b64encode(text.encode())


def test_cursor_round_trip():
    at = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    for cursor, key_type, id_type in [
        (Cursor(at, 42), datetime, int),
        (Cursor(None, 7), datetime, int),  # an undated article
        (Cursor(-3.25, 9), float, int),  # a relevance score
        (Cursor(at, "agreement:acme-chile"), datetime, str),  # a fact key
    ]:
        text = cursor_text(cursor)
        assert text is not None and text.isascii() and "=" not in text
        assert read_cursor(text, key_type=key_type, id_type=id_type) == cursor
    offset = datetime(2026, 11, 27, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    assert read_cursor(cursor_text(Cursor(offset, 1))) == Cursor(at, 1)
    assert read_cursor(None) is None and read_cursor("") is None and cursor_text(None) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "e30",  # {}
        _raw('{"t":"2026-11-27T07:00:00+00:00","id":1}'),  # the old shape
        _raw('["2026-11-27T07:00:00+00:00"]'),
        _raw('["2026-11-27T07:00:00+00:00",1,2]'),
        _raw('["2026-11-27T07:00:00",1]'),  # a naive time
        _raw('["not a time",1]'),
        _raw("[1.5,1]"),  # a score where a time belongs
        _raw('["2026-11-27T07:00:00+00:00",true]'),
        _raw('["2026-11-27T07:00:00+00:00","1"]'),  # a string id where an int belongs
        _raw('["2026-11-27T07:00:00+00:00",[1]]'),
        _raw('["9999-12-31T23:59:59-14:00",1]'),  # past the calendar's end in UTC
        _raw('["0001-01-01T00:00:00+14:00",1]'),  # before its start
        "a" * 600,
    ],
)
def test_bad_cursor_is_refused(cursor):
    with pytest.raises(BadCursorError):
        read_cursor(cursor)


def test_score_cursor_needs_a_finite_number():
    for raw in ('["1.5",1]', "[null,1]", "[true,1]"):
        with pytest.raises(BadCursorError):
            read_cursor(_raw(raw), key_type=float)
    with pytest.raises(BadCursorError):
        Cursor(float("nan"), 1)


def test_offset_cursor():
    assert read_offset(offset_cursor(40)) == 40 and read_offset(None) == 0
    for bad in (_raw('{"o":-5}'), _raw('{"o":"5"}'), _raw('{"o":5,"x":1}'), "%%%", "e30"):
        with pytest.raises(BadCursorError):
            read_offset(bad)


def test_limit_is_clamped():
    assert clamp_limit(None) == 20
    assert clamp_limit(0) == 1
    assert clamp_limit(10_000) == 100
