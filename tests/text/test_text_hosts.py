import pytest

from newsdesk.text.hosts import ascii_host


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("my_service.internal", "my_service.internal"),  # ASCII names are only lower-cased
        ("BÜCHER.example", "xn--bcher-kva.example"),
        # IDNA 2008 as browsers open it; Python's "idna" codec (IDNA 2003) gives fass.de
        ("faß.de", "xn--fa-hia.de"),
        ("ＥＸＡＭＰＬＥ.com", "example.com"),  # full-width letters are mapped, as browsers do
        ("例え。テスト", "xn--r8jz45g.xn--zckzah"),  # the ideographic full stop separates labels
        ("例え.テスト.", "xn--r8jz45g.xn--zckzah"),
        ("xn--fa-hia.de", "xn--fa-hia.de"),
    ],
)
def test_hosts_are_spelled_as_dns_and_browsers_spell_them(host: str, expected: str) -> None:
    assert ascii_host(host) == expected


@pytest.mark.parametrize(
    "host", ["bü..example", "ü" * 64 + ".de", "a_b.例え.jp", "bü cher.example", "bü\x00.de"]
)
def test_a_non_ascii_name_idna_refuses_is_a_value_error(host: str) -> None:
    with pytest.raises(ValueError, match="not a host name IDNA can encode"):
        ascii_host(host)
