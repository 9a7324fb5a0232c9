"""Reading what pull analytics need from the store: observations of some images, and their failed polls."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.errors import NoSnapshots
from store.interface import Store
from store.timeutil import SECONDS_PER_DAY


def _epoch(moment: pd.Timestamp | None) -> int | None:
    if moment is None:
        return None
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int(stamp.timestamp())


def read_pull_history(
    store: Store,
    pairs: Sequence[tuple[str, str]] | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (observations, failures) of the images (all images when `pairs` is None) from the store.

    observations: namespace, name, observed_at (epoch seconds), pull_count, with the last one
    before `since` kept as a baseline; failures: namespace, name, failed_at (epoch seconds).
    Raises NoSnapshots (a LookupError) naming the images the store does not hold.
    """
    observations = store.read_observations(pairs, _epoch(since), _epoch(until))
    held = list(observations[["namespace", "name"]].drop_duplicates().itertuples(index=False, name=None))
    if pairs is not None:
        missing = sorted(set(pairs) - set(held))
        if missing:
            names = ", ".join(f"{ns}/{name}" for ns, name in missing)
            within = " between the dates asked for" if since is not None or until is not None else ""
            raise NoSnapshots(f"no snapshots stored for {names}{within}; check the name or collect it first")
    failures = store.read_poll_failures(held, _epoch(since), _epoch(until))
    return observations, failures


def read_window_counts(
    store: Store,
    offsets: Sequence[int],
    pairs: Sequence[tuple[str, str]] | None = None,
    namespace: str | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return each image's last good observation (by the end of `until`'s day) and its counts `offsets` days before.

    The input of `analysis.pulls.rank.window_growth`, for the images of `pairs` (all when None),
    optionally of one namespace. Raises NoSnapshots (a LookupError) naming the images the store does not hold.
    """
    image_ids = None
    if pairs is not None:
        found = store.find_images(pairs)
        missing = sorted(set(pairs) - set(found[["namespace", "name"]].itertuples(index=False, name=None)))
        if missing:
            names = ", ".join(f"{ns}/{name}" for ns, name in missing)
            raise NoSnapshots(f"no snapshots stored for {names}; check the name or collect it first")
        image_ids = found["image_id"].tolist()
    end = None if until is None else _epoch(pd.Timestamp(until).normalize()) + SECONDS_PER_DAY - 1
    return store.window_counts(offsets, end, namespace, image_ids)


def image_label(namespace: str, name: str) -> str:
    """Return the name people use for an image: `nginx` for official images, else `ns/name`."""
    return name if namespace == "library" else f"{namespace}/{name}"


def image_labels(frame: pd.DataFrame) -> list[str]:
    """Return the label of each row's image (columns namespace and name)."""
    if frame.empty:
        return []
    # Each distinct image labelled once: a daily series repeats a handful of images thousands of times.
    pairs = frame["namespace"].astype(str) + "\x1f" + frame["name"].astype(str)
    codes, uniques = pd.factorize(pairs)
    labels = [image_label(*pair.split("\x1f", 1)) for pair in uniques]
    return [labels[code] for code in codes]
