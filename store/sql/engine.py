"""Opening the store: one Engine per URL, tuned for the dialect behind it, refused in one line when unusable.

An existing SQLite file is checked (store.sqlite_check) before anything writes to it.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from store.errors import StoreError, reason, shown_url, url_secrets
from store.sql.recognise import CURRENT, read_identity, verdict, write_version
from store.sql.schema import metadata
from store.sql.sqlite_check import check_sqlite_file

PG_CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, never waited on for ever
_PG_BACKENDS = ("postgresql",)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        # WAL keeps readers (the dashboard) going while the collector writes, and a
        # killed writer leaves a store that still opens with every committed row.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def _prepare_sqlite(parsed: URL) -> None:
    if not parsed.database or parsed.database == ":memory:" or parsed.query.get("mode") == "memory":
        return
    path = Path(parsed.database)
    check_sqlite_file(path)
    if path.exists():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the folder of the store {path}: {error.strerror or error}") from None


def _engine_options(parsed: URL) -> dict:
    if parsed.get_backend_name() in _PG_BACKENDS and "connect_timeout" not in parsed.query:
        return {"connect_args": {"connect_timeout": PG_CONNECT_TIMEOUT}}
    return {}


def _folder_hint(parsed: URL) -> str:
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return ""
    folder = Path(parsed.database).resolve().parent
    if not os.access(folder, os.W_OK):
        return f" (its folder {folder} is read-only, and SQLite writes its journal beside the file)"
    return ""


def ensure_schema(engine: Engine, shown: str) -> None:
    """Recognise the store by its tables and version, then create what is missing and record the version.

    Another program's database or a newer store raises StoreError before anything is written.
    """
    with engine.connect() as connection:
        tables, version = read_identity(connection)
    state = verdict(shown, tables, version, "SQLite database" if engine.dialect.name == "sqlite" else "database")
    if state == CURRENT and set(metadata.tables) <= set(tables):
        return
    with engine.begin() as connection:
        metadata.create_all(connection, checkfirst=True)
        write_version(connection)


def open_engine(url: str) -> Engine:
    """Return an Engine on `url` with the schema in place (created where missing); raise StoreError otherwise."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError(f"{shown_url(url)} is neither a store path nor a database URL") from None
    sqlite = parsed.get_backend_name() == "sqlite"
    shown = parsed.database if sqlite and parsed.database else shown_url(url)
    if sqlite:
        _prepare_sqlite(parsed)
    try:
        engine = create_engine(url, future=True, **_engine_options(parsed))
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise StoreError(f"cannot use the store {shown}: {reason(error, url_secrets(url))}") from None
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    try:
        ensure_schema(engine, shown)
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as error:
        engine.dispose()
        detail = reason(error, url_secrets(url)) + _folder_hint(parsed)
        raise StoreError(f"cannot open the store {shown}: {detail}") from None
    return engine
