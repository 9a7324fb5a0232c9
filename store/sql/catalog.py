"""Catalog snapshots: many repositories observed at once, each count exact or a range, never mixed up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import case, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from store.interface import CATALOG_COUNT_COLUMNS
from store.sql.schema import catalog_entries, catalog_snapshots
from store.sql.upsert import insert_ignore, upsert
from store.timeutil import epoch_to_utc
from store.values import INT32_MAX, INT64_MAX, StoreValueError, shown, whole_number

PUBLISHERS = ("official", "verified", "open_source", "community", "unknown")
METHODS = ("search", "listing", "file")
ENTRY_COLUMNS = [
    "snapshot_id",
    "namespace",
    "name",
    "publisher",
    "pull_low",
    "pull_high",
    "exact",
    "pull_text",
    "star_count",
    "method",
    "rank",
    "observed_at",
]
_UPDATED = [c for c in ENTRY_COLUMNS if c not in ("snapshot_id", "namespace", "name", "rank")]
_CHUNK = 2000


def _in_transaction(engine: Engine | Connection, work: Any) -> Any:  # noqa: ANN401
    if isinstance(engine, Connection):
        return work(engine)
    with engine.begin() as connection:
        return work(connection)


def create_catalog_snapshot(
    engine: Engine | Connection,
    source: str,
    observed_from: int,
    observed_to: int | None = None,
    attribution: str | None = None,
    run_id: int | None = None,
    sha256: str | None = None,
) -> int:
    """Record a new catalog snapshot (its entries come later) and return its id."""
    values = {
        "source": source,
        "attribution": attribution,
        "observed_from": observed_from,
        "observed_to": observed_from if observed_to is None else observed_to,
        "run_id": run_id,
        "sha256": sha256,
        "discovered": False,
        "complete": False,
    }
    return _in_transaction(
        engine, lambda c: int(c.execute(insert(catalog_snapshots).values(**values)).inserted_primary_key[0])
    )


def update_catalog_snapshot(engine: Engine | Connection, snapshot_id: int, **values: Any) -> None:
    """Change a snapshot's observed_to, discovered or complete."""
    statement = update(catalog_snapshots).where(catalog_snapshots.c.snapshot_id == snapshot_id).values(**values)
    _in_transaction(engine, lambda c: c.execute(statement))


def check_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Return the row for `entry`, or raise StoreValueError: a range is low <= high, an exact count low == high."""
    row = {column: entry.get(column) for column in ENTRY_COLUMNS}
    for field in ("namespace", "name", "pull_text"):
        text = row[field]
        longest = catalog_entries.c[field].type.length
        if not isinstance(text, str) or not text or len(text) > longest:
            raise StoreValueError(f"{field} must be text of 1..{longest} characters, not {shown(text)}")
    if row["publisher"] not in PUBLISHERS or row["method"] not in METHODS:
        raise StoreValueError(f"unknown publisher or method: {shown(row['publisher'])}, {shown(row['method'])}")
    low = whole_number("pull_low", row["pull_low"], INT64_MAX)
    if row["pull_high"] is not None and whole_number("pull_high", row["pull_high"], INT64_MAX) < low:
        raise StoreValueError(f"pull_high {row['pull_high']} is below pull_low {low}")
    if not isinstance(row["exact"], bool) or (row["exact"] and row["pull_high"] != low):
        raise StoreValueError(f"an exact count has pull_high equal to pull_low, not {shown(row['pull_high'])}")
    for field in ("star_count", "rank"):
        if row[field] is not None:
            whole_number(field, row[field], INT32_MAX)
    whole_number("observed_at", row["observed_at"], INT64_MAX)
    return row


def save_catalog_entries(
    engine: Engine | Connection, snapshot_id: int, entries: Sequence[Mapping[str, Any]], replace: bool = True
) -> int:
    """Store `entries` of a snapshot in one transaction; `replace` False keeps entries already stored."""
    rows = [check_entry({**entry, "snapshot_id": snapshot_id}) for entry in entries]

    def save(connection: Connection) -> int:
        saved = 0
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            if replace:
                upsert(connection, catalog_entries, chunk, ["snapshot_id", "namespace", "name"], _UPDATED)
                saved += len(chunk)
            else:
                saved += insert_ignore(connection, catalog_entries, chunk)
        return saved

    return _in_transaction(engine, save)


def catalog_hashes(engine: Engine) -> set[str]:
    """Return the sha256 of every catalog file already imported."""
    query = select(catalog_snapshots.c.sha256).where(catalog_snapshots.c.sha256.is_not(None))
    with engine.connect() as connection:
        return set(connection.execute(query).scalars())


def snapshot_of_run(engine: Engine, run_id: int) -> dict[str, Any] | None:
    """Return the catalog snapshot a collection run writes, or None."""
    query = select(catalog_snapshots).where(catalog_snapshots.c.run_id == run_id)
    with engine.connect() as connection:
        row = connection.execute(query).mappings().first()
    return None if row is None else dict(row)


def entries_by_method(engine: Engine, snapshot_id: int) -> dict[str, set[tuple[str, str]]]:
    """Return {method: {(namespace, name), ...}} of a snapshot's entries (what a resumed run still has to list)."""
    query = select(catalog_entries.c.method, catalog_entries.c.namespace, catalog_entries.c.name).where(
        catalog_entries.c.snapshot_id == snapshot_id
    )
    found: dict[str, set[tuple[str, str]]] = {}
    with engine.connect() as connection:
        for method, namespace, name in connection.execute(query):
            found.setdefault(method, set()).add((namespace, name))
    return found


