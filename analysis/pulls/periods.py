"""Pulls per day, week or month from cumulative pull counts observed at irregular times.

The pulls of a period are the increase of the cumulative count within it. An image's first good
observation is its baseline, not pulls. Across a gap the increase is either spread evenly over the
days it covers (`spread`, those values marked estimated) or put on the day it was observed
(`observed`, the days before it left empty). Either way the pulls of a range of days add up to the
count at its end minus the count before it.

Observations that cannot be right are flagged and left out of the arithmetic, never turned into
zeros or spikes: the 2020 cap value, a count lower than an earlier one, and a stall (a count that
stays flat for days on an image that is pulled every day, then catches up in one jump). Days with no
observation are flagged `gap`, or `failed_poll` when a collection run recorded a failure for it. A
series runs from an image's first observation to its last: a failed poll after the last one (or
before the first) is an event (`analysis.pulls.anomalies.failed_polls_outside`), never more days.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.counter_faults import STALL_DAYS, epoch_seconds, stale_points, valid_observations
from analysis.errors import InvalidInput
from store.timeutil import SECONDS_PER_DAY

ATTRIBUTIONS = ("spread", "observed")
FREQS = ("day", "week", "month")
FLAG_SEPARATOR = ";"
# Flags in the order they are written; see docs/pulls.md for what each means.
FLAGS = ("baseline", "gap", "failed_poll", "cap", "decrease", "stall", "catch_up", "joined", "partial")
DAILY_COLUMNS = ["period", "namespace", "name", "pull_count", "pulls", "days", "estimated", "flag", "observed_count"]
_MISSING = -1


def _last_per_day(offsets: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep the last value of each day (offsets sorted ascending)."""
    if offsets.size == 0:
        return offsets, values
    last = np.r_[offsets[1:] != offsets[:-1], True]
    return offsets[last], values[last]


def _attribute(n_days: int, anchor_days: np.ndarray, anchor_counts: np.ndarray, attribution: str) -> dict:
    """Pulls and end-of-day counts of each day from the anchors (good, non-stale daily counts)."""
    day = np.arange(n_days)
    pulls = np.full(n_days, _MISSING, dtype=np.int64)
    count = np.full(n_days, _MISSING, dtype=np.int64)
    estimated = np.zeros(n_days, dtype=bool)
    result = {"pulls": pulls, "count": count, "estimated": estimated}
    if anchor_days.size == 0:
        return result | {"known": count != _MISSING, "known_pulls": pulls != _MISSING}
    count[anchor_days[0]] = anchor_counts[0]
    nxt = np.searchsorted(anchor_days, day, side="left")
    inside = (nxt >= 1) & (nxt < anchor_days.size)
    k = nxt[inside]
    start, end = anchor_days[k - 1], anchor_days[k]
    delta = anchor_counts[k] - anchor_counts[k - 1]
    span = end - start
    step = day[inside] - start
    if attribution == "spread":
        done = delta * step // span
        pulls[inside] = done - delta * (step - 1) // span
        count[inside] = anchor_counts[k - 1] + done
        estimated[inside] = span > 1
    else:
        at_anchor = day[inside] == end
        pulls[inside] = np.where(at_anchor, delta, _MISSING)
        count[inside] = np.where(at_anchor, anchor_counts[k], _MISSING)
    return result | {"known": count != _MISSING, "known_pulls": pulls != _MISSING}


def _nullable(values: np.ndarray, known: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.where(known, values, 0), ~known)


def _flag_text(masks: dict[str, np.ndarray], n_days: int) -> np.ndarray:
    text = np.full(n_days, "", dtype=object)
    for name in FLAGS:
        if name in masks:
            mask = masks[name]
            text[mask] = text[mask] + FLAG_SEPARATOR + name
    return np.array([value[1:] for value in text], dtype=object)


