"""Pull-count views for the dashboard: snapshots in, chart-ready frames out (pure functions).

Pulls in a period are the increase of the cumulative count within it; the first observation is a
baseline. An increase observed after a gap is put where it was observed and flagged `gap`.
Suspect counts are flagged, never drawn as zeros or spikes: `cap` (Docker Hub's 2020 32-bit
ceiling), `decrease` (a count below one already seen), `stall` (flat for days, then a jump).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INT32_CAP = 2_147_483_647
FREQ_RULES = {"day": "D", "week": "W-SUN", "month": "MS"}
STALL_DAYS = 3


def label(namespace: str, name: str) -> str:
    """Return the name people use for an image: `nginx` for official images, else `ns/name`."""
    return name if namespace == "library" else f"{namespace}/{name}"


def daily_counts(snapshots: pd.DataFrame) -> pd.DataFrame:
    """One row per image and observed day: the day's last count, a cleaned count and a flag."""
    frame = snapshots.assign(
        image=[label(ns, name) for ns, name in zip(snapshots["namespace"], snapshots["name"], strict=True)],
        day=snapshots["observed_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.floor("D"),
    )
    frame = frame.sort_values(["image", "observed_at"]).groupby(["image", "day"], as_index=False, sort=False).last()
    return frame.groupby("image", group_keys=False, sort=False)[["image", "day", "pull_count"]].apply(_flag_one)


def _flag_one(rows: pd.DataFrame) -> pd.DataFrame:
    counts = rows["pull_count"].astype("float64")
    flag = np.where(counts == INT32_CAP, "cap", "")
    valid = counts.where(flag == "")
    decrease = valid < valid.cummax().ffill().shift(1)
    flag = np.where(decrease & (flag == ""), "decrease", flag)
    clean = counts.where(flag == "")
    step = clean.ffill().diff()
    gap_days = rows["day"].diff().dt.days
    flag = np.where((gap_days > 1) & (flag == ""), "gap", flag)
    flat = (step == 0).astype(int)
    run = flat.groupby((flat == 0).cumsum()).cumsum()
    typical = step[step > 0].median() if (step > 0).any() else 0
    stall_end = (run.shift(1) >= STALL_DAYS) & (step > 0) & (typical > 0)
    flag = np.where(stall_end & (flag == ""), "stall", flag)
    return rows.assign(count=clean, flag=flag)


def series(snapshots: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Chart series `image, period, value, flag, marker_y`: the cumulative count, or pulls per day/week/month."""
    if snapshots.empty:
        return pd.DataFrame(columns=["image", "period", "value", "flag", "marker_y"])
    daily = daily_counts(snapshots)
    parts = [_cumulative(rows) if measure == "cumulative" else _per_period(rows, FREQ_RULES[measure])
             for _, rows in daily.groupby("image", sort=False)]
    return pd.concat(parts, ignore_index=True)


def _cumulative(rows: pd.DataFrame) -> pd.DataFrame:
    days = pd.date_range(rows["day"].min(), rows["day"].max(), freq="D")
    full = rows.set_index("day").reindex(days)
    value = full["count"]
    flag = full["flag"].fillna("")
    return pd.DataFrame({
        "image": rows["image"].iloc[0], "period": days, "value": value.to_numpy(),
        "flag": flag.to_numpy(), "marker_y": value.ffill().bfill().to_numpy(),
    })


def _per_period(rows: pd.DataFrame, rule: str) -> pd.DataFrame:
    indexed = rows.set_index("day")
    end_count = indexed["count"].resample(rule).last()
    observed = indexed["count"].resample(rule).count() > 0
    flags = indexed["flag"].resample(rule).agg(lambda values: next((f for f in values if f), ""))
    pulls = end_count.ffill().diff().where(observed)
    # The first observation is a baseline: the first period counts only what came after it.
    first = indexed["count"].dropna()
    pulls.iloc[0] = end_count.iloc[0] - first.iloc[0] if len(first) and len(indexed) > 1 else np.nan
    after_gap = (~observed).shift(1, fill_value=False) & observed
    flags = flags.where(~after_gap | (flags != ""), "gap")
    return pd.DataFrame({
        "image": rows["image"].iloc[0], "period": pulls.index, "value": pulls.to_numpy(),
        "flag": flags.reindex(pulls.index).fillna("").to_numpy(),
        "marker_y": pulls.ffill().fillna(0).to_numpy(),
    })


def growth_table(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Per image: latest count, first and last day observed, average daily pulls over 7 and 30 days, 30-day change."""
    columns = ["image", "pull_count", "first_observed", "last_observed", "avg_daily_7d", "avg_daily_30d",
               "pulls_30d", "change_vs_prior_30d"]
    if snapshots.empty:
        return pd.DataFrame(columns=columns)
    rows = [_growth_one(image, days) for image, days in daily_counts(snapshots).groupby("image", sort=False)]
    return pd.DataFrame(rows, columns=columns).sort_values("pull_count", ascending=False, ignore_index=True)


def _increase(days: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> float:
    counts = days.set_index("day")["count"].dropna()
    before, upto = counts[counts.index <= start], counts[counts.index <= end]
    if before.empty or upto.empty:
        return float("nan")
    return float(upto.iloc[-1] - before.iloc[-1])


def _growth_one(image: str, days: pd.DataFrame) -> dict:
    last_day = days["day"].max()
    valid = days["count"].dropna()
    last_30 = _increase(days, last_day - pd.Timedelta(days=30), last_day)
    prior_30 = _increase(days, last_day - pd.Timedelta(days=60), last_day - pd.Timedelta(days=30))
    return {
        "image": image,
        "pull_count": int(valid.iloc[-1]) if not valid.empty else None,
        "first_observed": days["day"].min().date().isoformat(),
        "last_observed": last_day.date().isoformat(),
        "avg_daily_7d": _increase(days, last_day - pd.Timedelta(days=7), last_day) / 7,
        "avg_daily_30d": last_30 / 30,
        "pulls_30d": last_30,
        "change_vs_prior_30d": last_30 / prior_30 - 1 if prior_30 and prior_30 > 0 else float("nan"),
    }


def anomalies(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Every flagged day: image, day, kind and the count that was observed."""
    if snapshots.empty:
        return pd.DataFrame(columns=["image", "day", "kind", "pull_count"])
    daily = daily_counts(snapshots)
    flagged = daily[daily["flag"] != ""]
    return pd.DataFrame({
        "image": flagged["image"], "day": flagged["day"].dt.date.astype(str),
        "kind": flagged["flag"], "pull_count": flagged["pull_count"],
    }).reset_index(drop=True)


def milestone(snapshots: pd.DataFrame, target: int, horizon_days: int = 3650) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Project when one image passes `target` pulls from its last 8 weeks: (summary, forecast path).

    The expected rate is the mean daily increase over the last 28 days; the range uses the slowest
    and fastest of the last 8 weekly rates.
    """
    daily = daily_counts(snapshots).dropna(subset=["count"])
    weekly = daily.set_index("day")["count"].resample("W-SUN").last().ffill().diff().dropna().tail(8) / 7
    last_day, last_count = daily["day"].iloc[-1], float(daily["count"].iloc[-1])
    recent = _increase(daily, last_day - pd.Timedelta(days=28), last_day) / 28
    rates = {"expected": recent, "low": float(weekly.min()) if len(weekly) else recent,
             "high": float(weekly.max()) if len(weekly) else recent}
    summary = pd.DataFrame([{
        "scenario": name, "pulls_per_day": rate,
        "date_reached": _reach_date(last_day, last_count, target, rate, horizon_days),
    } for name, rate in rates.items()])
    days_needed = min(horizon_days, _days_needed(last_count, target, rates["low"], horizon_days))
    steps = np.arange(0, max(days_needed, 1) + 1)
    forecast = pd.DataFrame({"period": last_day + pd.to_timedelta(steps, unit="D")})
    for name, rate in rates.items():
        forecast[name] = last_count + steps * max(rate, 0.0)
    return summary, forecast


def _days_needed(count: float, target: int, rate: float, horizon: int) -> int:
    if count >= target:
        return 0
    if not rate or rate <= 0 or np.isnan(rate):
        return horizon
    return int(np.ceil((target - count) / rate))


def _reach_date(day: pd.Timestamp, count: float, target: int, rate: float, horizon: int) -> str:
    needed = _days_needed(count, target, rate, horizon + 1)
    if needed > horizon:
        return "not within 10 years at this rate"
    return (day + pd.Timedelta(days=needed)).date().isoformat()


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
