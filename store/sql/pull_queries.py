"""Queries behind pull-count analytics: series for a few images, and whole-store window counts.

Window counts for every image are answered in the database: each image's own last good
observation, then for each cut-off day before it one index seek on the (image_id, observed_at)
primary key finds the last good count by that day's end, so a ranking never reads the full
history into memory.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.engine import Engine

from store.sql.schema import images, run_failures, snapshots
from store.timeutil import SECONDS_PER_DAY
from store.values import CAP_PULL_COUNT, failure_names

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
    names = failure_names(pairs)
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


def _good_observation(image_id, column: str, before=None, after=None, newest: bool = True):  # noqa: ANN001, ANN202
    """One column of an image's newest good observation at or before `before` (oldest after `after`): one seek."""
    inner = snapshots.alias()
    query = select(inner.c[column]).where(inner.c.image_id == image_id, inner.c.pull_count != CAP_PULL_COUNT)
    if before is not None:
        query = query.where(inner.c.observed_at <= before)
    if after is not None:
        query = query.where(inner.c.observed_at > after)
    order = inner.c.observed_at.desc() if newest else inner.c.observed_at
    return query.order_by(order).limit(1).scalar_subquery()


def window_counts(
    engine: Engine,
    offsets: Sequence[int],
    until: int | None = None,
    namespace: str | None = None,
    image_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Return per image its last good observation and the last good one at the end of each earlier day.

    Each image ends on its own last good observation at or before `until` (end_at, end_count);
    for each offset N, at_N and count_N are the last good observation at or before the end of
    the UTC day N days before that one. first_at and first_count are the image's first good
    observation. Counts stuck at the 2020 cap value are skipped; images are those with a good
    observation by `until`, optionally in one namespace or among `image_ids`.
    """
    end_at = _good_observation(images.c.image_id, "observed_at", before=until)
    ends = select(images.c.image_id, images.c.namespace, images.c.name, end_at.label("end_at"))
    if namespace:
        ends = ends.where(images.c.namespace == namespace)
    if image_ids is not None:
        ends = ends.where(images.c.image_id.in_(list(image_ids)))
    ends = ends.subquery("ends")
    end_day = ends.c.end_at // SECONDS_PER_DAY
    columns = [
        _good_observation(ends.c.image_id, "pull_count", before=ends.c.end_at).label("end_count"),
        _good_observation(ends.c.image_id, "observed_at", newest=False).label("first_at"),
        _good_observation(ends.c.image_id, "pull_count", newest=False).label("first_count"),
    ]
    for offset in offsets:
        cutoff = (end_day - offset + 1) * SECONDS_PER_DAY - 1
        columns.append(_good_observation(ends.c.image_id, "observed_at", before=cutoff).label(f"at_{offset}"))
        columns.append(_good_observation(ends.c.image_id, "pull_count", before=cutoff).label(f"count_{offset}"))
    query = select(ends.c.image_id, ends.c.namespace, ends.c.name, ends.c.end_at, *columns)
    query = query.where(ends.c.end_at.is_not(None)).order_by(ends.c.namespace, ends.c.name)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    names = ["image_id", "namespace", "name", "end_at", "end_count", "first_at", "first_count"]
    names += [f"{kind}_{offset}" for offset in offsets for kind in ("at", "count")]
    frame = _frame(rows, names)
    for column in names[3:]:
        frame[column] = frame[column].astype("Int64")
    return frame
