"""Runs, their failures, catalog snapshots and imported files on ClickHouse (small, replaceable tables)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from store.clickhouse.db import ID_LOCK, Db
from store.sql.catalog import ENTRY_COLUMNS, check_entry
from store.timeutil import epoch_to_utc, now_epoch

RUN_COLUMNS = [
    "run_id", "kind", "started_at", "finished_at", "images_requested", "images_collected", "images_failed", "source",
]  # fmt: skip
SNAPSHOT_COLUMNS = [
    "snapshot_id", "source", "attribution", "observed_from", "observed_to", "run_id", "sha256", "discovered",
    "complete",
]  # fmt: skip
SNAPSHOT_UPDATES = ("observed_to", "discovered", "complete")
_CHUNK = 50_000


def _text(column: pd.Series) -> pd.Series:
    """A text column with None for missing values, as the SQL backend gives it."""
    return column.astype("str").where(column.notna(), None) if len(column) else column.astype("str")


def _one_row(db: Db, table: str, key: str, value: int, columns: list[str]) -> dict[str, Any] | None:
    frame = db.query(f"SELECT {', '.join(columns)} FROM {table} FINAL WHERE {key} = {{key:UInt32}}", key=value)
    if frame.empty:
        return None
    return {column: (None if pd.isna(v) else v) for column, v in frame.iloc[0].items()}


def _insert_rows(db: Db, table: str, rows: list[dict[str, Any]], dtypes: Mapping[str, str]) -> None:
    frame = pd.DataFrame(rows).astype(dict(dtypes))
    frame["version"] = db.stamp()
    db.insert(table, frame)


_RUN_TYPES = {
    "run_id": "int64", "kind": "str", "started_at": "int64", "finished_at": "Int64", "images_requested": "int64",
    "images_collected": "int64", "images_failed": "int64", "source": "object",
}  # fmt: skip


def start_run(db: Db, kind: str, images_requested: int, source: str | None = None) -> int:
    """Record that a run has started and return its id; it stays incomplete until finish_run."""
    with ID_LOCK:
        run_id = db.next_id("runs", "run_id")
        _insert_rows(db, "runs", [_new_run(run_id, kind, images_requested, source)], _RUN_TYPES)
    return run_id


def _new_run(run_id: int, kind: str, images_requested: int, source: str | None) -> dict[str, Any]:
    return {"run_id": run_id, "kind": kind, "started_at": now_epoch(), "finished_at": None,
            "images_requested": images_requested, "images_collected": 0, "images_failed": 0,
            "source": source}  # fmt: skip


def finish_run(
    db: Db, run_id: int, images_collected: int, images_failed: int, images_requested: int | None = None
) -> None:
    """Mark `run_id` finished with its totals: a new version of its row."""
    row = _one_row(db, "runs", "run_id", run_id, RUN_COLUMNS)
    if row is None:
        return
    row |= {"finished_at": now_epoch(), "images_collected": images_collected, "images_failed": images_failed}
    if images_requested is not None:
        row["images_requested"] = images_requested
    _insert_rows(db, "runs", [row], _RUN_TYPES)


def record_failure(db: Db, run_id: int, image: str, reason: str) -> None:
    """Record that `image` failed in `run_id` (the latest reason per image is kept)."""
    row = {"run_id": run_id, "image": image, "reason": reason, "failed_at": now_epoch()}
    _insert_rows(db, "run_failures", [row], {"run_id": "int64", "image": "str", "reason": "str", "failed_at": "int64"})


def read_runs(db: Db, limit: int = 20) -> pd.DataFrame:
    """Return the latest runs, newest first; `complete` is False for a run that never finished."""
    frame = db.query(
        f"SELECT {', '.join(RUN_COLUMNS)} FROM runs FINAL ORDER BY run_id DESC LIMIT {{limit:UInt64}}", limit=limit
    )
    frame = frame.reindex(columns=RUN_COLUMNS).astype(
        {
            "run_id": "int64",
            "kind": "str",
            "images_requested": "int64",
            "images_collected": "int64",
            "images_failed": "int64",
        }  # fmt: skip
    )
    frame["source"] = _text(frame["source"])
    frame["complete"] = frame["finished_at"].notna()
    frame["started_at"] = epoch_to_utc(frame["started_at"])
    frame["finished_at"] = pd.to_datetime(frame["finished_at"].astype("Float64"), unit="s", utc=True)
    return frame


def read_failures(db: Db, run_id: int) -> pd.DataFrame:
    """Return the images that failed in `run_id` with the reason for each."""
    frame = db.query(
        "SELECT image, reason, failed_at FROM run_failures FINAL WHERE run_id = {run:UInt32} ORDER BY image",
        run=run_id,
    )
    frame = frame.reindex(columns=["image", "reason", "failed_at"]).astype({"image": "str", "reason": "str"})
    frame["failed_at"] = epoch_to_utc(frame["failed_at"])
    return frame


def find_unfinished_run(db: Db, kind: str, source: str, started_since: int) -> int | None:
    """Return the latest run of `kind` and `source` started at or after `started_since` that never finished."""
    found = db.scalar(
        "SELECT run_id FROM runs FINAL WHERE kind = {kind:String} AND source = {source:String} "
        "AND finished_at IS NULL AND started_at >= {since:Int64} ORDER BY run_id DESC LIMIT 1",
        kind=kind,
        source=source,
        since=started_since,
    )
    return None if found is None else int(found)


def clear_failures(db: Db, run_id: int) -> None:
    """Forget the failures recorded in `run_id` (a lightweight delete: gone for every later read)."""
    db.command("DELETE FROM run_failures WHERE run_id = {run:UInt32}", run=run_id)


_CATALOG_TYPES = {
    "snapshot_id": "int64", "source": "str", "attribution": "object", "observed_from": "int64",
    "observed_to": "int64", "run_id": "Int64", "sha256": "object", "discovered": "bool", "complete": "bool",
}  # fmt: skip


def create_catalog_snapshot(
    db: Db,
    source: str,
    observed_from: int,
    observed_to: int | None = None,
    attribution: str | None = None,
    run_id: int | None = None,
    sha256: str | None = None,
) -> int:
    """Record a new catalog snapshot (its entries come later) and return its id."""
    row = {"source": source, "attribution": attribution, "observed_from": observed_from,
           "observed_to": observed_from if observed_to is None else observed_to, "run_id": run_id, "sha256": sha256,
           "discovered": False, "complete": False}  # fmt: skip
    with ID_LOCK:
        snapshot_id = db.next_id("catalog_snapshots", "snapshot_id")
        _insert_rows(db, "catalog_snapshots", [{"snapshot_id": snapshot_id, **row}], _CATALOG_TYPES)
    return snapshot_id


def update_catalog_snapshot(db: Db, snapshot_id: int, **values: Any) -> None:  # noqa: ANN401
    """Change a snapshot's observed_to, discovered or complete: a new version of its row."""
    unknown = set(values) - set(SNAPSHOT_UPDATES)
    if unknown:
        raise ValueError(f"a catalog snapshot's {', '.join(sorted(unknown))} cannot be changed")
    row = _one_row(db, "catalog_snapshots", "snapshot_id", snapshot_id, SNAPSHOT_COLUMNS)
    if row is not None:
        _insert_rows(db, "catalog_snapshots", [row | values], _CATALOG_TYPES)


