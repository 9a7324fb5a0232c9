"""Milestones (when an image passes N pulls) and event lift (pulls before and after a date)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.pulls.freshness import as_day, data_age_days
from analysis.pulls.growth import daily_rate_before

TREND_WINDOWS = (7, 30, 90)
EXPECTED_WINDOW = 30
MAX_PROJECTION_DAYS = 36_525  # 100 years
PROJECTED = ("earliest", "expected", "latest")


def _passed_on(series: pd.DataFrame, target: int) -> tuple[object, bool]:
    reached = series[(series["pull_count"] >= target).fillna(False)]
    if reached.empty:
        return pd.NaT, False
    first = reached.iloc[0]
    return first["period"], bool(first["estimated"])


def _date_at(as_of: pd.Timestamp, remaining: int, rate: float) -> object:
    if np.isnan(rate) or rate <= 0:
        return pd.NaT
    days = math.ceil(remaining / rate)
    # A date centuries away is no forecast (and past what a timestamp can hold): no date, said in words.
    return pd.NaT if days > MAX_PROJECTION_DAYS else as_of + pd.Timedelta(days=days)


def milestones(
    daily: pd.DataFrame,
    target: int,
    trend_windows: tuple[int, ...] = TREND_WINDOWS,
    today: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return per image when it passed, or is expected to pass, `target` pulls.

    A target already passed gives the first day the count reached it. Otherwise the expected date
    follows the average daily pulls of the last 30 days; the range (earliest, latest) follows the
    fastest and slowest of the 7-, 30- and 90-day averages. A trend that is flat gives no date.
    With `today`, `data_age_days` says how old the last observation is, and a projected date before
    today is withheld (NaT, its column named in `past_by_today`): stale data cannot say whether it passed.
    """
    rows = []
    for (namespace, name), series in daily.groupby(["namespace", "name"], sort=True):
        known = series[series["pull_count"].notna()]
        as_of = known["period"].iloc[-1] if not known.empty else pd.NaT
        current = known["pull_count"].iloc[-1] if not known.empty else pd.NA
        passed, estimated = _passed_on(series, target)
        rates = {window: daily_rate_before(series, as_of, window) for window in trend_windows if not known.empty}
        usable = [rate for rate in rates.values() if not np.isnan(rate)]
        expected_rate = rates.get(EXPECTED_WINDOW, np.nan)
        row = {
            "namespace": namespace,
            "name": name,
            "target": target,
            "as_of": as_of,
            "pull_count": current,
            "passed_on": passed,
            "estimated": estimated,
            "daily_pulls_low": min(usable) if usable else np.nan,
            "daily_pulls_expected": expected_rate,
            "daily_pulls_high": max(usable) if usable else np.nan,
            "earliest": pd.NaT,
            "expected": pd.NaT,
            "latest": pd.NaT,
            "data_age_days": pd.NA,
            "past_by_today": "",
        }
        if pd.isna(passed) and not pd.isna(current):
            remaining = int(target - current)
            row["earliest"] = _date_at(as_of, remaining, row["daily_pulls_high"])
            row["expected"] = _date_at(as_of, remaining, expected_rate)
            row["latest"] = _date_at(as_of, remaining, row["daily_pulls_low"])
        if today is not None and not pd.isna(as_of):
            row["data_age_days"] = data_age_days(as_of, today)
            past = [column for column in PROJECTED if not pd.isna(row[column]) and row[column] < as_day(today)]
            row.update(dict.fromkeys(past, pd.NaT))
            row["past_by_today"] = ";".join(past)
        rows.append(row)
    return pd.DataFrame(rows)


def _window_sum(series: pd.DataFrame, first: pd.Timestamp, days: int) -> tuple[object, bool, bool]:
    """Pulls over `days` days from `first`; whether every day was known; whether any was estimated."""
    span = series[(series["period"] >= first) & (series["period"] < first + pd.Timedelta(days=days))]
    complete = len(span) == days and bool(span["pulls"].notna().all())
    total = span["pulls"].sum(min_count=1) if complete else pd.NA
    return total, complete, bool(span["estimated"].any())