def read_catalog_snapshots(engine: Engine) -> pd.DataFrame:
    """Return every catalog snapshot, oldest first, with its number of entries and of exact counts."""
    counts = (
        select(
            catalog_entries.c.snapshot_id,
            func.count().label("entries"),
            func.sum(case((catalog_entries.c.exact, 1), else_=0)).label("exact_entries"),
        )
        .group_by(catalog_entries.c.snapshot_id)
        .subquery()
    )
    query = (
        select(catalog_snapshots, counts.c.entries, counts.c.exact_entries)
        .outerjoin(counts, counts.c.snapshot_id == catalog_snapshots.c.snapshot_id)
        .order_by(catalog_snapshots.c.observed_to, catalog_snapshots.c.snapshot_id)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).mappings().all())
    columns = [*catalog_snapshots.c.keys(), "entries", "exact_entries"]
    frame = frame.reindex(columns=columns)
    for column in ("entries", "exact_entries"):
        frame[column] = frame[column].fillna(0).astype("int64")
    for column in ("observed_from", "observed_to"):
        frame[column] = epoch_to_utc(frame[column])
    return frame


def read_catalog_entries(engine: Engine, snapshot_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Return the entries of `snapshot_ids` (every snapshot when None), with fixed dtypes."""
    query = select(*[catalog_entries.c[column] for column in ENTRY_COLUMNS])
    if snapshot_ids is not None:
        query = query.where(catalog_entries.c.snapshot_id.in_(list(snapshot_ids)))
    query = query.order_by(catalog_entries.c.snapshot_id, catalog_entries.c.namespace, catalog_entries.c.name)
    with engine.connect() as connection:
        frame = pd.DataFrame([tuple(row) for row in connection.execute(query)], columns=ENTRY_COLUMNS)
    frame["pull_low"] = frame["pull_low"].astype("int64")
    frame["pull_high"] = frame["pull_high"].astype("Int64")
    frame["exact"] = frame["exact"].astype(bool)
    frame["star_count"] = frame["star_count"].astype("Int64")
    frame["rank"] = frame["rank"].astype("Int64")
    frame["observed_at"] = epoch_to_utc(frame["observed_at"])
    return frame


def catalog_counts(engine: Engine, pulls: int) -> pd.DataFrame:
    """Return per snapshot with entries: entries, those surely >= `pulls` (exact, bounds), straddling, official sums."""
    entry = catalog_entries.c
    surely = entry.pull_low >= pulls
    below = entry.pull_high.is_not(None) & (entry.pull_high < pulls)
    official = entry.publisher == "official"

    def counted(condition: Any) -> Any:  # noqa: ANN401
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            entry.snapshot_id,
            func.count().label("base"),
            counted(surely).label("images"),
            counted(surely & entry.exact).label("exact"),
            counted(surely & ~entry.exact).label("bounds"),
            counted(~surely & ~below).label("straddling"),
            counted(official).label("official_images"),
            func.coalesce(func.sum(case((official, entry.pull_low), else_=0)), 0).label("official_low"),
            counted(official & ~entry.exact).label("official_exact"),
        )
        .group_by(entry.snapshot_id)
        .order_by(entry.snapshot_id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=CATALOG_COUNT_COLUMNS).astype("int64")
    # Stored as the number of official entries that are not exact: their sum is exact when there are none.
    return frame.assign(official_exact=frame["official_exact"] == 0)
