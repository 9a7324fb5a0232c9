"""Catalog figures over time, where the store holds several snapshots: 10 M+ images and the official total."""

from __future__ import annotations

import pandas as pd

from analysis.catalog.read import snapshot_span
from analysis.catalog.stats import DEFAULT_THRESHOLD, pulls_label, sum_range, threshold_count
from analysis.counter_faults import epoch_seconds, observation_faults

# The counters' known faults, as the pull history flags them: the int32 cap, a reset, a stall.
FAULTS = ("cap", "decrease", "stall")


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


def entry_faults(entries: pd.DataFrame, snapshots: pd.DataFrame) -> pd.Series:
    """Return each entry's fault ("cap", "decrease", "stall" or ""), read from its exact counts across snapshots.

    Each repository's exact counts, in snapshot order, go through the pull history's own fault
    masks (`analysis.counter_faults.observation_faults`): the int32 cap 2,147,483,647, a count below
    an earlier one (a reset), a flat run its usual rate makes implausible. A bucketed count is a
    range, so it is never flagged.
    """
    faults = pd.Series("", index=entries.index, dtype=object)
    exact = entries[entries["exact"].astype(bool)].reset_index(names="entry")
    dated = exact.merge(snapshots[["snapshot_id", "observed_to"]], on="snapshot_id")
    if dated.empty:
        return faults
    dated = dated.sort_values(["namespace", "name", "observed_to"], kind="stable", ignore_index=True)
    seconds = epoch_seconds(dated["observed_to"])
    counts = dated["pull_low"].astype("int64").to_numpy()
    where = dated["entry"].to_numpy()
    for rows in dated.groupby(["namespace", "name"], sort=False).indices.values():
        faults.loc[where[rows]] = observation_faults(seconds[rows], counts[rows])
    return faults


def threshold_over_time(entries: pd.DataFrame, snapshots: pd.DataFrame, pulls: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Return per snapshot how many images were at or above `pulls` (floors), and how many counts are flagged.

    One row per snapshot, oldest first: the snapshot's id and dates, `threshold_count`'s columns
    (images whose lower bound reaches `pulls`, exact and bounds apart, straddling, base), then how
    many of the snapshot's counts carry each known counter fault (`cap`, `decrease`, `stall`): a
    capped count is counted at the cap (a floor still), a reset may hide an image above `pulls`.
    """
    faults = entry_faults(entries, snapshots)
    rows = []
    for snapshot in snapshots.sort_values("observed_to", kind="stable").itertuples(index=False):
        members = entries["snapshot_id"] == snapshot.snapshot_id
        row = threshold_count(entries[members], pulls).iloc[0].to_dict()
        row |= {fault: int((members & (faults == fault)).sum()) for fault in FAULTS}
        rows.append(
            {"snapshot_id": snapshot.snapshot_id, "observed": snapshot_span(pd.Series(snapshot._asdict())), **row}
        )
    columns = ["snapshot_id", "observed", "threshold", "label", "images", "exact", "bounds", "straddling", "base"]
    return pd.DataFrame(rows, columns=[*columns, *FAULTS])
