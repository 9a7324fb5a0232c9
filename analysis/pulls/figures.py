"""The two pull figures every door shows, made from what was read from the store: daily pulls and growth.

The Docker Hub pulls and Overview pages, `python -m analysis pulls|growth|rank|milestone|lift` and the
deck read the store once (`analysis.pulls.read`) and hand what they read to `images_daily` or
`growth_view`; nothing else assembles these figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.pulls.combine import combine_images
from analysis.pulls.periods import daily_pulls, trim_days
from analysis.pulls.rank import MIN_PULLS_FOR_GROWTH, rank_images, window_growth, window_offsets, window_span
from analysis.pulls.read import image_labels
from store.timeutil import SECONDS_PER_DAY

GROWTH_WINDOW = 30
RECENT_WINDOW = 7
SUMMARY_COLUMNS = [
    "image", "namespace", "name", "pull_count", "first_observed", "window_end", "avg_daily_7d",
    "avg_daily_pulls", "pulls", "days", "previous_pulls", "previous_days", "growth", "flag",
]  # fmt: skip


def images_daily(
    observations: pd.DataFrame,
    failures: pd.DataFrame | None = None,
    attribution: str = "spread",
    combined: str | None = None,
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Daily pulls of a set of images from their observations and failed polls (`read_pull_history`).

    `combined` names the one series the images are summed into ("" for the default name), where asked;
    days outside since..until are dropped after the arithmetic, an earlier observation serving as baseline.
    """
    daily = daily_pulls(observations, attribution, failures)
    if combined is not None and not daily.empty:
        daily = combine_images(daily, combined or None)
    return trim_days(daily, since, until) if since is not None or until is not None else daily


def growth_offsets(window: int = GROWTH_WINDOW) -> tuple[int, ...]:
    """The day offsets `growth_view` needs read from the store (`read_window_counts`): 7 days, the window, twice it."""
    return tuple(sorted({RECENT_WINDOW, *window_offsets(window)}))


@dataclass(frozen=True)
class GrowthView:
    """The growth of a set of images over a window, as `rank` ranks it and as the pages' table shows it."""

    window: int
    growth: pd.DataFrame  # analysis.pulls.rank.window_growth: one row per image (what `rank` ranks and prints)
    table: pd.DataFrame  # the same rows with label, first observation and 7-day average, biggest image first

    def ranked(self, by: str, top: int | None = None, min_previous_pulls: int = MIN_PULLS_FOR_GROWTH) -> pd.DataFrame:
        """The images ordered by `by` (total, pulls or growth), numbered from 1 (`python -m analysis rank`)."""
        return rank_images(self.growth, by, top, min_previous_pulls)

    def headlines(self) -> dict[str, pd.Series | None]:
        """The biggest image by pull count and the fastest-growing, ranked as `rank --by total|growth --top 1`."""
        picks = {
            "biggest": rank_images(self.table, "total", top=1),
            "fastest": rank_images(self.table, "growth", top=1),
        }
        return {key: (frame.iloc[0] if not frame.empty else None) for key, frame in picks.items()}


def pull_headlines(table: pd.DataFrame) -> dict[str, pd.Series | None]:
    """The biggest image by pull count and the fastest-growing of a growth table, as `rank --top 1` picks them."""
    picks = {"biggest": rank_images(table, "total", top=1), "fastest": rank_images(table, "growth", top=1)}
    return {key: (frame.iloc[0] if not frame.empty else None) for key, frame in picks.items()}


def growth_view(counts: pd.DataFrame, window: int = GROWTH_WINDOW) -> GrowthView:
    """The growth figure from each image's window counts (`read_window_counts(store, growth_offsets(window))`)."""
    growth = window_growth(counts, window)
    recent_pulls, recent_days = window_span(counts, RECENT_WINDOW)
    first_day = counts["first_at"].astype("int64") // SECONDS_PER_DAY * SECONDS_PER_DAY
    table = growth.assign(
        image=image_labels(growth),
        first_observed=pd.to_datetime(first_day, unit="s").dt.strftime("%Y-%m-%d"),
        window_end=growth["window_end"].dt.strftime("%Y-%m-%d"),
        avg_daily_7d=recent_pulls.astype("Float64") / recent_days.astype("Float64"),
    )[SUMMARY_COLUMNS]
    table = table.sort_values(["pull_count", "image"], ascending=[False, True], ignore_index=True)
    return GrowthView(window, growth, table)
