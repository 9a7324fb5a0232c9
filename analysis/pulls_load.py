"""Reading what pull analytics need from the store: observations of some images, and their failed polls."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from store.pull_queries import all_images, find_images, read_observations, read_poll_failures


def _epoch(moment: pd.Timestamp | None) -> int | None:
    if moment is None:
        return None
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int(stamp.timestamp())


def read_pull_history(
    engine: Engine,
    pairs: Sequence[tuple[str, str]] | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (observations, failures) of the images (all images when `pairs` is None) from the store.

    observations: namespace, name, observed_at (epoch seconds), pull_count, with the last one
    before `since` kept as a baseline; failures: namespace, name, failed_at (epoch seconds).
    Raises LookupError naming the images the store does not hold.
    """
    if pairs is None:
        keys = all_images(engine)
    else:
        keys = find_images(engine, pairs)
        missing = sorted(set(pairs) - set(zip(keys["namespace"], keys["name"], strict=True)))
        if missing:
            names = ", ".join(f"{ns}/{name}" for ns, name in missing)
            raise LookupError(f"no snapshots stored for {names}; check the name or collect it first")
    observations = read_observations(engine, keys["image_id"].tolist(), _epoch(since), _epoch(until))
    observations = observations.merge(keys, on="image_id").drop(columns="image_id")
    chosen = list(zip(keys["namespace"], keys["name"], strict=True))
    failures = read_poll_failures(engine, chosen, _epoch(since), _epoch(until))
    return observations[["namespace", "name", "observed_at", "pull_count"]], failures
