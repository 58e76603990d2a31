"""`newsdesk demo --site-port N --data-dir D` prints the `digest send` command that reaches it:
the demo's port and data dir live only in its own process, so the README's plain
`newsdesk digest send` wrote digests whose every link pointed at port 8000."""

from __future__ import annotations

import re
import shlex
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from cli_support import Invoke

SITE = "http://127.0.0.1:8141"


def test_printed_digest_command_sends_links_to_the_demo_site(
    newsdesk: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk import bootstrap

    monkeypatch.setattr(bootstrap, "serve_site", lambda *args, **kwargs: None)
    data_dir = tmp_path / "elsewhere"
    demo = newsdesk("demo", "--port", "0", "--site-port", "8141", "--data-dir", str(data_dir))
    assert demo.exit_code == 0, demo.output
    lines = [line for line in demo.output.splitlines() if "digest send" in line]
    assert len(lines) == 1, demo.output
    words = shlex.split(lines[0].split(": ", 1)[1])
    assert words[-2:] == ["digest", "send"]
    env = dict(word.split("=", 1) for word in words if "=" in word)
    assert env == {"NEWSDESK_BASE_URL": SITE, "NEWSDESK_DATA_DIR": str(data_dir.resolve())}

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "readers.csv").write_text("email\nreader@example.org\n", encoding="utf-8")
    assert newsdesk("subscribers", "import", str(tmp_path / "readers.csv")).exit_code == 0
    sent = newsdesk("digest", "send")
    assert sent.exit_code == 0, sent.output
    digests = sorted((data_dir / "mail").glob("*.eml"))
    assert len(digests) == 1
    message = message_from_bytes(digests[0].read_bytes(), policy=policy.default)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    text = part.get_content()
    links = re.findall(r"https?://[^\s>]+", str(text) + str(message["List-Unsubscribe"]))
    assert links and all(link.startswith(f"{SITE}/") for link in links), links


def test_no_settings_to_repeat_when_the_demo_uses_the_defaults(
    newsdesk: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk import bootstrap

    monkeypatch.setattr(bootstrap, "serve_site", lambda *args, **kwargs: None)
    demo = newsdesk("demo", "--port", "0")
    assert demo.exit_code == 0, demo.output
    line = next(line for line in demo.output.splitlines() if "digest send" in line)
    assert line.endswith(": newsdesk digest send"), line
