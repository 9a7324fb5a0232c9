"""Anomalies in a daily pull series (the flags worth a person's attention), failed polls, the last good day."""

from __future__ import annotations

import pandas as pd

from analysis.counter_faults import epoch_seconds, observation_faults
from analysis.pulls.read import image_labels
from store.timeutil import SECONDS_PER_DAY

# Flags drawn as markers and listed as anomalies (baseline, joined and partial are bookkeeping).
ANOMALY_FLAGS = ("gap", "failed_poll", "cap", "decrease", "stall", "catch_up")
# Flags of observations left out of the arithmetic: such a day is not a good observation.
IGNORED_FLAGS = ("cap", "decrease", "stall")


def anomaly_text(flag: object) -> str:
    """Return the anomaly flags in a day's flag text (`;`-separated), bookkeeping flags left out."""
    parts = str(flag).split(";") if isinstance(flag, str) else []
    return ";".join(part for part in parts if part in ANOMALY_FLAGS)


def anomaly_texts(flags: pd.Series) -> list[str]:
    """Return `anomaly_text` of each flag text; each distinct text is read once."""
    codes, uniques = pd.factorize(flags, use_na_sentinel=True)
    texts = [anomaly_text(flag) for flag in uniques]
    return [texts[code] if code >= 0 else "" for code in codes]


def anomalies(daily: pd.DataFrame) -> pd.DataFrame:
    """Every day with an anomaly: image, day, what was flagged and the count observed that day."""
    flags = pd.Series(anomaly_texts(daily["flag"]), index=daily.index, dtype=object)
    flagged = daily[flags != ""]
    return pd.DataFrame(
        {
            "image": image_labels(flagged),
            "day": flagged["period"].dt.date.astype(str).to_numpy(),
            "flag": flags[flags != ""].to_numpy(),
            "observed_count": flagged["observed_count"].to_numpy(),
        }
    )


def snapshot_faults(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Return `snapshots` (namespace, name, observed_at, pull_count, ...) with a `flag` column: cap, decrease, stall.

    Each image's snapshots, oldest first, go through the daily series' own masks
    (`analysis.counter_faults.observation_faults`): a count stuck at the int32 cap, a count below an
    earlier good one (a reset), the last snapshot of each stalled day. Growth leaves these out.
    """
    flags = pd.Series("", index=snapshots.index, dtype=object)
    if snapshots.empty:
        return snapshots.assign(flag=flags)
    ordered = snapshots.sort_values(["namespace", "name", "observed_at"], kind="stable")
    seconds = epoch_seconds(ordered["observed_at"])
    counts = ordered["pull_count"].astype("int64").to_numpy()
    labels = ordered.index.to_numpy()
    for rows in ordered.groupby(["namespace", "name"], sort=False).indices.values():
        flags.loc[labels[rows]] = observation_faults(seconds[rows], counts[rows])
    return snapshots.assign(flag=flags)


def failed_polls_outside(daily: pd.DataFrame, failures: pd.DataFrame) -> pd.DataFrame:
    """Failed polls before an image's first or after its last observed day: events to mark, not days of data.

    Returns image, day and flag (`failed_poll`), one row per image and day; failed polls inside a
    series are already its days' `failed_poll` flags.
    """
    columns = ["image", "day", "flag"]
    if failures.empty or daily.empty:
        return pd.DataFrame(columns=columns)
    spans = daily.groupby(["namespace", "name"], sort=False)["period"].agg(["min", "max"]).reset_index()
    days = pd.to_datetime(epoch_seconds(failures["failed_at"]) // SECONDS_PER_DAY * SECONDS_PER_DAY, unit="s")
    events = failures[["namespace", "name"]].assign(day=days).merge(spans, on=["namespace", "name"])
    outside = events[(events["day"] < events["min"]) | (events["day"] > events["max"])]
    outside = outside.drop_duplicates(["namespace", "name", "day"]).sort_values(["namespace", "name", "day"])
    return pd.DataFrame(
        {"image": image_labels(outside), "day": outside["day"].to_numpy(), "flag": "failed_poll"}, columns=columns
    )


def data_as_of(daily: pd.DataFrame) -> pd.Timestamp | None:
    """Return the last day with a good observation in `daily` (never a failed poll or a gap), or None."""
    if daily.empty:
        return None
    ignored = daily["flag"].astype(str).str.contains("|".join(IGNORED_FLAGS))
    good = daily["observed_count"].notna() & daily["pull_count"].notna() & ~ignored
    return pd.Timestamp(daily.loc[good, "period"].max()) if good.any() else None
