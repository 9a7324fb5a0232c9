"""Choosing the backend: the one place that reads a store URL's scheme."""

from __future__ import annotations

from store.errors import StoreError, shown_url
from store.interface import Store

_SQL_SCHEMES = ("sqlite", "postgresql")
_CLICKHOUSE_SCHEMES = ("chdb", "clickhouse", "clickhouses")


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""


def open_store(url: str) -> Store:
    """Open the store at `url` with the backend its scheme names; raise StoreError in one line when it cannot."""
    scheme = _scheme(url)
    if scheme in _SQL_SCHEMES or not scheme:
        # Imported here: a command's --help must not wait for SQLAlchemy to load.
        from store.sql.backend import open_sql_store

        return open_sql_store(url)
    if scheme in _CLICKHOUSE_SCHEMES:
        from store.clickhouse.backend import open_clickhouse_store

        return open_clickhouse_store(url)
    raise StoreError(
        f"{shown_url(url)}: no store backend for {scheme!r} "
        "(this tool reads sqlite://, postgresql://, chdb:// and clickhouse://)"
    )
