"""Growth of pulls: period-over-period change, average daily pulls, compound growth between two dates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput

AVERAGE_WINDOWS = (7, 30)
DAYS_PER_MONTH = 30.4375


def period_change(periods: pd.DataFrame) -> pd.DataFrame:
    """Return `periods` with `change`: the period's pulls per day over the previous period's, minus 1.

    Comparing pulls per day keeps months of different lengths, and a partial first or last
    period, comparable.
    """
    per_day = periods["pulls"].astype("Float64") / periods["days"].where(periods["days"] > 0).astype("Float64")
    previous = per_day.groupby([periods["namespace"], periods["name"]], sort=False).shift(1)
    return periods.assign(change=per_day / previous.where(previous > 0) - 1)


def average_daily_pulls(daily: pd.DataFrame, windows: tuple[int, ...] = AVERAGE_WINDOWS) -> pd.DataFrame:
    """Return daily rows with avg_<N>d: the average daily pulls over the N days ending on each day.

    It is the count at the day's end minus the count N days before, over N; unknown while the
    series is shorter than N days or either count is unknown.
    """
    result = daily.copy()
    by_image = result.groupby(["namespace", "name"], sort=False)["pull_count"]
    for window in windows:
        earlier = by_image.shift(window)
        result[f"avg_{window}d"] = (result["pull_count"] - earlier).astype("Float64") / window
    return result


def count_on(series: pd.DataFrame, day: pd.Timestamp) -> tuple[object, object]:
    """Return the count at the end of `day` (or the last earlier day with a known count) and that day."""
    known = series[(series["period"] <= day) & series["pull_count"].notna()]
    if known.empty:
        return pd.NA, pd.NaT
    last = known.iloc[-1]
    return last["pull_count"], last["period"]


def daily_rate_before(series: pd.DataFrame, day: pd.Timestamp, window: int) -> float:
    """Return the average daily pulls of one image's daily rows over the `window` days ending on `day`."""
    end_count, end_day = count_on(series, day)
    start_count, start_day = count_on(series, day - pd.Timedelta(days=window))
    if pd.isna(end_count) or pd.isna(start_count) or end_day <= start_day:
        return np.nan
    return (end_count - start_count) / (end_day - start_day).days


def _compound(end: float, start: float, days: float, unit_days: float) -> float:
    if pd.isna(end) or pd.isna(start) or start <= 0 or end <= 0 or days <= 0:
        return np.nan
    return float((end / start) ** (unit_days / days) - 1)


def compound_growth(
    daily: pd.DataFrame,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    unit_days: float = DAYS_PER_MONTH,
    rate_window: int = 30,
) -> pd.DataFrame:
    """Return per image the compound growth per unit (a month by default) between two dates.

    count_growth compounds the cumulative count; pulls_growth compounds the average daily pulls
    of the `rate_window` days ending at each date, which is what "growing 12% a month" means
    for adoption.
    """
    start_day, end_day = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if end_day <= start_day:
        raise InvalidInput("the end date must come after the start date")
    rows = []
    for (namespace, name), series in daily.groupby(["namespace", "name"], sort=True):
        start_count, first = count_on(series, start_day)
        end_count, last = count_on(series, end_day)
        days = (last - first).days if not (pd.isna(first) or pd.isna(last)) else np.nan
        start_rate = daily_rate_before(series, start_day, rate_window)
        end_rate = daily_rate_before(series, end_day, rate_window)
        rows.append(
            {
                "namespace": namespace,
                "name": name,
                "start": first,
                "end": last,
                "start_count": start_count,
                "end_count": end_count,
                "count_growth": _compound(end_count, start_count, days, unit_days),
                "start_daily_pulls": start_rate,
                "end_daily_pulls": end_rate,
                "pulls_growth": _compound(end_rate, start_rate, (end_day - start_day).days, unit_days),
            }
        )
    return pd.DataFrame(rows)
