"""Is an existing file a usable store? Checked before anything writes to it, and left as it was when not.

A file that is not SQLite, a damaged one (`PRAGMA quick_check`) or another program's database is refused.
quick_check reads the whole file (about 0.5 s per 100 MB here), so a file that passed is remembered by its
size and modification time (and its -wal file's) in the cache folder, and checked again only once it changed.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import settings
from store.errors import StoreError
from store.sql.recognise import VERSION_KEY, verdict
from store.sql.schema import metadata
from user_files import read_user_head

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_MODE = 2  # bytes 18 and 19 of the header: 2 once a file has been put in WAL mode
PROBLEM_LIMIT = 160  # characters of quick_check's first finding that the one-line error quotes
CHECKS_FILE = "store-checks.json"
MAX_REMEMBERED = 64


def _read_header(path: Path, shown: str) -> bytes:
    try:
        return read_user_head(path, 100)
    except OSError as error:
        raise StoreError(f"cannot read the store {shown}: {error.strerror or error}") from None


def _check_connection_uri(path: Path, header: bytes) -> str:
    # immutable=1 reads without creating -wal/-shm beside the file; a live WAL file needs a real read-only open.
    wal_file = path.with_name(path.name + "-wal")
    in_wal = len(header) > 19 and header[18] == WAL_MODE
    return f"{path.resolve().as_uri()}?{'mode=ro' if in_wal and wal_file.exists() else 'immutable=1'}"


def _quick_check(path: Path, header: bytes, shown: str) -> None:
    try:
        connection = sqlite3.connect(_check_connection_uri(path, header), uri=True)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the store {shown}: {error}") from None
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
        tables, version = _identity(connection) if problems == ["ok"] else ({}, None)
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
        tables, version = {}, None
    finally:
        connection.close()
    if problems != ["ok"]:
        first = " ".join(str(problems[0]).split())
        first = first if len(first) <= PROBLEM_LIMIT else first[: PROBLEM_LIMIT - 1] + "…"
        raise StoreError(
            f"the store {shown} is damaged ({first}); it was not read or changed: restore it from a backup "
            "or rebuild it with `sqlite3 FILE .recover`"
        )
    verdict(shown, tables, version, kind="SQLite database")


def _identity(connection: sqlite3.Connection) -> tuple[dict[str, set[str]], str | None]:
    """{table: columns} (columns of this tool's tables only) and the stored schema version, read-only."""
    names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    tables: dict[str, set[str]] = {name: set() for name in names}
    for name in set(names) & set(metadata.tables):
        tables[name] = {row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')}
    version = None
    if "store_meta" in tables:
        found = connection.execute("SELECT value FROM store_meta WHERE key = ?", (VERSION_KEY,)).fetchone()
        version = None if found is None else str(found[0])
    return tables, version


def _fingerprint(path: Path) -> list[int]:
    wal = path.with_name(path.name + "-wal")
    main = path.stat()
    extra = wal.stat() if wal.exists() else None
    return [main.st_size, main.st_mtime_ns, extra.st_size if extra else -1, extra.st_mtime_ns if extra else -1]


def _remembered() -> dict[str, list[int]]:
    try:
        found = json.loads((settings.cache_dir() / CHECKS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _remember(key: str, fingerprint: list[int]) -> None:
    known = {name: value for name, value in _remembered().items() if name != key}
    kept = dict(list(known.items())[-(MAX_REMEMBERED - 1) :]) | {key: fingerprint}
    target = settings.cache_dir() / CHECKS_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f"{CHECKS_FILE}.{os.getpid()}")
        scratch.write_text(json.dumps(kept), encoding="utf-8")
        os.replace(scratch, target)
    except OSError:
        return  # a read-only cache folder only means the next open checks again


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
    key, fingerprint = str(path.resolve()), _fingerprint(path)
    if _remembered().get(key) == fingerprint:
        return
    _quick_check(path, header, shown)
    _remember(key, fingerprint)
