"""Small helpers shared by the command modules: settings, output and error reporting."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from newsdesk.config import Settings
    from newsdesk.domain.access import Visibility
    from newsdesk.store import SqlStore

T = TypeVar("T")


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def settings(**overrides: Any) -> Settings:
    """The settings (with overrides by flat name), logging configured from them; invalid
    values or an unreadable settings file are one line."""
    from pydantic import ValidationError

    from newsdesk.bootstrap import configure_logging
    from newsdesk.config import (
        SettingsFileError,
        describe_settings_error,
        load_settings,
        mistyped_settings,
    )

    for line in mistyped_settings(os.environ):
        typer.echo(f"warning: {line}", err=True)
    try:
        loaded = load_settings(**overrides)
    except ValidationError as error:
        fail(f"invalid settings: {describe_settings_error(error)}")
    except SettingsFileError as error:
        fail(str(error))
    configure_logging(loaded.log)
    return loaded


@contextmanager
def opened_store(config: Settings, *, existing: bool = False) -> Iterator[SqlStore]:
    """The store; ``existing`` for commands that only read (list, show, export, status): they
    fail in one line when there is no database instead of creating an empty one."""
    from newsdesk.bootstrap import open_store

    store = guarded(lambda: open_store(config, existing=existing))
    try:
        yield store
    except Exception as error:  # what the command's body does with the store, like guarded()
        fail_expected(error)
    finally:
        store.close()


def check_format(value: str, *allowed: str) -> str:
    """--format: one of the formats the command writes; anything else is a clear error."""
    if value not in allowed:
        fail(f"--format must be {', '.join(allowed[:-1])} or {allowed[-1]}, not {value!r}")
    return value


def parse_visibility(value: str) -> Visibility:
    """--visibility: public, members or pro; anything else is a clear error."""
    from newsdesk.domain.access import Visibility

    try:
        return Visibility(value.strip().lower())
    except ValueError:
        fail("--visibility must be public, members or pro")


def guarded(action: Callable[[], T]) -> T:
    """Run an action and turn expected failures into one clear line and exit code 1."""
    try:
        return action()
    except Exception as error:
        fail_expected(error)


def fail_expected(error: Exception) -> NoReturn:
    """The one line for a failure a command can expect (newsdesk's own errors, the database's,
    the file system's, a number too large for the database); anything else is re-raised."""
    from sqlalchemy.exc import SQLAlchemyError

    from newsdesk.domain import NewsdeskError

    if isinstance(error, NewsdeskError):
        fail(str(error))
    if isinstance(error, SQLAlchemyError) and "database is locked" in str(error):
        fail(
            "database is locked: another process has held a write transaction for longer "
            "than newsdesk waits; try again once it has finished (nothing was changed)"
        )
    if isinstance(error, SQLAlchemyError):
        fail(f"database error: {error.__class__.__name__}: {str(error).splitlines()[0]}")
    if isinstance(error, OSError):
        fail(f"{error.strerror or error}: {getattr(error, 'filename', '') or ''}".rstrip(": "))
    if isinstance(error, OverflowError):  # sqlite3 binding an id or limit beyond 64 bits
        fail(f"a number is too large (at most {2**63 - 1}): {error}")
    raise error


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def listen_address(host: str, port: int) -> str:
    """Where serve and run listen, as printed: port 0 is the free port the system picks."""
    if port == 0:
        return f"http://{host}:<any free port>/"
    return f"http://{host}:{port}/"