def _image_days(
    seconds: np.ndarray, counts: np.ndarray, failed: np.ndarray, attribution: str, stall_days: int
) -> dict[str, np.ndarray]:
    """Daily pulls of one image from its observations (epoch seconds ascending) and failed-poll instants."""
    days = seconds // SECONDS_PER_DAY
    failed_days = failed // SECONDS_PER_DAY
    first_day = int(days.min())
    # A failed poll is an event, not data: it never stretches the series past its observations.
    last_day = int(days.max())
    n_days = last_day - first_day + 1
    offsets = days - first_day
    capped, decreased = valid_observations(counts)
    good = ~capped & ~decreased
    point_days, point_counts = _last_per_day(offsets[good], counts[good])
    stale = stale_points(point_days, point_counts, stall_days)
    anchor_days, anchor_counts = point_days[~stale], point_counts[~stale]
    result = _attribute(n_days, anchor_days, anchor_counts, attribution)

    seen_days, seen_counts = _last_per_day(offsets, counts)
    observed = np.zeros(n_days, dtype=np.int64)
    observed[seen_days] = seen_counts
    seen = np.zeros(n_days, dtype=bool)
    seen[seen_days] = True
    masks = {name: np.zeros(n_days, dtype=bool) for name in ("cap", "decrease", "stall", "failed_poll", "catch_up")}
    masks["cap"][offsets[capped]] = True
    masks["decrease"][offsets[decreased]] = True
    masks["stall"][point_days[stale]] = True
    has_anchor = np.zeros(n_days, dtype=bool)
    has_anchor[anchor_days] = True
    failed_in = failed_days[(failed_days >= first_day) & (failed_days <= last_day)] - first_day
    masks["failed_poll"][failed_in] = True
    masks["failed_poll"] &= ~has_anchor
    masks["gap"] = ~seen & ~masks["failed_poll"]
    masks["baseline"] = np.zeros(n_days, dtype=bool)
    if anchor_days.size:
        masks["baseline"][anchor_days[0]] = True
        stalls_before = np.cumsum(masks["stall"])
        caught = np.flatnonzero(stalls_before[anchor_days[1:]] > stalls_before[anchor_days[:-1]]) + 1
        masks["catch_up"][anchor_days[caught]] = True
    return {
        "day": np.arange(first_day, last_day + 1, dtype=np.int64),
        "pull_count": result["count"],
        "known_count": result["known"],
        "pulls": result["pulls"],
        "known_pulls": result["known_pulls"],
        "days": np.where(masks["baseline"], 0, 1),
        "estimated": result["estimated"],
        "flag": _flag_text(masks, n_days),
        "observed_count": observed,
        "seen": seen,
    }


def _day_bounds(since: pd.Timestamp | str | None, until: pd.Timestamp | str | None) -> tuple[int | None, int | None]:
    first = None if since is None else int(pd.Timestamp(since).value // 10**9 // SECONDS_PER_DAY)
    last = None if until is None else int(pd.Timestamp(until).value // 10**9 // SECONDS_PER_DAY)
    return first, last


def daily_pulls(
    observations: pd.DataFrame,
    attribution: str = "spread",
    failures: pd.DataFrame | None = None,
    since: pd.Timestamp | str | None = None,
    until: pd.Timestamp | str | None = None,
    stall_days: int = STALL_DAYS,
) -> pd.DataFrame:
    """Return one row per image and UTC day: pull_count at the day's end, pulls in it, estimated, flag.

    `observations` has namespace, name, observed_at (datetimes or epoch seconds) and pull_count;
    `failures` (namespace, name, failed_at) marks failed polls. Days outside since..until are
    dropped after the arithmetic, so an observation before `since` still serves as a baseline.
    """
    if attribution not in ATTRIBUTIONS:
        raise InvalidInput(f"unknown attribution {attribution!r}; choose one of {', '.join(ATTRIBUTIONS)}")
    failed_by_image: dict[tuple[str, str], np.ndarray] = {}
    if failures is not None and not failures.empty:
        failed = failures.assign(failed_at=epoch_seconds(failures["failed_at"]))
        failed_by_image = {key: group["failed_at"].to_numpy() for key, group in failed.groupby(["namespace", "name"])}
    if observations.empty:
        return _empty_daily()
    ordered = observations.assign(observed_at=epoch_seconds(observations["observed_at"]))
    ordered = ordered.sort_values(["namespace", "name", "observed_at"], kind="stable")
    namespaces, names = ordered["namespace"].to_numpy(object), ordered["name"].to_numpy(object)
    seconds, counts = ordered["observed_at"].to_numpy(np.int64), ordered["pull_count"].to_numpy(np.int64)
    changes = np.flatnonzero((namespaces[1:] != namespaces[:-1]) | (names[1:] != names[:-1])) + 1
    starts, ends = np.r_[0, changes], np.r_[changes, len(ordered)]
    parts = []
    for start, end in zip(starts, ends, strict=True):
        failed_at = failed_by_image.get((namespaces[start], names[start]), np.array([], dtype=np.int64))
        failed_at = failed_at.astype(np.int64)
        parts.append(_image_days(seconds[start:end], counts[start:end], failed_at, attribution, stall_days))
    joined = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    lengths = [len(part["day"]) for part in parts]
    result = pd.DataFrame(
        {
            "period": (joined["day"] * SECONDS_PER_DAY).astype("datetime64[s]"),
            "namespace": pd.array(np.repeat(namespaces[starts], lengths), dtype="str"),
            "name": pd.array(np.repeat(names[starts], lengths), dtype="str"),
            "pull_count": _nullable(joined["pull_count"], joined["known_count"]),
            "pulls": _nullable(joined["pulls"], joined["known_pulls"]),
            "days": joined["days"],
            "estimated": joined["estimated"],
            "flag": pd.array(joined["flag"], dtype="str"),
            "observed_count": _nullable(joined["observed_count"], joined["seen"]),
        }
    )
    if since is None and until is None:
        return result
    return trim_days(result, since, until)


def trim_days(
    daily: pd.DataFrame, since: pd.Timestamp | str | None = None, until: pd.Timestamp | str | None = None
) -> pd.DataFrame:
    """Return the daily rows whose day falls within since..until (both inclusive, either optional)."""
    first, last = _day_bounds(since, until)
    day = daily["period"].astype("datetime64[s]").astype("int64") // SECONDS_PER_DAY
    keep = pd.Series(True, index=daily.index)
    if first is not None:
        keep &= day >= first
    if last is not None:
        keep &= day <= last
    return daily[keep].reset_index(drop=True)


def _empty_daily() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.Series(dtype="datetime64[s]"),
            "namespace": pd.Series(dtype="str"),
            "name": pd.Series(dtype="str"),
            "pull_count": pd.Series(dtype="Int64"),
            "pulls": pd.Series(dtype="Int64"),
            "days": pd.Series(dtype="int64"),
            "estimated": pd.Series(dtype="bool"),
            "flag": pd.Series(dtype="str"),
            "observed_count": pd.Series(dtype="Int64"),
        }
    )


