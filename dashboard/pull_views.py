"""Pull-count views for the dashboard: the analysis package's daily pulls shaped for charts and cards (pure).

The arithmetic (pulls per period, flags, averages, milestones, anomalies) is `analysis.pulls_*`; this
module only picks the rows a chart needs and turns flags into markers. Suspect counts stay out of the
lines: they show as markers and in the anomalies table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.pulls_anomalies import anomaly_text
from analysis.pulls_load import image_labels
from analysis.pulls_periods import period_pulls

SERIES_COLUMNS = ["image", "period", "value", "flag", "estimated", "marker_y"]
# A chart whose x-axis spans more than this draws a cumulative count one day a week: at slide or screen
# width a daily point is under a pixel, and the browser's redraw time grows with the points it is sent.
DAILY_DISPLAY_SPAN = pd.Timedelta(days=730)


def series(daily: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Chart rows `image, period, value, flag, estimated, marker_y`: the cumulative count or pulls per day/week/month.

    `daily` is `analysis.pulls_periods.daily_pulls` output; `flag` keeps only the anomalies.
    """
    if daily.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    rows = daily if measure in ("cumulative", "day") else period_pulls(daily, measure)
    column = "pull_count" if measure == "cumulative" else "pulls"
    value = rows[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    frame = pd.DataFrame(
        {
            "image": image_labels(rows),
            "period": rows["period"].to_numpy(),
            "value": value,
            "flag": [anomaly_text(flag) for flag in rows["flag"]],
            "estimated": rows["estimated"].to_numpy(),
        }
    )
    marker = frame.groupby("image", sort=False)["value"].transform(lambda values: values.ffill().bfill())
    return frame.assign(marker_y=marker.fillna(0.0))


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
        except ValueError:
            problems.append(f"line {number}: {day!r} is not a date; write YYYY-MM-DD then a label")
            continue
        events.append((moment.tz_localize(None) if moment.tzinfo else moment, words.strip() or day))
    return events, problems
