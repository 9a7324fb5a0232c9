"""Pull-count snapshots on ClickHouse: saving without duplicates, series, and window counts from the daily view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from store.clickhouse.db import ID_LOCK, PAIRS, Db, chunks, pair_params
from store.timeutil import epoch_to_utc, to_epoch
from store.values import IMAGE_FIELDS, check_record, failure_names, split_image

SNAPSHOT_COLUMNS = ["namespace", "name", "observed_at", "pull_count", "star_count", "last_updated", "run_id"]
IMAGE_COLUMNS = ["image_id", "namespace", "name", *IMAGE_FIELDS]
IMAGES = "(SELECT image_id, namespace, name FROM images FINAL)"


def _cleaned(record: dict[str, Any]) -> dict[str, Any]:
    # PostgreSQL refuses NUL characters in text; every backend drops them so all keep the same value.
    cleaned = {key: value.replace("\x00", "") if isinstance(value, str) else value for key, value in record.items()}
    check_record(cleaned)
    return cleaned


def _stored_images(db: Db, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    found = [
        db.query(
            f"SELECT {', '.join(IMAGE_COLUMNS)} FROM images FINAL WHERE (namespace, name) IN {PAIRS}",
            **pair_params(chunk),
        )
        for chunk in chunks(pairs)
    ]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=IMAGE_COLUMNS)


def image_ids(db: Db, records: Sequence[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """Return the id of each record's image, adding new images and the details records carry."""
    details: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        details.setdefault((record["namespace"], record["name"]), {}).update(
            {field: record[field] for field in IMAGE_FIELDS if field in record}
        )
    stored = _stored_images(db, sorted(details))
    rows = {(row["namespace"], row["name"]): row for row in stored.astype(object).to_dict("records")}
    next_id = db.next_id("images", "image_id")
    changed = []
    for pair in sorted(details):
        row = rows.get(pair)
        if row is None:
            row = {"image_id": next_id, "namespace": pair[0], "name": pair[1], **dict.fromkeys(IMAGE_FIELDS)}
            next_id += 1
        elif not details[pair] or all(_same(row[f], v) for f, v in details[pair].items()):
            continue
        # Only the fields a record carries change: a partial record never blanks the others.
        row = {**row, **details[pair]}
        rows[pair] = row
        changed.append(row)
    if changed:
        frame = pd.DataFrame(changed, columns=IMAGE_COLUMNS)
        frame = frame.astype({"image_id": "int64", "is_private": "boolean"})
        for column in ("repository_type", "description", "date_registered"):
            frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
        frame["version"] = db.stamp()
        db.insert("images", frame)
    return {pair: int(row["image_id"]) for pair, row in rows.items()}


def _same(stored: Any, given: Any) -> bool:  # noqa: ANN401
    if given is None or (not isinstance(stored, str | bool | int) and pd.isna(stored)):
        return given is None and (not isinstance(stored, str | bool | int) and pd.isna(stored))
    return stored == given


def save_snapshots(db: Db, records: Sequence[dict[str, Any]], run_id: int | None = None) -> int:
    """Store `records`; a snapshot already stored for the same image and instant is kept; return rows added."""
    if not records:
        return 0
    records = [_cleaned(record) for record in records]  # every record checked before anything is written
    with ID_LOCK:
        ids = image_ids(db, records)
    frame = pd.DataFrame(
        {
            "image_id": [ids[(r["namespace"], r["name"])] for r in records],
            "observed_at": [to_epoch(r["observed_at"]) for r in records],
            "pull_count": [int(r["pull_count"]) for r in records],
            "star_count": pd.array([r.get("star_count") for r in records], dtype="Int64"),
            "last_updated": pd.array([r.get("last_updated") for r in records], dtype="object"),
            "run_id": pd.array([r.get("run_id", run_id) for r in records], dtype="Int64"),
        }
    )
    return insert_new_snapshots(db, frame)


