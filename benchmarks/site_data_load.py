"""Bulk writing for benchmarks/site_data.py: rows into SQLite or PostgreSQL, fast, and the
sizes of what was written.

SQLite takes executemany on the DB-API connection in transactions of 20,000 rows, each value
converted by its column's type as SQLAlchemy would, with a large page cache for the build.
PostgreSQL takes COPY (psycopg), an order of magnitude faster than INSERT there. Ids are given
explicitly, so each table's id sequence is moved past the largest one afterwards (a later
insert by the application must not collide).

Everything else about the database (tables, indexes, search objects, triggers) is the store's
own, from its migrations: nothing here creates or drops a schema object.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Engine, Integer, Table, event, text
from sqlalchemy.engine import make_url

ROWS_PER_TRANSACTION = 20_000
ROWS_PER_COPY = 50_000
SQLITE_BUILD_CACHE_KIB = 1_000_000  # 1 GB of page cache while building


def batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def tune_for_build(engine: Engine) -> None:
    """A large page cache on every new SQLite connection of engine (the pool is emptied)."""
    if engine.dialect.name != "sqlite":
        return

    def _cache(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BUILD_CACHE_KIB}")
        cursor.close()

    event.listen(engine, "connect", _cache)
    engine.dispose()


def bulk_insert(engine: Engine, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows (dicts keyed by column name, all with the same keys) into table; the count."""
    if engine.dialect.name == "postgresql":
        return _copy_rows(engine, table, rows)
    return _sqlite_rows(engine, table, rows)


def _sqlite_rows(engine: Engine, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """executemany on the DB-API connection, values converted by each column's own type (the
    stored text is what SQLAlchemy would write); a tenth of the cost of Core's executemany."""
    count = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for chunk in batched(rows, ROWS_PER_TRANSACTION):
            names = list(chunk[0])
            convert = [
                table.c[name].type.dialect_impl(engine.dialect).bind_processor(engine.dialect)
                for name in names
            ]
            statement = (
                f'INSERT INTO "{table.name}" ({", ".join(f"{n!r}" for n in names)}) '
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(
                statement,
                [
                    tuple(
                        value if process is None else process(value)
                        for value, process in zip((row[n] for n in names), convert, strict=True)
                    )
                    for row in chunk
                ],
            )
            cursor.execute("COMMIT")
            count += len(chunk)
        cursor.close()
    finally:
        raw.close()
    return count


def _copy_rows(engine: Engine, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    count = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for chunk in batched(rows, ROWS_PER_COPY):
            names = list(chunk[0])
            columns = ", ".join(f'"{name}"' for name in names)
            with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                for row in chunk:
                    copy.write_row(
                        [
                            json.dumps(row[name]) if name in json_columns else row[name]
                            for name in names
                        ]
                    )
            raw.commit()
            count += len(chunk)
        cursor.close()
    finally:
        raw.close()
    return count


def after_load(engine: Engine, tables: Iterable[Table]) -> None:
    """PostgreSQL: id sequences past the ids written, and fresh planner statistics."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        raw = engine.raw_connection()  # outside a transaction, or SQLite refuses
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        return
    with engine.begin() as connection:
        for table in tables:
            id_column = table.c.get("id")
            if (
                id_column is not None
                and id_column.primary_key
                and isinstance(id_column.type, Integer)
            ):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f'(SELECT coalesce(max(id), 0) + 1 FROM "{table.name}"), false)'
                    )
                )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def database_size(engine: Engine) -> dict[str, Any]:
    """Bytes on disk: the database (SQLite: file and WAL) and its largest tables and indexes."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            total = connection.execute(text("SELECT pg_database_size(current_database())"))
            largest = connection.execute(
                text(
                    "SELECT relname, pg_total_relation_size(c.oid) AS bytes FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') "
                    "ORDER BY bytes DESC LIMIT 12"
                )
            ).all()
            return {
                "bytes": int(total.scalar_one()),
                "largest": {row.relname: int(row.bytes) for row in largest},
            }
    path = Path(make_url(engine.url).database or "")
    files = [path, Path(f"{path}-wal")]
    with engine.connect() as connection:
        try:
            largest = connection.execute(
                text(
                    "SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name "
                    "ORDER BY bytes DESC LIMIT 12"
                )
            ).all()
        except Exception:  # dbstat is a compile-time option of SQLite
            largest = []
    return {
        "bytes": sum(os.path.getsize(f) for f in files if f.exists()),
        "largest": {row.name: int(row.bytes) for row in largest},
    }


def human_bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.1f} {unit}" if unit != "B" else f"{count:.0f} B"
        count /= 1024
    return f"{count:.1f} GB"