_ENTRY_TYPES = {
    "snapshot_id": "int64", "namespace": "str", "name": "str", "publisher": "str", "pull_low": "int64",
    "pull_high": "Int64", "exact": "bool", "pull_text": "str", "star_count": "Int64", "method": "str",
    "rank": "Int64", "observed_at": "int64",
}  # fmt: skip


def save_catalog_entries(db: Db, snapshot_id: int, entries: Sequence[Mapping[str, Any]], replace: bool = True) -> int:
    """Store `entries` of a snapshot (all checked first); `replace` False keeps entries already stored."""
    rows = [check_entry({**entry, "snapshot_id": snapshot_id}) for entry in entries]
    if not rows:
        return 0
    frame = pd.DataFrame(rows, columns=ENTRY_COLUMNS).astype(_ENTRY_TYPES)
    frame = frame.drop_duplicates(["namespace", "name"], keep="last" if replace else "first")
    if not replace:
        held = db.query(
            "SELECT namespace, name FROM catalog_entries FINAL WHERE snapshot_id = {id:UInt32}", id=snapshot_id
        )
        keys = pd.MultiIndex.from_frame(held.astype("str")) if not held.empty else None
        if keys is not None:
            frame = frame[~pd.MultiIndex.from_frame(frame[["namespace", "name"]]).isin(keys)]
    else:
        # A replaced entry keeps its stored place in the search (even none), as the SQL upsert does.
        held = db.query(
            "SELECT namespace, name, rank FROM catalog_entries FINAL WHERE snapshot_id = {id:UInt32}", id=snapshot_id
        )
        if not held.empty:
            ranks = held.astype({"namespace": "str", "name": "str", "rank": "Int64"}).set_index(["namespace", "name"])
            index = pd.MultiIndex.from_frame(frame[["namespace", "name"]])
            stored = index.isin(ranks.index)
            kept = ranks["rank"].reindex(index).to_numpy()
            frame["rank"] = pd.array(
                [kept[i] if stored[i] else rank for i, rank in enumerate(frame["rank"])], dtype="Int64"
            )
    stamp = db.stamp()
    for start in range(0, len(frame), _CHUNK):
        db.insert("catalog_entries", frame.iloc[start : start + _CHUNK].assign(version=stamp))
    return len(frame) if not replace else len(rows)


