"""Pull-count views for the dashboard: the analysis package's daily pulls shaped for charts and cards (pure).

The arithmetic (pulls per period, flags, averages, milestones, anomalies) is `analysis.pulls_*`; this
module only picks the rows a chart needs and turns flags into markers. Suspect counts stay out of the
lines: they show as markers and in the anomalies table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.pulls.anomalies import anomaly_texts
from analysis.pulls.freshness import age_note
from analysis.views.pulls import period_table

SERIES_COLUMNS = ["image", "period", "value", "flag", "estimated", "days", "days_in_period", "partial", "marker_y"]
FAILURE_COLUMNS = ["image", "period", "flag", "marker_y"]
# A chart whose x-axis spans more than this draws a cumulative count one day a week: at slide or screen
# width a daily point is under a pixel, and the browser's redraw time grows with the points it is sent.
DAILY_DISPLAY_SPAN = pd.Timedelta(days=730)


def series(daily: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Chart rows: the cumulative count or pulls per day/week/month, with flags and partial periods.

    `daily` is `analysis.pulls.periods.daily_pulls` output; `flag` keeps only the anomalies;
    `days` of `days_in_period` and `partial` come from `analysis.pulls.periods.period_pulls`
    (a cumulative count is never partial: it is the count at the end of the day).
    """
    if daily.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    table = period_table(daily, measure)
    column = "pull_count" if measure == "cumulative" else "pulls"
    frame = table.rename(columns={column: "value"}).assign(flag=anomaly_texts(table["flag"]))
    marker = frame.groupby("image", sort=False)["value"].transform(lambda values: values.ffill().bfill())
    return frame.assign(marker_y=marker.fillna(0.0))


def failure_markers(series: pd.DataFrame, failed: pd.DataFrame) -> pd.DataFrame:
    """Chart rows for failed polls outside the series (`analysis.pulls.anomalies.failed_polls_outside`).

    Each sits at its image's nearest drawn value: a marker on its day, never a point of the line.
    """
    if failed.empty or series.empty:
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    known = series[series["value"].notna()]
    first = known.groupby("image", sort=False)["value"].first()
    last = known.groupby("image", sort=False)["value"].last()
    starts = series.groupby("image", sort=False)["period"].min()
    before = failed["day"].to_numpy() < failed["image"].map(starts).to_numpy()
    level = np.where(before, failed["image"].map(first), failed["image"].map(last))
    return pd.DataFrame(
        {
            "image": failed["image"].to_numpy(),
            "period": failed["day"].to_numpy(),
            "flag": failed["flag"].to_numpy(),
            "marker_y": pd.Series(level, dtype=float).fillna(0.0).to_numpy(),
        }
    )


def display_points(series: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The rows a chart draws: a cumulative count spanning over two years keeps each image's first day,
    the last day of every week and every flagged day; anything else is returned whole.

    The values kept are the exact daily counts (no averaging); tables and CSV exports use the full series.
    """
    if measure != "cumulative" or series.empty:
        return series
    if series["period"].max() - series["period"].min() <= DAILY_DISPLAY_SPAN:
        return series
    week = series["period"].dt.to_period("W")
    by_week = series.groupby([series["image"], week], sort=False)
    keep = by_week.cumcount(ascending=False).eq(0) | series.groupby("image", sort=False).cumcount().eq(0)
    return series[keep.to_numpy() | (series["flag"].astype(str) != "").to_numpy()]


def parse_events(text: str) -> tuple[list[tuple[pd.Timestamp, str]], list[str]]:
    """Read `YYYY-MM-DD label` lines into (events, problems); a line that is not a date is a problem."""
    events, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        day, _, words = line.strip().partition(" ")
        try:
            moment = pd.Timestamp(day)
        except (ValueError, TypeError, OverflowError):
            # The line is not quoted back: it may have come from a link's `events` parameter.
            problems.append(f"line {number} does not start with a date; write YYYY-MM-DD then a label")
            continue
        events.append((moment.tz_localize(None) if moment.tzinfo else moment, words.strip() or day))
    return events, problems


def stale_warning(as_of: str, today: pd.Timestamp) -> str:
    """The warning above pull figures whose newest observation is stale, else "" (nothing to warn about)."""
    note = age_note(as_of, today)
    if not note:
        return ""
    return (
        f'Pull data is not current: {note}. Every "last 30 days" and trend here ends on {as_of}, not today; '
        "collect new counts (python -m collectors dockerhub) before quoting them as current."
    )
