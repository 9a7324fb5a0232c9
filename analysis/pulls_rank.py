"""Rankings of images by total pulls, pulls in a window and growth; an image's share of a peer set."""

from __future__ import annotations

import pandas as pd

from analysis.pulls_periods import FLAG_SEPARATOR

RANK_BY = ("total", "pulls", "growth")
MIN_PREVIOUS_PULLS = 1000
RANK_COLUMNS = [
    "rank",
    "namespace",
    "name",
    "pull_count",
    "pulls",
    "avg_daily_pulls",
    "previous_pulls",
    "growth",
    "flag",
]


def parse_window(text: str) -> int:
    """Return the number of days in a window written as 30d, 4w or a bare number of days."""
    value = text.strip().lower()
    factor = 1
    if value.endswith("w"):
        factor, value = 7, value[:-1]
    elif value.endswith("d"):
        value = value[:-1]
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"not a window: {text!r} (write a number of days such as 30d, or weeks such as 4w)")
    return int(value) * factor


def _flags(partial: pd.Series, decreased: pd.Series) -> pd.Series:
    text = pd.Series("", index=partial.index, dtype=object)
    text = text.where(~partial, "partial")
    both = partial & decreased
    text = text.where(~decreased, "decrease")
    return text.where(~both, f"partial{FLAG_SEPARATOR}decrease")


def window_pulls(counts: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Return pull_count, pulls in the last window and in the one before it, from window counts.

    `counts` comes from store.pull_queries.window_counts with cut-offs (end - 2 windows,
    end - 1 window, end). An image first seen inside the last window counts from its first
    observation and is flagged `partial`; a negative difference is flagged `decrease`.
    """
    pull_count = counts["count_2"]
    start = counts["count_1"]
    partial = start.isna() & counts["first_count"].notna()
    start = start.fillna(counts["first_count"])
    pulls = pull_count - start
    previous = counts["count_1"] - counts["count_0"]
    return pd.DataFrame(
        {
            "namespace": counts["namespace"],
            "name": counts["name"],
            "pull_count": pull_count,
            "pulls": pulls,
            "avg_daily_pulls": pulls.astype("Float64") / window_days,
            "previous_pulls": previous,
            "growth": pulls.astype("Float64") / previous.astype("Float64") - 1,
            "flag": _flags(partial.fillna(False), (pulls < 0).fillna(False) | (previous < 0).fillna(False)),
        }
    )


def rank_images(
    window: pd.DataFrame, by: str, top: int | None = None, min_previous_pulls: int = MIN_PREVIOUS_PULLS
) -> pd.DataFrame:
    """Return the images ordered by `by` (total, pulls or growth), best first, numbered from 1.

    Growth needs at least `min_previous_pulls` in the previous window, so that a tiny base does
    not top the list; images without a value for `by` are left out.
    """
    if by not in RANK_BY:
        raise ValueError(f"unknown ranking {by!r}; choose one of {', '.join(RANK_BY)}")
    key = {"total": "pull_count", "pulls": "pulls", "growth": "growth"}[by]
    ranked = window[window[key].notna()]
    if by == "growth":
        ranked = ranked[(ranked["previous_pulls"] >= min_previous_pulls).fillna(False)]
    ranked = ranked.sort_values([key, "namespace", "name"], ascending=[False, True, True], kind="stable")
    if top is not None:
        ranked = ranked.head(top)
    ranked = ranked.assign(rank=range(1, len(ranked) + 1))
    return ranked[RANK_COLUMNS].reset_index(drop=True)


def peer_share(periods: pd.DataFrame) -> pd.DataFrame:
    """Return `periods` with `share`: each image's pulls over the pulls of all images in the frame that period.

    The share is unknown in a period where any image's pulls are unknown, so it never leans on a
    partial total.
    """
    by_period = periods.groupby("period")["pulls"]
    total = by_period.transform(lambda values: values.sum(min_count=1) if values.notna().all() else pd.NA)
    total = total.astype("Float64")
    share = periods["pulls"].astype("Float64") / total.where(total > 0)
    return periods.assign(share=share)
