"""Catalog figures over time, where the store holds several snapshots: 10 M+ images and the official total."""

from __future__ import annotations

import pandas as pd

from analysis.catalog.read import snapshot_span
from analysis.catalog.stats import DEFAULT_THRESHOLD, pulls_label, sum_range


def over_time(entries: pd.DataFrame, snapshots: pd.DataFrame, pulls: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Return per snapshot: its date, images, images surely >= `pulls`, and the official images' total."""
    rows = []
    for snapshot in snapshots.itertuples(index=False):
        members = entries[entries["snapshot_id"] == snapshot.snapshot_id]
        official = sum_range(members[members["publisher"] == "official"])
        rows.append(
            {
                "snapshot_id": snapshot.snapshot_id,
                "observed": snapshot_span(pd.Series(snapshot._asdict())),
                "observed_to": snapshot.observed_to,
                "images": len(members),
                f"images_{pulls_label(pulls)}_plus": int((members["pull_low"] >= pulls).sum()),
                "official_images": official.members,
                "official_total": official.low,
                "official_total_exact": official.exact,
            }
        )
    return pd.DataFrame(rows)


def crossings(entries: pd.DataFrame, snapshots: pd.DataFrame, pulls: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Return per month the images first seen surely >= `pulls` after a snapshot that had them surely below.

    An image is counted in the month of the first snapshot that shows it at or above the threshold,
    and only when an earlier snapshot showed it surely below (its upper bound under the threshold);
    images new to the catalog, or whose earlier range straddled the threshold, are not crossings.
    """
    dated = entries.merge(snapshots[["snapshot_id", "observed_to"]], on="snapshot_id").sort_values("observed_to")
    high = dated["pull_high"].astype("Float64")
    dated = dated.assign(above=dated["pull_low"] >= pulls, below=high.notna() & (high < pulls))
    months: dict[str, int] = {}
    for _, series in dated.groupby(["namespace", "name"], sort=False):
        above = series[series["above"]]
        if above.empty:
            continue
        first = above.iloc[0]
        if series[series["observed_to"] < first["observed_to"]]["below"].any():
            month = first["observed_to"].strftime("%Y-%m")
            months[month] = months.get(month, 0) + 1
    frame = pd.DataFrame({"month": list(months), "images_crossing": list(months.values())})
    return frame.sort_values("month", ignore_index=True) if not frame.empty else frame
