"""Types shared by the CLI tests (a uniquely named module: test dirs are not packages)."""

from __future__ import annotations

from collections.abc import Callable

from typer.testing import Result

Invoke = Callable[..., Result]