def merge_flags(flags: Iterable[object]) -> str:
    """Return the distinct flags of several rows as one string, in the canonical order."""
    present = {part for value in flags if isinstance(value, str) for part in value.split(FLAG_SEPARATOR) if part}
    return FLAG_SEPARATOR.join(name for name in FLAGS if name in present)


def period_start(days: pd.Series, freq: str) -> pd.Series:
    """Return the first day of the day, week (Monday) or month that each day falls in."""
    if freq == "day":
        return days
    if freq == "week":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    if freq == "month":
        return days - pd.to_timedelta(days.dt.day - 1, unit="D")
    raise InvalidInput(f"unknown frequency {freq!r}; choose one of {', '.join(FREQS)}")


def days_in_period(periods: pd.Series, freq: str) -> pd.Series:
    """Return the number of days in the day, week or month starting on each of `periods`."""
    if freq == "month":
        return periods.dt.days_in_month.astype("int64")
    length = {"day": 1, "week": 7}.get(freq)
    if length is None:
        raise InvalidInput(f"unknown frequency {freq!r}; choose one of {', '.join(FREQS)}")
    return pd.Series(length, index=periods.index, dtype="int64")


def period_pulls(daily: pd.DataFrame, freq: str = "day") -> pd.DataFrame:
    """Return daily rows summed into weeks (starting Monday) or months; pull_count is the last known count.

    `days` is the number of days of the period the series covers after its baseline, out of
    `days_in_period`; `partial` is true where it covers fewer (the first and last period of a
    series, or of a --since/--until range), so such a period is never read as a whole one.
    """
    if freq == "day":
        result = daily.copy()
    else:
        keyed = daily.assign(period=period_start(daily["period"], freq))
        grouped = keyed.groupby(["namespace", "name", "period"], sort=True)
        result = grouped.agg(
            pull_count=("pull_count", "last"),
            pulls=("pulls", lambda values: values.sum(min_count=1)),
            days=("days", "sum"),
            estimated=("estimated", "any"),
            flag=("flag", merge_flags),
            observed_count=("observed_count", "last"),
        ).reset_index()
        result["pulls"] = result["pulls"].astype("Int64")
        result = result[DAILY_COLUMNS]
    length = days_in_period(result["period"], freq)
    return result.assign(days_in_period=length, partial=(result["days"] < length).to_numpy(dtype=bool))
