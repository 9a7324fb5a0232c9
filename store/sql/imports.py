"""Which history files have been imported, so that a bundled file is read once per store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from store.sql.schema import imported_files
from store.sql.upsert import upsert
from store.timeutil import now_epoch


def imported_hashes(engine: Engine) -> set[str]:
    """Return the sha256 of every file already imported into the store."""
    with engine.connect() as connection:
        return set(connection.execute(select(imported_files.c.sha256)).scalars())


def mark_imported(connection: Connection, sha256: str, path: str, rows_read: int, rows_added: int) -> None:
    """Record that the file with `sha256` was imported (inside the import's own transaction)."""
    row = {
        "sha256": sha256,
        "path": path,
        "imported_at": now_epoch(),
        "rows_read": rows_read,
        "rows_added": rows_added,
    }
    upsert(connection, imported_files, [row], ["sha256"], ["path", "imported_at", "rows_read", "rows_added"])