def catalog_hashes(db: Db) -> set[str]:
    """Return the sha256 of every catalog file already imported."""
    frame = db.query("SELECT sha256 FROM catalog_snapshots FINAL WHERE sha256 IS NOT NULL")
    return set(frame["sha256"].astype("str"))


def snapshot_of_run(db: Db, run_id: int) -> dict[str, Any] | None:
    """Return the catalog snapshot a collection run writes, or None."""
    frame = db.query(
        f"SELECT {', '.join(SNAPSHOT_COLUMNS)} FROM catalog_snapshots FINAL WHERE run_id = {{run:UInt32}} "
        "ORDER BY snapshot_id LIMIT 1",
        run=run_id,
    )
    if frame.empty:
        return None
    row = frame.iloc[0].to_dict()
    return {key: _plain(value) for key, value in row.items()}


def _plain(value: Any) -> Any:  # noqa: ANN401
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def entries_by_method(db: Db, snapshot_id: int) -> dict[str, set[tuple[str, str]]]:
    """Return {method: {(namespace, name), ...}} of a snapshot's entries."""
    frame = db.query(
        "SELECT method, namespace, name FROM catalog_entries FINAL WHERE snapshot_id = {id:UInt32}", id=snapshot_id
    )
    found: dict[str, set[tuple[str, str]]] = {}
    for method, namespace, name in zip(frame["method"], frame["namespace"], frame["name"], strict=True):
        found.setdefault(str(method), set()).add((str(namespace), str(name)))
    return found


def read_catalog_snapshots(db: Db) -> pd.DataFrame:
    """Return every catalog snapshot, oldest first, with its number of entries and of exact counts."""
    frame = db.query(
        "SELECT s.* EXCEPT (version), toInt64(ifNull(c.entries, 0)) AS entries, "
        "toInt64(ifNull(c.exact_entries, 0)) AS exact_entries FROM catalog_snapshots AS s FINAL "
        "LEFT JOIN (SELECT snapshot_id, count() AS entries, countIf(exact) AS exact_entries "
        "FROM catalog_entries FINAL GROUP BY snapshot_id) AS c ON c.snapshot_id = s.snapshot_id "
        "ORDER BY s.observed_to, s.snapshot_id"
    )
    frame = frame.reindex(columns=[*SNAPSHOT_COLUMNS, "entries", "exact_entries"])
    frame = frame.astype({"snapshot_id": "int64", "source": "str", "run_id": "Int64", "discovered": "bool",
                          "complete": "bool", "entries": "int64", "exact_entries": "int64"})  # fmt: skip
    frame["attribution"] = _text(frame["attribution"])
    frame["sha256"] = _text(frame["sha256"])
    for column in ("observed_from", "observed_to"):
        frame[column] = epoch_to_utc(frame[column])
    return frame


def read_catalog_entries(db: Db, snapshot_ids: Sequence[int] | None = None) -> pd.DataFrame:
    """Return the entries of `snapshot_ids` (every snapshot when None), with fixed dtypes."""
    where, params = "", {}
    if snapshot_ids is not None:
        where, params = "WHERE snapshot_id IN {ids:Array(UInt32)}", {"ids": [int(i) for i in snapshot_ids]}
    frame = db.query(
        f"SELECT {', '.join(ENTRY_COLUMNS)} FROM catalog_entries FINAL {where} ORDER BY snapshot_id, namespace, name",
        **params,
    )
    frame = frame.reindex(columns=ENTRY_COLUMNS).astype(_ENTRY_TYPES)
    frame["observed_at"] = epoch_to_utc(frame["observed_at"])
    return frame


def imported_hashes(db: Db) -> set[str]:
    """Return the sha256 of every history file already imported."""
    return set(db.query("SELECT sha256 FROM imported_files FINAL")["sha256"].astype("str"))


def mark_imported(db: Db, sha256: str, path: str, rows_read: int, rows_added: int) -> None:
    """Record that the file with `sha256` was imported."""
    row = {"sha256": sha256, "path": path, "imported_at": now_epoch(), "rows_read": rows_read, "rows_added": rows_added}
    _insert_rows(db, "imported_files", [row], {"sha256": "str", "path": "str"})


def finish_catalog_file(db: Db, snapshot_id: int, sha256: str) -> None:
    """Mark an imported file's snapshot complete and record its hash (the last write of the import)."""
    row = _one_row(db, "catalog_snapshots", "snapshot_id", snapshot_id, SNAPSHOT_COLUMNS)
    if row is not None:
        _insert_rows(db, "catalog_snapshots", [row | {"sha256": sha256, "discovered": True, "complete": True}],
                     _CATALOG_TYPES)  # fmt: skip
