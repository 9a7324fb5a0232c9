"""Reading a store's tables as the database holds them, on every backend (for exact-row assertions)."""

from __future__ import annotations

import pandas as pd

from store import Store


def is_clickhouse(store: Store) -> bool:
    """True for the ClickHouse backend (chDB or a server)."""
    return hasattr(store, "db")


def _plain(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def raw_rows(store: Store, query: str) -> list[tuple]:
    """Return the rows of `query` as the database holds them (ClickHouse: each row's current version)."""
    if is_clickhouse(store):
        frame = store.db.query(query + " SETTINGS final = 1")
        return [tuple(_plain(value) for value in row) for row in frame.astype(object).itertuples(index=False)]
    from sqlalchemy import text

    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def clear_snapshots(store: Store) -> None:
    """Delete every snapshot and image (and, on ClickHouse, the daily view they fed)."""
    if is_clickhouse(store):
        for table in ("snapshots", "pulls_daily", "pulls_first", "images"):
            store.db.command(f"TRUNCATE TABLE {table}")
        return
    from sqlalchemy import text

    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM snapshots"))
        connection.execute(text("DELETE FROM images"))
