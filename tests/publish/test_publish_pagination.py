import pytest
from fastapi import HTTPException

from newsdesk.publish.web.pagination import clamp_limit, decode_cursor, encode_cursor


def test_cursor_round_trip():
    cursor = encode_cursor({"t": "2026-11-27T07:00:00+00:00", "id": 42})
    assert decode_cursor(cursor, fields=("t", "id")) == {"t": "2026-11-27T07:00:00+00:00", "id": 42}
    assert decode_cursor(None, fields=("id",)) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "e30",
        encode_cursor({"id": 1, "x": 2}),
        encode_cursor({"id": [1]}),
        "a" * 600,
        encode_cursor({"id": True}),
    ],
)
def test_bad_cursor_is_a_400(cursor):
    with pytest.raises(HTTPException) as raised:
        decode_cursor(cursor, fields=("id",))
    assert raised.value.status_code == 400


def test_limit_is_clamped():
    assert clamp_limit(None) == 20
    assert clamp_limit(0) == 1
    assert clamp_limit(10_000) == 100
