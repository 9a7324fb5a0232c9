"""Per-image summary of pulls (latest count, averages, 30-day change) and the headline images it picks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.pulls_growth import average_daily_pulls, count_on
from analysis.pulls_load import image_label

MIN_PULLS_FOR_GROWTH = 10_000  # fastest-growing among images with at least this many pulls in 30 days
GROWTH_COLUMNS = [
    "image", "pull_count", "first_observed", "last_observed", "avg_daily_7d", "avg_daily_30d",
    "pulls_30d", "change_vs_prior_30d",
]  # fmt: skip


def growth_table(daily: pd.DataFrame) -> pd.DataFrame:
    """Per image: latest count, days observed, average daily pulls over 7 and 30 days, change on the prior 30."""
    if daily.empty:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    averaged = average_daily_pulls(daily)
    rows = []
    for (namespace, name), days in averaged.groupby(["namespace", "name"], sort=False):
        known = days[days["pull_count"].notna()]
        if known.empty:
            continue
        last = known.iloc[-1]
        prior_end, _ = count_on(days, last["period"] - pd.Timedelta(days=30))
        prior_start, _ = count_on(days, last["period"] - pd.Timedelta(days=60))
        prior = (prior_end - prior_start) / 30 if not (pd.isna(prior_end) or pd.isna(prior_start)) else np.nan
        avg_30 = float(last["avg_30d"]) if pd.notna(last["avg_30d"]) else np.nan
        rows.append(
            {
                "image": image_label(namespace, name),
                "pull_count": int(last["pull_count"]),
                "first_observed": days["period"].iloc[0].date().isoformat(),
                "last_observed": last["period"].date().isoformat(),
                "avg_daily_7d": float(last["avg_7d"]) if pd.notna(last["avg_7d"]) else np.nan,
                "avg_daily_30d": avg_30,
                "pulls_30d": avg_30 * 30,
                "change_vs_prior_30d": avg_30 / prior - 1 if prior and prior > 0 else np.nan,
            }
        )
    table = pd.DataFrame(rows, columns=GROWTH_COLUMNS)
    return table.sort_values("pull_count", ascending=False, ignore_index=True)


def pull_headlines(growth: pd.DataFrame) -> dict[str, pd.Series | None]:
    """The biggest image by pull count and the fastest-growing (30 days on the 30 before) among busy images."""
    if growth.empty:
        return {"biggest": None, "fastest": None}
    biggest = growth.sort_values("pull_count", ascending=False).iloc[0]
    busy = growth[(growth["pulls_30d"] >= MIN_PULLS_FOR_GROWTH) & growth["change_vs_prior_30d"].notna()]
    fastest = busy.sort_values("change_vs_prior_30d", ascending=False).iloc[0] if not busy.empty else None
    return {"biggest": biggest, "fastest": fastest}
