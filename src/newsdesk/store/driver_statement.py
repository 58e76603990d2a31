"""Ingest's per-article statements run on SQLite's own cursor: the SQL that SQLAlchemy
compiles for them, their parameters bound by the same bind processors, without SQLAlchemy's
execution layer. That layer (cache key, execution context, result wrapping) cost about
0.1 ms per statement, a quarter of an ingested article's insert. Used for the story and
article INSERT … RETURNING and for the matches SELECT's "found nothing" answer. Other
dialects, and values with other columns than the statement was compiled for, go through
Connection.execute as before. A driver error is raised as the SQLAlchemy exception
Connection.execute would raise (IntegrityError, OperationalError, …)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, NoResultFound

_Bind = tuple[str, Callable[[Any], Any] | None]


class DriverStatement:
    """``statement`` (an INSERT returning one column, or a SELECT) for values with exactly
    ``keys``, in that order."""

    def __init__(self, statement: Executable, keys: Sequence[str]) -> None:
        self._statement = statement
        self._keys = tuple(keys)
        self._compiled: tuple[Dialect, str, tuple[_Bind, ...]] | None = None

    def _prepared(self, dialect: Dialect) -> tuple[str, tuple[_Bind, ...]]:
        compiled = self._compiled
        if compiled is None or compiled[0] is not dialect:
            sql = self._statement.compile(dialect=dialect, column_keys=list(self._keys))  # type: ignore[attr-defined]
            binds = tuple(
                (name, sql.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                for name in sql.positiontup or ()
            )
            compiled = self._compiled = (dialect, sql.string, binds)
        return compiled[1], compiled[2]

    def runs_on_driver(self, connection: Connection, values: Mapping[str, Any]) -> bool:
        """True when returned() runs the statement on the driver's cursor."""
        return (
            connection.dialect.name == "sqlite"
            and connection.connection.driver_connection is not None
            and tuple(values) == self._keys
        )

    def returned(self, connection: Connection, values: Mapping[str, Any]) -> Any | None:
        """The returned column of the inserted row; None when no row was inserted (an
        ON CONFLICT DO NOTHING that did nothing). On the driver, a SELECT gives the first
        column of its first row, None when it found none."""
        if not self.runs_on_driver(connection, values):
            return connection.execute(self._statement, values).scalar_one_or_none()
        driver = connection.connection.driver_connection
        assert driver is not None
        sql, binds = self._prepared(connection.dialect)
        parameters = tuple(
            values[name] if process is None else process(values[name]) for name, process in binds
        )
        cursor = driver.cursor()
        try:
            cursor.execute(sql, parameters)
            row = cursor.fetchone()
        except sqlite3.Error as error:
            raise DBAPIError.instance(sql, parameters, error, sqlite3.Error) from error
        finally:
            cursor.close()
        return None if row is None else row[0]

    def returned_one(self, connection: Connection, values: Mapping[str, Any]) -> Any:
        """As returned(), for an insert that always inserts its row."""
        value = self.returned(connection, values)
        if value is None:
            raise NoResultFound("the insert returned no row")
        return value


__all__ = ["DriverStatement"]