def event_lift(daily: pd.DataFrame, event: pd.Timestamp | str, days: int) -> pd.DataFrame:
    """Return per image the pulls in the `days` days before `event` and from it on, and the lift.

    Before covers event-days .. event-1, after covers event .. event+days-1. A side with a day of
    unknown pulls (a gap in `observed` attribution, or outside the history) stays unknown.
    """
    if days < 1:
        raise InvalidInput("the number of days around the event must be at least 1")
    day = pd.Timestamp(event).tz_localize(None).normalize() if pd.Timestamp(event).tzinfo else pd.Timestamp(event)
    day = day.normalize()
    rows = []
    for (namespace, name), series in daily.groupby(["namespace", "name"], sort=True):
        before, before_complete, before_estimated = _window_sum(series, day - pd.Timedelta(days=days), days)
        after, after_complete, after_estimated = _window_sum(series, day, days)
        lift = after / before - 1 if before_complete and after_complete and before > 0 else np.nan
        rows.append(
            {
                "namespace": namespace,
                "name": name,
                "event": day,
                "days": days,
                "pulls_before": before,
                "pulls_after": after,
                "lift": lift,
                "estimated": before_estimated or after_estimated,
                "complete": before_complete and after_complete,
            }
        )
    return pd.DataFrame(rows)


def milestone_path(
    daily: pd.DataFrame, target: int, horizon_days: int = 3650, today: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scenarios, forecast path) for one image passing `target`, from `analysis.pulls.milestones.milestones`.

    The expected path follows the 30-day average; the fast and slow paths the fastest and slowest
    of the 7-, 30- and 90-day averages. With `today`, a date already past is said in words, never given.
    """
    result = milestones(daily, target, today=today).iloc[0]
    scenarios = [
        ("expected", "daily_pulls_expected", "expected"),
        ("fast", "daily_pulls_high", "earliest"),
        ("slow", "daily_pulls_low", "latest"),
    ]
    summary = pd.DataFrame(
        [
            {
                "scenario": name,
                "pulls_per_day": float(result[rate]) if pd.notna(result[rate]) else np.nan,
                "date_reached": _when(result, column, result[rate]),
            }
            for name, rate, column in scenarios
        ]
    )
    as_of, current = result["as_of"], float(result["pull_count"])
    slowest = summary["pulls_per_day"].clip(lower=0).replace(0, np.nan).min()
    needed = horizon_days if pd.isna(slowest) else int(min(horizon_days, max(0.0, target - current) / slowest + 1))
    steps = np.arange(0, max(needed, 1) + 1)
    forecast = pd.DataFrame({"period": as_of + pd.to_timedelta(steps, unit="D")})
    for name, rate in zip(summary["scenario"], summary["pulls_per_day"], strict=True):
        forecast[name] = current + steps * (0.0 if pd.isna(rate) else max(rate, 0.0))
    return summary, forecast


def _when(result: pd.Series, column: str, rate: float) -> str:
    if pd.notna(result["passed_on"]):
        return f"passed on {result['passed_on'].date().isoformat()}"
    if column in str(result["past_by_today"]).split(";"):
        return (
            f"not projected (the date would already be past; data as of {result['as_of'].date().isoformat()}, "
            f"{result['data_age_days']:,} days old)"
        )
    if pd.isna(result[column]) and pd.notna(rate) and rate > 0:
        return "not within 100 years at this rate"
    if pd.isna(result[column]):
        return "no date: the trend is flat"
    return result[column].date().isoformat()


def next_round_target(daily: pd.DataFrame) -> int:
    """Return the next round number of pulls above an image's latest count (80,000,000 after 73,777,471)."""
    known = daily["pull_count"].dropna()
    count = int(known.iloc[-1]) if not known.empty else 0
    step = 10 ** max(len(str(max(count, 1))) - 1, 0)
    return (count // step + 1) * step
