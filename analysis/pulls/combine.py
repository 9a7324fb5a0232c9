"""Several images as one series: a project that ships more than one image, or a peer set.

A member counts as 0 before its first good observation, so the combined count matches a plain sum
of the members' counts. The day a member joins is flagged `joined`: its first count is a baseline,
not pulls, and is not added to that day's pulls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.pulls.periods import DAILY_COLUMNS, FLAG_SEPARATOR, merge_flags

COMBINED_NAMESPACE = "combined"


def combined_name(daily: pd.DataFrame) -> str:
    """Return the name of a combined series: its members as NS/NAME joined by '+'."""
    members = daily[["namespace", "name"]].drop_duplicates().sort_values(["namespace", "name"])
    return "+".join(f"{ns}/{name}" for ns, name in members.itertuples(index=False))


def _wide(daily: pd.DataFrame, column: str, days: pd.DatetimeIndex) -> pd.DataFrame:
    wide = daily.pivot(index="period", columns=["namespace", "name"], values=column)
    return wide.reindex(days)


def _member_counts(daily: pd.DataFrame, days: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.Series]:
    """Member counts by day (0 before a member's baseline), and each member's baseline day."""
    counts = _wide(daily, "pull_count", days).astype("Int64")
    baselines = counts.apply(lambda member: member.first_valid_index())
    for member, first in baselines.items():
        counts.loc[counts.index < first, member] = 0
    return counts, baselines


def _day_flag(member_flags: pd.Series, is_first: bool, any_joined: bool, any_unknown: bool) -> str:
    parts = set(merge_flags(member_flags).split(FLAG_SEPARATOR)) - {"", "baseline"}
    if is_first:
        parts.add("baseline")
    if any_joined:
        parts.add("joined")
    if any_unknown and not is_first:
        parts.add("partial")
    return merge_flags([FLAG_SEPARATOR.join(parts)])


def combine_images(daily: pd.DataFrame, name: str | None = None) -> pd.DataFrame:
    """Return the daily rows of several images (from daily_pulls) summed into one series.

    pull_count is the sum of the members' counts, unknown on a day any member's count is unknown;
    pulls is the sum of the members' known pulls, flagged `partial` when a member's are unknown.
    """
    if daily.empty:
        return daily.copy()
    days = pd.date_range(daily["period"].min(), daily["period"].max(), freq="D", name="period")
    counts, baselines = _member_counts(daily, days)
    pulls = _wide(daily, "pulls", days).astype("Int64")
    estimated = _wide(daily, "estimated", days).fillna(False).astype(bool)
    flags = _wide(daily, "flag", days).astype(object).where(lambda frame: frame.notna(), "")

    first_day = days[0]
    joined = pd.DataFrame(False, index=days, columns=counts.columns)
    unknown = pd.DataFrame(False, index=days, columns=counts.columns)
    for member, first in baselines.items():
        if first is not None and not pd.isna(first):
            joined.loc[first, member] = first > first_day
            unknown[member] = pulls[member].isna() & (days > first)
        else:
            unknown[member] = True

    combined_flags = [
        _day_flag(flags.loc[day], day == first_day, bool(joined.loc[day].any()), bool(unknown.loc[day].any()))
        for day in days
    ]

    result = pd.DataFrame(
        {
            "period": days,
            "namespace": COMBINED_NAMESPACE,
            "name": name or combined_name(daily),
            "pull_count": counts.sum(axis=1, skipna=False).astype("Int64").array,
            "pulls": pulls.sum(axis=1, min_count=1).astype("Int64").array,
            "days": np.where(days == first_day, 0, 1),
            "estimated": estimated.any(axis=1).to_numpy(),
            "flag": combined_flags,
            "observed_count": pd.array([pd.NA] * len(days), dtype="Int64"),
        }
    )
    result.loc[result["period"] == first_day, "pulls"] = pd.NA
    return result[DAILY_COLUMNS]
