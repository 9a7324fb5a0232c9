"""Opening the store: one Engine per URL, tuned for the dialect behind it, refused in one line when unusable.

An existing SQLite file is checked before anything writes to it: a file that is not SQLite, a damaged
one (`PRAGMA quick_check`) or another program's database is refused and left byte for byte as it was.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from store.errors import StoreError, reason, shown_url, url_secrets
from store.schema import ensure_schema, metadata

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_MODE = 2  # bytes 18 and 19 of the header: 2 once a file has been put in WAL mode
PG_CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, never waited on for ever
_PG_BACKENDS = ("postgresql",)
PROBLEM_LIMIT = 160  # characters of quick_check's first finding that the one-line error quotes


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


def _read_header(path: Path, shown: str) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(100)
    except OSError as error:
        raise StoreError(f"cannot read the store {shown}: {error.strerror or error}") from None


def _check_connection_uri(path: Path, header: bytes) -> str:
    # immutable=1 reads without creating -wal/-shm beside the file; a live WAL file needs a real read-only open.
    wal_file = path.with_name(path.name + "-wal")
    in_wal = len(header) > 19 and header[18] == WAL_MODE
    return f"{path.resolve().as_uri()}?{'mode=ro' if in_wal and wal_file.exists() else 'immutable=1'}"


def _check_sqlite_contents(path: Path, header: bytes, shown: str) -> None:
    try:
        connection = sqlite3.connect(_check_connection_uri(path, header), uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the store {shown}: {error}") from None
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
        tables = set()
    finally:
        connection.close()
    if problems != ["ok"]:
        first = " ".join(str(problems[0]).split())
        first = first if len(first) <= PROBLEM_LIMIT else first[: PROBLEM_LIMIT - 1] + "…"
        raise StoreError(
            f"the store {shown} is damaged ({first}); it was not read or changed: restore it from a backup "
            "or rebuild it with `sqlite3 FILE .recover`"
        )
    foreign = sorted(name for name in tables if not name.startswith("sqlite_"))
    if foreign and not set(foreign) & set(metadata.tables):
        listed = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise StoreError(
            f"{shown} is another program's SQLite database (tables: {listed}); it was left as it is: "
            "name a new file or a store of this tool"
        )


def check_sqlite_file(path: Path) -> None:
    """Refuse `path` in one line when it cannot be a store: a folder, not SQLite, damaged, or another program's."""
    shown = str(path)
    if path.is_dir():
        raise StoreError(
            f"the store {shown} is a folder, not a SQLite file: name a file inside it, e.g. {path}/adoption.db"
        )
    if not path.exists():
        return
    header = _read_header(path, shown)
    if not header:
        return  # an empty file is a new SQLite database
    if not header.startswith(SQLITE_HEADER):
        raise StoreError(
            f"{shown} is not a SQLite database (it begins {header[:16]!r}); it was left as it is: "
            "name a SQLite file or a database URL"
        )
    _check_sqlite_contents(path, header, shown)


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


def open_store(url: str) -> Engine:
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
        ensure_schema(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        detail = reason(error, url_secrets(url)) + _folder_hint(parsed)
        raise StoreError(f"cannot open the store {shown}: {detail}") from None
    return engine
