"""Saving and reading pull-count snapshots."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import and_, or_, select, text, tuple_
from sqlalchemy.engine import Connection, Engine

from store.sql.schema import images, snapshots
from store.sql.upsert import insert_ignore, upsert
from store.timeutil import epoch_to_utc, to_epoch
from store.values import IMAGE_FIELDS, check_record, split_image

SNAPSHOT_COLUMNS = [
    "namespace",
    "name",
    "observed_at",
    "pull_count",
    "star_count",
    "last_updated",
    "run_id",
]
_CHUNK = 5000


def image_ids(
    connection: Connection, pairs: Iterable[tuple[str, str]], details: dict | None = None
) -> dict[tuple[str, str], int]:
    """Return the id of each (namespace, name), adding images the store has not seen."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    rows = [{"namespace": ns, "name": name} for ns, name in wanted]
    insert_ignore(connection, images, rows)
    if details:
        # Only the fields a record carries are updated: a partial record never blanks the others.
        by_fields: dict[tuple[str, ...], list[dict]] = {}
        for (ns, name), fields in details.items():
            by_fields.setdefault(tuple(sorted(fields)), []).append({"namespace": ns, "name": name, **fields})
        for fields, detail_rows in by_fields.items():
            upsert(connection, images, detail_rows, ["namespace", "name"], list(fields))
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        query = select(images.c.namespace, images.c.name, images.c.image_id).where(
            tuple_(images.c.namespace, images.c.name).in_(chunk)
        )
        found.update({(ns, name): image_id for ns, name, image_id in connection.execute(query)})
    return found


def save_snapshots(engine: Engine | Connection, records: Sequence[dict[str, Any]], run_id: int | None = None) -> int:
    """Store `records` (namespace, name, observed_at, pull_count, ...) in one transaction; return rows added.

    A snapshot already stored for the same image and instant is left as it is, so saving the same
    records twice adds nothing. Every record is checked first (store.values): one value the store
    would not keep the same way on SQLite and PostgreSQL raises StoreValueError, and nothing is written.
    """
    if not records:
        return 0
    records = [_checked(record) for record in records]
    if isinstance(engine, Connection):
        return _save(engine, records, run_id)
    with engine.begin() as connection:
        return _save(connection, records, run_id)


def _without_nul(value: Any) -> Any:
    # PostgreSQL refuses NUL characters in text; drop them so both stores keep the same value.
    return value.replace("\x00", "") if isinstance(value, str) else value


def _checked(record: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: _without_nul(value) for key, value in record.items()}
    check_record(cleaned)
    return cleaned


def _save(connection: Connection, records: Sequence[dict[str, Any]], run_id: int | None) -> int:
    details = {
        (r["namespace"], r["name"]): {f: r[f] for f in IMAGE_FIELDS if f in r}
        for r in records
        if any(f in r for f in IMAGE_FIELDS)
    }
    ids = image_ids(connection, ((r["namespace"], r["name"]) for r in records), details)
    rows = [
        {
            "image_id": ids[(r["namespace"], r["name"])],
            "observed_at": to_epoch(r["observed_at"]),
            "pull_count": int(r["pull_count"]),
            "star_count": None if r.get("star_count") is None else int(r["star_count"]),
            "last_updated": r.get("last_updated"),
            "run_id": r.get("run_id", run_id),
        }
        for r in records
    ]
    added = 0
    for start in range(0, len(rows), _CHUNK):
        added += insert_ignore(connection, snapshots, rows[start : start + _CHUNK])
    return added


def read_snapshots(
    engine: Engine,
    image_names: Sequence[str] | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return stored snapshots, oldest first per image, with `observed_at` as UTC datetimes."""
    query = select(
        images.c.namespace,
        images.c.name,
        snapshots.c.observed_at,
        snapshots.c.pull_count,
        snapshots.c.star_count,
        snapshots.c.last_updated,
        snapshots.c.run_id,
    ).join(images, images.c.image_id == snapshots.c.image_id)
    if image_names:
        pairs = [split_image(image) for image in image_names]
        query = query.where(or_(*[and_(images.c.namespace == ns, images.c.name == name) for ns, name in pairs]))
    if since is not None:
        query = query.where(snapshots.c.observed_at >= to_epoch(since))
    if until is not None:
        query = query.where(snapshots.c.observed_at <= to_epoch(until))
    query = query.order_by(images.c.namespace, images.c.name, snapshots.c.observed_at)
    with engine.connect() as connection:
        # Plain tuples: pandas builds a frame from them several times faster than from Row objects.
        frame = pd.DataFrame([tuple(row) for row in connection.execute(query)], columns=SNAPSHOT_COLUMNS)
    frame["observed_at"] = epoch_to_utc(frame["observed_at"])
    frame["pull_count"] = frame["pull_count"].astype("int64")
    frame["star_count"] = frame["star_count"].astype("Int64")
    frame["run_id"] = frame["run_id"].astype("Int64")
    return frame


def list_images(engine: Engine) -> pd.DataFrame:
    """Return every stored image with its snapshot count, first and last observation and latest count."""
    query = text("""
        SELECT i.namespace, i.name, COUNT(*) AS snapshots,
               MIN(s.observed_at) AS first_observed, MAX(s.observed_at) AS last_observed,
               (SELECT s2.pull_count FROM snapshots s2 WHERE s2.image_id = i.image_id
                ORDER BY s2.observed_at DESC LIMIT 1) AS pull_count
        FROM images i JOIN snapshots s ON s.image_id = i.image_id
        GROUP BY i.image_id, i.namespace, i.name
        ORDER BY i.namespace, i.name
    """)
    with engine.connect() as connection:
        frame = pd.read_sql_query(query, connection)
    for column in ("first_observed", "last_observed"):
        frame[column] = epoch_to_utc(frame[column])
    return frame


def images_in_run(engine: Engine, run_id: int) -> set[tuple[str, str]]:
    """Return the (namespace, name) of every image with a snapshot saved by `run_id`."""
    query = (
        select(images.c.namespace, images.c.name)
        .join(snapshots, snapshots.c.image_id == images.c.image_id)
        .where(snapshots.c.run_id == run_id)
        .distinct()
    )
    with engine.connect() as connection:
        return {(namespace, name) for namespace, name in connection.execute(query)}
