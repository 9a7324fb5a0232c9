"""Per-image summary of pulls (latest count, averages, 30-day growth) and the headline images it picks.

Growth here is `analysis.pulls.rank.window_growth`, the function behind `python -m analysis rank`,
so the dashboard and the command line give one answer.
"""

from __future__ import annotations

import pandas as pd

from analysis.pulls.rank import MIN_PULLS_FOR_GROWTH, rank_images, window_growth, window_span
from analysis.pulls.read import image_labels
from store.timeutil import SECONDS_PER_DAY

GROWTH_WINDOW = 30
RECENT_WINDOW = 7
# Day offsets growth_table needs from analysis.pulls.read.read_window_counts.
GROWTH_OFFSETS = (RECENT_WINDOW, GROWTH_WINDOW, 2 * GROWTH_WINDOW)
SUMMARY_COLUMNS = [
    "image", "namespace", "name", "pull_count", "first_observed", "window_end", "avg_daily_7d",
    "avg_daily_pulls", "pulls", "days", "previous_pulls", "previous_days", "growth", "flag",
]  # fmt: skip
__all__ = ["GROWTH_OFFSETS", "MIN_PULLS_FOR_GROWTH", "growth_table", "pull_headlines"]


def growth_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Per image: latest count, first observation, 30-day window growth (as `rank`) and 7-day average daily pulls.

    `counts` is `read_window_counts(store, GROWTH_OFFSETS, ...)`; biggest image first.
    """
    growth = window_growth(counts, GROWTH_WINDOW)
    recent_pulls, recent_days = window_span(counts, RECENT_WINDOW)
    first_day = counts["first_at"].astype("int64") // SECONDS_PER_DAY * SECONDS_PER_DAY
    table = growth.assign(
        image=image_labels(growth),
        first_observed=pd.to_datetime(first_day, unit="s").dt.strftime("%Y-%m-%d"),
        window_end=growth["window_end"].dt.strftime("%Y-%m-%d"),
        avg_daily_7d=recent_pulls.astype("Float64") / recent_days.astype("Float64"),
    )[SUMMARY_COLUMNS]
    return table.sort_values(["pull_count", "image"], ascending=[False, True], ignore_index=True)


def pull_headlines(growth: pd.DataFrame) -> dict[str, pd.Series | None]:
    """The biggest image by pull count and the fastest-growing, ranked as `rank --by total|growth --top 1`."""
    picks = {"biggest": rank_images(growth, "total", top=1), "fastest": rank_images(growth, "growth", top=1)}
    return {key: (frame.iloc[0] if not frame.empty else None) for key, frame in picks.items()}
