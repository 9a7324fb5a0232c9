"""Pull-count views for the dashboard: the analysis package's daily pulls shaped for charts and cards (pure).

The arithmetic (pulls per period, flags, averages, milestones) is `analysis.pulls_*`; this module
only names images the way people say them, picks the rows a chart or card needs, and turns flags
into markers. Suspect counts stay out of the lines: they show as markers and in the anomalies table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.pulls_growth import average_daily_pulls, count_on
from analysis.pulls_milestones import milestones
from analysis.pulls_periods import period_pulls

# Flags drawn as markers and listed as anomalies (baseline, joined and partial are bookkeeping).
ANOMALY_FLAGS = ("gap", "failed_poll", "cap", "decrease", "stall", "catch_up")
SERIES_COLUMNS = ["image", "period", "value", "flag", "estimated", "marker_y"]
# A chart whose x-axis spans more than this draws a cumulative count one day a week: at slide or screen
# width a daily point is under a pixel, and the browser's redraw time grows with the points it is sent.
DAILY_DISPLAY_SPAN = pd.Timedelta(days=730)


def label(namespace: str, name: str) -> str:
    """Return the name people use for an image: `nginx` for official images, else `ns/name`."""
    return name if namespace == "library" else f"{namespace}/{name}"


def _labels(frame: pd.DataFrame) -> list[str]:
    return [label(ns, name) for ns, name in zip(frame["namespace"], frame["name"], strict=True)]


def _anomaly(flag: object) -> str:
    parts = str(flag).split(";") if isinstance(flag, str) else []
    return ";".join(part for part in parts if part in ANOMALY_FLAGS)


def series(daily: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Chart rows `image, period, value, flag, estimated, marker_y`: the cumulative count or pulls per day/week/month.

    `daily` is `analysis.pulls_periods.daily_pulls` output; `flag` keeps only the anomalies.
    """
    if daily.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    rows = daily if measure in ("cumulative", "day") else period_pulls(daily, measure)
    column = "pull_count" if measure == "cumulative" else "pulls"
    value = rows[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    frame = pd.DataFrame({
        "image": _labels(rows), "period": rows["period"].to_numpy(), "value": value,
        "flag": [_anomaly(flag) for flag in rows["flag"]], "estimated": rows["estimated"].to_numpy(),
    })
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


def anomalies(daily: pd.DataFrame) -> pd.DataFrame:
    """Every day with an anomaly: image, day, what was flagged and the count observed that day."""
    flags = pd.Series([_anomaly(flag) for flag in daily["flag"]], index=daily.index, dtype=object)
    flagged = daily[flags != ""]
    return pd.DataFrame({
        "image": _labels(flagged), "day": flagged["period"].dt.date.astype(str).to_numpy(),
        "flag": flags[flags != ""].to_numpy(), "observed_count": flagged["observed_count"].to_numpy(),
    })


def growth_table(daily: pd.DataFrame) -> pd.DataFrame:
    """Per image: latest count, days observed, average daily pulls over 7 and 30 days, change on the prior 30."""
    columns = ["image", "pull_count", "first_observed", "last_observed", "avg_daily_7d", "avg_daily_30d",
               "pulls_30d", "change_vs_prior_30d"]
    if daily.empty:
        return pd.DataFrame(columns=columns)
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
        rows.append({
            "image": label(namespace, name), "pull_count": int(last["pull_count"]),
            "first_observed": days["period"].iloc[0].date().isoformat(),
            "last_observed": last["period"].date().isoformat(),
            "avg_daily_7d": float(last["avg_7d"]) if pd.notna(last["avg_7d"]) else np.nan,
            "avg_daily_30d": avg_30, "pulls_30d": avg_30 * 30,
            "change_vs_prior_30d": avg_30 / prior - 1 if prior and prior > 0 else np.nan,
        })
    return pd.DataFrame(rows, columns=columns).sort_values("pull_count", ascending=False, ignore_index=True)


def milestone(daily: pd.DataFrame, target: int, horizon_days: int = 3650) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scenarios, forecast path) for one image passing `target`, from `analysis.pulls_milestones.milestones`.

    The expected path follows the 30-day average; the fast and slow paths the fastest and slowest
    of the 7-, 30- and 90-day averages.
    """
    result = milestones(daily, target).iloc[0]
    scenarios = [("expected", "daily_pulls_expected", "expected"), ("fast", "daily_pulls_high", "earliest"),
                 ("slow", "daily_pulls_low", "latest")]
    summary = pd.DataFrame([{
        "scenario": name, "pulls_per_day": float(result[rate]) if pd.notna(result[rate]) else np.nan,
        "date_reached": _when(result, column),
    } for name, rate, column in scenarios])
    as_of, current = result["as_of"], float(result["pull_count"])
    slowest = summary["pulls_per_day"].clip(lower=0).replace(0, np.nan).min()
    needed = horizon_days if pd.isna(slowest) else int(min(horizon_days, max(0.0, target - current) / slowest + 1))
    steps = np.arange(0, max(needed, 1) + 1)
    forecast = pd.DataFrame({"period": as_of + pd.to_timedelta(steps, unit="D")})
    for name, rate in zip(summary["scenario"], summary["pulls_per_day"], strict=True):
        forecast[name] = current + steps * (0.0 if pd.isna(rate) else max(rate, 0.0))
    return summary, forecast


def _when(result: pd.Series, column: str) -> str:
    if pd.notna(result["passed_on"]):
        return f"passed on {result['passed_on'].date().isoformat()}"
    if pd.isna(result[column]):
        return "no date: the trend is flat"
    return result[column].date().isoformat()


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
