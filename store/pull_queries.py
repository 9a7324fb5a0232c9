"""Queries behind pull-count analytics: series for a few images, and whole-store window counts.

Window counts for every image are answered in the database: for each cut-off instant, one
index seek per image on the (image_id, observed_at) primary key finds the last good count at or
before it, so a ranking never reads the full history into memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, literal, select, tuple_
from sqlalchemy.engine import Engine

from store.schema import images, run_failures, snapshots

# Docker Hub's counters were stuck at the largest 32-bit signed integer for some images in 2020.
CAP_PULL_COUNT = 2_147_483_647
SECONDS_PER_DAY = 86_400
_IN_CHUNK = 400


def _frame(rows: Sequence[Sequence], columns: list[str]) -> pd.DataFrame:
    """A frame from result rows, built column by column (much faster than from Row objects)."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def find_images(engine: Engine, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Return image_id, namespace and name of each stored (namespace, name) pair; unknown pairs are left out."""
    wanted = sorted(set(pairs))
    found: list[tuple] = []
    with engine.connect() as connection:
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            query = select(images.c.image_id, images.c.namespace, images.c.name).where(
                tuple_(images.c.namespace, images.c.name).in_(chunk)
            )
            found.extend(connection.execute(query).all())
    return pd.DataFrame(found, columns=["image_id", "namespace", "name"])


def all_images(engine: Engine, namespace: str | None = None) -> pd.DataFrame:
    """Return image_id, namespace and name of every image with at least one snapshot."""
    has_snapshot = select(snapshots.c.image_id).where(snapshots.c.image_id == images.c.image_id).exists()
    query = select(images.c.image_id, images.c.namespace, images.c.name).where(has_snapshot)
    if namespace:
        query = query.where(images.c.namespace == namespace)
    query = query.order_by(images.c.namespace, images.c.name)
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).all(), columns=["image_id", "namespace", "name"])


def read_observations(
    engine: Engine,
    pairs: Sequence[tuple[str, str]] | None = None,
    since: int | None = None,
    until: int | None = None,
) -> pd.DataFrame:
    """Return namespace, name, observed_at (epoch seconds) and pull_count of the images, oldest first.

    All images when `pairs` is None. With `since`, the last observation before it is included
    too, so the first period in range has a baseline to count from.
    """
    keys = all_images(engine) if pairs is None else find_images(engine, pairs)
    query = select(snapshots.c.image_id, snapshots.c.observed_at, snapshots.c.pull_count)
    if pairs is not None:
        query = query.where(snapshots.c.image_id.in_(keys["image_id"].tolist()))
    if since is not None:
        earlier = snapshots.alias("earlier")
        baseline = (
            select(func.max(earlier.c.observed_at))
            .where(earlier.c.image_id == snapshots.c.image_id, earlier.c.observed_at < since)
            .scalar_subquery()
        )
        query = query.where(snapshots.c.observed_at >= func.coalesce(baseline, literal(since)))
    if until is not None:
        query = query.where(snapshots.c.observed_at <= until)
    query = query.order_by(snapshots.c.image_id, snapshots.c.observed_at)
    with engine.connect() as connection:
        frame = _frame(connection.execute(query).all(), ["image_id", "observed_at", "pull_count"])
    frame = frame.astype("int64")
    # Names are looked up once per image rather than joined onto every row.
    keys = keys.sort_values("image_id")
    position = np.searchsorted(keys["image_id"].to_numpy(), frame["image_id"].to_numpy())
    return pd.DataFrame(
        {
            "namespace": pd.array(keys["namespace"].to_numpy(object)[position], dtype="str"),
            "name": pd.array(keys["name"].to_numpy(object)[position], dtype="str"),
            "observed_at": frame["observed_at"],
            "pull_count": frame["pull_count"],
        }
    )


def read_poll_failures(
    engine: Engine, pairs: Sequence[tuple[str, str]], since: int | None = None, until: int | None = None
) -> pd.DataFrame:
    """Return namespace, name and failed_at (epoch seconds) of recorded failed polls of the images."""
    columns = ["namespace", "name", "failed_at"]
    names: dict[str, tuple[str, str]] = {}
    for namespace, name in pairs:
        names[f"{namespace}/{name}"] = (namespace, name)
        if namespace == "library":
            names[name] = (namespace, name)
    if not names:
        return pd.DataFrame(columns=columns)
    query = select(run_failures.c.image, run_failures.c.failed_at).where(run_failures.c.image.in_(sorted(names)))
    if since is not None:
        query = query.where(run_failures.c.failed_at >= since)
    if until is not None:
        query = query.where(run_failures.c.failed_at <= until)
    with engine.connect() as connection:
        rows = [(*names[image], int(failed_at)) for image, failed_at in connection.execute(query)]
    return pd.DataFrame(rows, columns=columns)


def latest_observed_at(engine: Engine) -> int | None:
    """Return the instant of the newest snapshot in the store, or None when it is empty."""
    with engine.connect() as connection:
        return connection.execute(select(func.max(snapshots.c.observed_at))).scalar()


def _count_at(cutoff: int):  # noqa: ANN202
    """The last good count of the outer image at or before `cutoff` (one index seek)."""
    inner = snapshots.alias("inner_snapshots")
    return (
        select(inner.c.pull_count)
        .where(
            inner.c.image_id == images.c.image_id,
            inner.c.observed_at <= cutoff,
            inner.c.pull_count != CAP_PULL_COUNT,
        )
        .order_by(inner.c.observed_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _first_in(start: int, end: int, column: str):  # noqa: ANN202
    """The first good observation (its `column`) of the outer image after `start` and at or before `end`."""
    inner = snapshots.alias("first_snapshots")
    return (
        select(inner.c[column])
        .where(
            inner.c.image_id == images.c.image_id,
            and_(inner.c.observed_at > start, inner.c.observed_at <= end),
            inner.c.pull_count != CAP_PULL_COUNT,
        )
        .order_by(inner.c.observed_at)
        .limit(1)
        .scalar_subquery()
    )


def window_counts(
    engine: Engine,
    cutoffs: Sequence[int],
    namespace: str | None = None,
    image_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Return per image the last good count at or before each cut-off (columns count_0, count_1, ...).

    Also returned: first_at and first_count, the first good observation after the earliest
    cut-off (the baseline of an image that is newer than the window). Counts stuck at the 2020
    cap value are skipped. Images are those with any snapshot, optionally in one namespace.
    """
    earliest, latest = min(cutoffs), max(cutoffs)
    columns = [_count_at(cutoff).label(f"count_{k}") for k, cutoff in enumerate(cutoffs)]
    query = select(
        images.c.image_id,
        images.c.namespace,
        images.c.name,
        *columns,
        _first_in(earliest, latest, "observed_at").label("first_at"),
        _first_in(earliest, latest, "pull_count").label("first_count"),
    )
    has_snapshot = select(snapshots.c.image_id).where(snapshots.c.image_id == images.c.image_id).exists()
    query = query.where(has_snapshot)
    if namespace:
        query = query.where(images.c.namespace == namespace)
    if image_ids is not None:
        query = query.where(images.c.image_id.in_(list(image_ids)))
    names = ["image_id", "namespace", "name", *[f"count_{k}" for k in range(len(cutoffs))], "first_at", "first_count"]
    with engine.connect() as connection:
        frame = _frame(connection.execute(query).all(), names)
    for column in names[3:]:
        frame[column] = frame[column].astype("Int64")
    return frame
