"""Is this database a store of this tool, and of which schema version? Decided from its tables before any query.

A store carries its schema version in `store_meta`. A store written before the version was kept has no
such row but has this tool's own tables (images and snapshots, with their columns): it is upgraded by
writing the version. Anything else that already holds tables is another program's database, and a
store written by a newer version of the tool is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from store.errors import StoreError
from store.sql.schema import metadata, store_meta
from store.sql.upsert import upsert

SCHEMA_VERSION = 1
VERSION_KEY = "schema_version"
# The tables every store of this tool has had since its first version.
CORE_TABLES = ("images", "snapshots")
NEW, CURRENT, UPGRADE = "new", "current", "upgrade"
_LISTED = 5


def _listed(names: list[str]) -> str:
    return ", ".join(names[:_LISTED]) + (", …" if len(names) > _LISTED else "")


def _ours(tables: Mapping[str, set[str]]) -> bool:
    """True when the core tables are there and every table named like ours has at least our columns."""
    if not all(name in tables for name in CORE_TABLES):
        return False
    return all(set(table.c.keys()) <= tables[name] for name, table in metadata.tables.items() if name in tables)


def verdict(shown: str, tables: Mapping[str, set[str]], version: str | None, kind: str = "database") -> str:
    """Return NEW, CURRENT or UPGRADE for a database with `tables` (name -> columns); raise StoreError otherwise."""
    names = sorted(name for name in tables if not name.startswith("sqlite_"))
    if not names:
        return NEW
    if version is not None:
        if not version.isdigit():
            raise StoreError(f"{shown} holds an unreadable store version ({version[:20]!r}); it was left as it is")
        if int(version) > SCHEMA_VERSION:
            raise StoreError(
                f"{shown} was written by a newer version of this tool (store version {int(version)}; this one reads "
                f"up to {SCHEMA_VERSION}); it was left as it is: upgrade the tool or name another store"
            )
        if not _ours(tables):
            missing = [name for name in CORE_TABLES if name not in tables] or ["columns of its own tables"]
            raise StoreError(
                f"{shown} is a store whose tables were changed outside this tool (missing: {_listed(missing)}); "
                "it was left as it is: restore it from a copy or name another store"
            )
        return CURRENT if int(version) == SCHEMA_VERSION else UPGRADE
    if not _ours(tables):
        raise StoreError(
            f"{shown} is another program's {kind} (tables: {_listed(names)}); it was left as it is: "
            "name a new file or a store of this tool"
        )
    return UPGRADE


def read_identity(connection: Connection) -> tuple[dict[str, set[str]], str | None]:
    """Return {table: columns} of the database behind `connection` and the stored schema version (None: none)."""
    inspector = inspect(connection)
    names = inspector.get_table_names()
    tables = {
        name: {column["name"] for column in inspector.get_columns(name)} if name in metadata.tables else set()
        for name in names
    }
    version = None
    if "store_meta" in tables:
        query = select(store_meta.c.value).where(store_meta.c.key == VERSION_KEY)
        version = connection.execute(query).scalar()
    return tables, version


def write_version(connection: Connection) -> None:
    """Record that this database is a store of the current schema version."""
    upsert(connection, store_meta, [{"key": VERSION_KEY, "value": str(SCHEMA_VERSION)}], ["key"], ["value"])
