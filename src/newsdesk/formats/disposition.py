"""The one writer of ``Content-Disposition: attachment`` (RFC 6266).

``filename`` is always a safe ASCII name (letters, digits, ``.``, ``_`` and ``-``; accents
folded, anything else a single ``-``), quoted, so no reader has to guess an encoding and no
name can break out of the header or name a path. When the wished-for name is not that ASCII
name, ``filename*`` carries it as UTF-8 (RFC 8187 percent-encoding), which browsers prefer;
slashes, backslashes, control and invisible format characters are replaced there too.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")
# controls, whitespace, path and quote characters, and the invisible format characters
# (bidi overrides such as U+202E show "report\u202efdp.exe" as "reportexe.pdf"; zero-width
# ones hide a second extension) and lone surrogates, which UTF-8 cannot carry
_UNSAFE_ANY = re.compile(
    r'[\x00-\x1f\x7f-\x9f/\\\s"'
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]+"
)
_ATTR_CHARS = "!#$&+-.^_`|~"  # RFC 8187 attr-char besides letters and digits
DEFAULT_NAME = "download"


def ascii_filename(name: str, default: str = DEFAULT_NAME) -> str:
    """The name as safe ASCII: accents folded, each other run of unsafe characters one ``-``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"-+(?=\.)|(?<=\.)-+", "", re.sub(r"-{2,}", "-", _UNSAFE_ASCII.sub("-", folded)))
    safe = safe.strip("-.")
    return safe or default


def attachment(name: str, fallback: str | None = None) -> str:
    """The header value for a download named ``name``; ``fallback`` is the ASCII name to give
    when folding ``name`` to ASCII would lose what it says (a name in another script)."""
    plain = ascii_filename(fallback if fallback is not None else name)
    wished = re.sub(r"-{2,}", "-", _UNSAFE_ANY.sub("-", unicodedata.normalize("NFC", name)))
    wished = wished.strip("-.")
    value = f'attachment; filename="{plain}"'
    if wished and wished != plain:
        value += f"; filename*=UTF-8''{quote(wished, safe=_ATTR_CHARS)}"
    return value