def insert_new_snapshots(db: Db, frame: pd.DataFrame) -> int:
    """Insert the rows of `frame` whose (image_id, observed_at) is not stored yet (the first of repeats); count them."""
    frame = frame.drop_duplicates(["image_id", "observed_at"], keep="first")
    stored = []
    for chunk in chunks(sorted(set(frame["image_id"].tolist()))):
        stored.append(
            db.query(
                "SELECT image_id, observed_at FROM snapshots WHERE image_id IN {ids:Array(UInt32)} "
                "AND observed_at BETWEEN {low:Int64} AND {high:Int64}",
                ids=chunk,
                low=int(frame["observed_at"].min()),
                high=int(frame["observed_at"].max()),
            )
        )
    if stored:
        keys = pd.concat(stored, ignore_index=True).astype("int64")
        held = pd.MultiIndex.from_frame(keys[["image_id", "observed_at"]])
        mine = pd.MultiIndex.from_frame(frame[["image_id", "observed_at"]].astype("int64"))
        frame = frame[~mine.isin(held)]
    db.insert("snapshots", frame)
    return len(frame)


def read_snapshots(
    db: Db,
    image_names: Sequence[str] | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return stored snapshots, oldest first per image, with `observed_at` as UTC datetimes."""
    where, params = ["1"], {}
    if image_names:
        pairs = [split_image(image) for image in image_names]
        where.append(f"(i.namespace, i.name) IN {PAIRS}")
        params |= pair_params(pairs)
    if since is not None:
        where.append("s.observed_at >= {since:Int64}")
        params["since"] = to_epoch(since)
    if until is not None:
        where.append("s.observed_at <= {until:Int64}")
        params["until"] = to_epoch(until)
    frame = db.query(
        "SELECT i.namespace AS namespace, i.name AS name, s.observed_at AS observed_at, s.pull_count AS pull_count, "
        "s.star_count AS star_count, s.last_updated AS last_updated, s.run_id AS run_id "
        f"FROM snapshots AS s INNER JOIN {IMAGES} AS i ON i.image_id = s.image_id "
        f"WHERE {' AND '.join(where)} ORDER BY namespace, name, observed_at",
        **params,
    )
    frame = frame.reindex(columns=SNAPSHOT_COLUMNS)
    frame["observed_at"] = epoch_to_utc(frame["observed_at"])
    return frame.astype(
        {"namespace": "str", "name": "str", "pull_count": "int64", "star_count": "Int64", "run_id": "Int64"}
    ).assign(last_updated=_text_or_none(frame["last_updated"]))


def _text_or_none(column: pd.Series) -> pd.Series:
    return column.astype("str").where(column.notna(), None) if len(column) else column.astype("str")


def list_images(db: Db) -> pd.DataFrame:
    """Return every stored image with its snapshot count, first and last observation and latest count."""
    frame = db.query(
        "SELECT i.namespace AS namespace, i.name AS name, toInt64(count()) AS snapshots, "
        "min(s.observed_at) AS first_observed, max(s.observed_at) AS last_observed, "
        "argMax(s.pull_count, s.observed_at) AS pull_count "
        f"FROM snapshots AS s INNER JOIN {IMAGES} AS i ON i.image_id = s.image_id "
        "GROUP BY i.image_id, namespace, name ORDER BY namespace, name"
    )
    frame = frame.astype({"namespace": "str", "name": "str", "snapshots": "int64", "pull_count": "int64"})
    for column in ("first_observed", "last_observed"):
        frame[column] = epoch_to_utc(frame[column])
    return frame


def images_in_run(db: Db, run_id: int) -> set[tuple[str, str]]:
    """Return the (namespace, name) of every image with a snapshot saved by `run_id`."""
    frame = db.query(
        f"SELECT DISTINCT i.namespace AS namespace, i.name AS name FROM snapshots AS s INNER JOIN {IMAGES} AS i "
        "ON i.image_id = s.image_id WHERE s.run_id = {run:UInt32}",
        run=run_id,
    )
    return set(zip(frame["namespace"].tolist(), frame["name"].tolist(), strict=True))


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reindex(columns=["image_id", "namespace", "name"]).astype(
        {"image_id": "int64", "namespace": "str", "name": "str"}
    )


def find_images(db: Db, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Return image_id, namespace and name of each stored (namespace, name) pair; unknown pairs are left out."""
    return _keys(_stored_images(db, sorted(set(pairs))))


def all_images(db: Db, namespace: str | None = None) -> pd.DataFrame:
    """Return image_id, namespace and name of every image with at least one snapshot."""
    where = "AND namespace = {namespace:String}" if namespace else ""
    frame = db.query(
        f"SELECT image_id, namespace, name FROM {IMAGES} WHERE image_id IN (SELECT image_id FROM snapshots) "
        f"{where} ORDER BY namespace, name",
        **({"namespace": namespace} if namespace else {}),
    )
    return _keys(frame)


def read_observations(
    db: Db, pairs: Sequence[tuple[str, str]] | None = None, since: int | None = None, until: int | None = None
) -> pd.DataFrame:
    """Return namespace, name, observed_at (epoch seconds) and pull_count, oldest first, one kept before `since`."""
    keys = all_images(db) if pairs is None else find_images(db, pairs)
    where, params = ["1"], {}
    if pairs is not None:
        where.append("image_id IN {ids:Array(UInt32)}")
        params["ids"] = keys["image_id"].tolist()
    if since is not None:
        # The last observation before `since` is the first period's baseline.
        baseline = "SELECT image_id, max(observed_at) FROM snapshots WHERE observed_at < {since:Int64}"
        baseline += " AND image_id IN {ids:Array(UInt32)}" if pairs is not None else ""
        where.append(f"(observed_at >= {{since:Int64}} OR (image_id, observed_at) IN ({baseline} GROUP BY image_id))")
        params["since"] = since
    if until is not None:
        where.append("observed_at <= {until:Int64}")
        params["until"] = until
    frame = db.query(
        f"SELECT image_id, observed_at, pull_count FROM snapshots WHERE {' AND '.join(where)} "
        "ORDER BY image_id, observed_at",
        **params,
    ).astype("int64")
    keys = keys.sort_values("image_id")
    position = np.searchsorted(keys["image_id"].to_numpy(), frame["image_id"].to_numpy())
    return pd.DataFrame(
        {
            "namespace": pd.array(keys["namespace"].to_numpy(object)[position], dtype="str"),
            "name": pd.array(keys["name"].to_numpy(object)[position], dtype="str"),
            "observed_at": frame["observed_at"].reset_index(drop=True),
            "pull_count": frame["pull_count"].reset_index(drop=True),
        }
    )


def read_poll_failures(
    db: Db, pairs: Sequence[tuple[str, str]], since: int | None = None, until: int | None = None
) -> pd.DataFrame:
    """Return namespace, name and failed_at (epoch seconds) of recorded failed polls of the images."""
    columns = ["namespace", "name", "failed_at"]
    names = failure_names(pairs)
    if not names:
        return pd.DataFrame(columns=columns)
    where, params = ["image IN {names:Array(String)}"], {"names": sorted(names)}
    if since is not None:
        where.append("failed_at >= {since:Int64}")
        params["since"] = since
    if until is not None:
        where.append("failed_at <= {until:Int64}")
        params["until"] = until
    frame = db.query(f"SELECT image, failed_at FROM run_failures FINAL WHERE {' AND '.join(where)}", **params)
    pairs_failed = zip(frame["image"], frame["failed_at"], strict=True)
    rows = [(*names[image], int(failed_at)) for image, failed_at in pairs_failed]
    return pd.DataFrame(rows, columns=columns)


def latest_observed_at(db: Db) -> int | None:
    """Return the instant of the newest snapshot in the store, or None when it is empty."""
    newest = db.scalar("SELECT maxOrNull(observed_at) FROM snapshots")
    return None if newest is None else int(newest)
