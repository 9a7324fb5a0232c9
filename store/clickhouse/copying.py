"""The whole-store copy contract on ClickHouse: count, read in key order after a key, write keeping ids."""

from __future__ import annotations

import pandas as pd

from store.clickhouse.db import Db, chunks
from store.clickhouse.pulls import insert_new_snapshots
from store.interface import COPY_KEYS, COPY_TABLES

# Each copied table's columns as stored, with the frame dtype they cross the interface in.
COLUMNS: dict[str, dict[str, str]] = {
    "images": {"image_id": "int64", "namespace": "str", "name": "str", "repository_type": "object",
               "is_private": "boolean", "description": "object", "date_registered": "object"},
    "runs": {"run_id": "int64", "kind": "str", "started_at": "int64", "finished_at": "Int64",
             "images_requested": "int64", "images_collected": "int64", "images_failed": "int64", "source": "object"},
    "run_failures": {"run_id": "int64", "image": "str", "reason": "str", "failed_at": "int64"},
    "imported_files": {"sha256": "str", "path": "str", "imported_at": "int64", "rows_read": "int64",
                       "rows_added": "int64"},
    "catalog_snapshots": {"snapshot_id": "int64", "source": "str", "attribution": "object", "observed_from": "int64",
                          "observed_to": "int64", "run_id": "Int64", "sha256": "object", "discovered": "bool",
                          "complete": "bool"},
    "catalog_entries": {"snapshot_id": "int64", "namespace": "str", "name": "str", "publisher": "str",
                        "pull_low": "int64", "pull_high": "Int64", "exact": "bool", "pull_text": "str",
                        "star_count": "Int64", "method": "str", "rank": "Int64", "observed_at": "int64"},
    "snapshots": {"image_id": "int64", "observed_at": "int64", "pull_count": "int64", "star_count": "Int64",
                  "last_updated": "object", "run_id": "Int64"},
}  # fmt: skip
_KEY_TYPES = {"int64": "Int64", "str": "String"}


def _table(table: str) -> str:
    if table not in COPY_TABLES:
        raise ValueError(f"not a table a store copy moves: {table!r}")
    return table


def _from(table: str) -> str:
    # Snapshots are written once (checked keys); the other tables keep versions and are read FINAL.
    return "snapshots" if table == "snapshots" else f"{table} FINAL"


def _typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    columns = COLUMNS[table]
    frame = frame.reindex(columns=list(columns))
    for column, dtype in columns.items():
        if dtype == "object":
            frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame.reset_index(drop=True)


def count_rows(db: Db, table: str) -> int:
    """Return how many rows `table` holds."""
    return int(db.scalar(f"SELECT count() FROM {_from(_table(table))}") or 0)


def read_rows(db: Db, table: str, after: tuple | None, limit: int) -> pd.DataFrame:
    """Return up to `limit` rows of `table` in key order, strictly after the key `after` (None: from the start)."""
    keys = COPY_KEYS[_table(table)]
    params: dict = {"limit": int(limit)}
    where = ""
    if after is not None:
        placeholders = []
        for position, (key, value) in enumerate(zip(keys, after, strict=True)):
            kind = _KEY_TYPES[COLUMNS[table][key]]
            placeholders.append(f"{{after{position}:{kind}}}")
            params[f"after{position}"] = int(value) if kind == "Int64" else str(value)
        where = f"WHERE ({', '.join(keys)}) > ({', '.join(placeholders)})"
    frame = db.query(
        f"SELECT {', '.join(COLUMNS[table])} FROM {_from(table)} {where} "
        f"ORDER BY {', '.join(keys)} LIMIT {{limit:UInt64}}",
        **params,
    )
    return _typed(table, frame)


def write_rows(db: Db, table: str, rows: pd.DataFrame) -> int:
    """Insert `rows` with their ids; rows whose key is present are skipped; return rows added."""
    frame = _typed(_table(table), rows)
    if frame.empty:
        return 0
    if table == "snapshots":
        return insert_new_snapshots(db, frame)
    keys = list(COPY_KEYS[table])
    frame = frame.drop_duplicates(keys, keep="first")
    first, kind = keys[0], _KEY_TYPES[COLUMNS[table][keys[0]]]
    held = [
        db.query(f"SELECT {', '.join(keys)} FROM {table} FINAL WHERE {first} IN {{wanted:Array({kind})}}", wanted=part)
        for part in chunks(sorted(set(frame[first].tolist())))
    ]
    stored = pd.concat(held, ignore_index=True) if held else pd.DataFrame(columns=keys)
    if not stored.empty:
        stored = stored.astype({key: COLUMNS[table][key] for key in keys})
        frame = frame[~pd.MultiIndex.from_frame(frame[keys]).isin(pd.MultiIndex.from_frame(stored[keys]))]
    db.insert(table, frame.assign(version=db.stamp()))
    return len(frame)
