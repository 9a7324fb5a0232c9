"""Rankings of images by total pulls, pulls in a window and growth; an image's share of a peer set."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.pulls.periods import FLAG_SEPARATOR
from store.timeutil import SECONDS_PER_DAY

RANK_BY = ("total", "pulls", "growth")
# Growth is ranked only for images with at least this many pulls in the earlier window: on a small
# base a handful of pulls reads as +1,000%. The Overview's fastest-growing card uses the same rule.
MIN_PULLS_FOR_GROWTH = 10_000
GROWTH_COLUMNS = [
    "namespace", "name", "pull_count", "window_end", "pulls", "days", "avg_daily_pulls",
    "previous_pulls", "previous_days", "growth", "flag",
]  # fmt: skip
RANK_COLUMNS = ["rank", *GROWTH_COLUMNS]
_RANK_KEYS = {"total": "pull_count", "pulls": "avg_daily_pulls", "growth": "growth"}


def parse_window(text: str) -> int:
    """Return the number of days in a window written as 30d, 4w or a bare number of days."""
    value = text.strip().lower()
    factor = 1
    if value.endswith("w"):
        factor, value = 7, value[:-1]
    elif value.endswith("d"):
        value = value[:-1]
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput(f"not a window: {text!r} (write a number of days such as 30d, or weeks such as 4w)")
    return int(value) * factor


def window_offsets(window_days: int) -> tuple[int, int]:
    """Return the day offsets `window_growth` needs from the store: the window's start and the one before."""
    return window_days, 2 * window_days


def _day(seconds: pd.Series) -> pd.Series:
    return seconds // SECONDS_PER_DAY


def window_span(counts: pd.DataFrame, offset: int) -> tuple[pd.Series, pd.Series]:
    """Return (pulls, days) from the count at the end of the day `offset` days before each image's end.

    An image first seen after that day counts from its first good observation, over the fewer
    days it covers; days are whole UTC days between the two observations used.
    """
    start_count = counts[f"count_{offset}"].fillna(counts["first_count"])
    start_at = counts[f"at_{offset}"].fillna(counts["first_at"])
    days = _day(counts["end_at"]) - _day(start_at)
    pulls = (counts["end_count"] - start_count).where((days > 0).fillna(False))
    return pulls.astype("Int64"), days.astype("Int64")


def _previous_span(counts: pd.DataFrame, window_days: int) -> tuple[pd.Series, pd.Series]:
    end_count, end_at = counts[f"count_{window_days}"], counts[f"at_{window_days}"]
    start_count = counts[f"count_{2 * window_days}"].fillna(counts["first_count"])
    start_at = counts[f"at_{2 * window_days}"].fillna(counts["first_at"])
    days = (_day(end_at) - _day(start_at)).where(end_at.notna())
    pulls = (end_count - start_count).where((days > 0).fillna(False))
    return pulls.astype("Int64"), days.astype("Int64")


def _length_flag(days: pd.Series, window_days: int, what: str) -> pd.Series:
    """`short_<what>:12/30d` or `long_<what>:32/30d` where a window covers other than `window_days` days."""
    text = pd.Series("", index=days.index, dtype=object)
    known = days.notna()
    for kind, mask in (("short", known & (days < window_days)), ("long", known & (days > window_days))):
        mask = mask.fillna(False).astype(bool)
        text[mask] = [f"{kind}_{what}:{value}/{window_days}d" for value in days[mask]]
    return text


def _flags(days: pd.Series, previous_days: pd.Series, decreased: pd.Series, window_days: int) -> pd.Series:
    parts = [
        _length_flag(days, window_days, "window"),
        _length_flag(previous_days, window_days, "previous"),
        pd.Series(np.where(decreased, "decrease", ""), index=days.index, dtype=object),
    ]
    return pd.Series(
        [FLAG_SEPARATOR.join(part for part in row if part) for row in zip(*parts, strict=True)],
        index=days.index,
        dtype=object,
    )


def window_growth(counts: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Return per image the pulls in the `window_days` days ending on its own last good observation,
    in the same number of days before them, and growth: pulls per day in the window over the earlier
    window's, minus 1.

    `counts` comes from `analysis.pulls.read.read_window_counts` with at least
    `window_offsets(window_days)`. Each image is measured up to its own last good observation, so
    an image whose history stops earlier than another's is never measured on missing days. A
    window that covers fewer or more days (history starting inside it, a gap at its start) is
    compared per day and flagged `short_window:12/30d`, `long_previous:31/30d` and so on; a
    negative difference is flagged `decrease`.
    """
    pulls, days = window_span(counts, window_days)
    previous, previous_days = _previous_span(counts, window_days)
    rate = pulls.astype("Float64") / days.astype("Float64")
    previous_rate = previous.astype("Float64") / previous_days.astype("Float64")
    decreased = ((pulls < 0).fillna(False) | (previous < 0).fillna(False)).to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "namespace": counts["namespace"],
            "name": counts["name"],
            "pull_count": counts["end_count"].astype("Int64"),
            "window_end": pd.to_datetime(_day(counts["end_at"]).astype("int64") * SECONDS_PER_DAY, unit="s"),
            "pulls": pulls,
            "days": days,
            "avg_daily_pulls": rate,
            "previous_pulls": previous,
            "previous_days": previous_days,
            "growth": rate / previous_rate.where(previous_rate > 0) - 1,
            "flag": _flags(days, previous_days, decreased, window_days),
        }
    )[GROWTH_COLUMNS]


def rank_images(
    window: pd.DataFrame, by: str, top: int | None = None, min_previous_pulls: int = MIN_PULLS_FOR_GROWTH
) -> pd.DataFrame:
    """Return the images of a `window_growth` frame ordered by `by` (total, pulls or growth), numbered from 1.

    `pulls` orders by average daily pulls (the order of pulls when every window is whole).
    Growth needs at least `min_previous_pulls` in the earlier window, so that a tiny base does
    not top the list; images without a value for `by` are left out. Extra columns are kept.
    """
    if by not in RANK_BY:
        raise InvalidInput(f"unknown ranking {by!r}; choose one of {', '.join(RANK_BY)}")
    key = _RANK_KEYS[by]
    ranked = window[window[key].notna()]
    if by == "growth":
        ranked = ranked[(ranked["previous_pulls"] >= min_previous_pulls).fillna(False)]
    ranked = ranked.sort_values([key, "namespace", "name"], ascending=[False, True, True], kind="stable")
    if top is not None:
        ranked = ranked.head(top)
    ranked = ranked.assign(rank=range(1, len(ranked) + 1))
    return ranked[["rank", *[column for column in ranked.columns if column != "rank"]]].reset_index(drop=True)


def peer_share(periods: pd.DataFrame) -> pd.DataFrame:
    """Return `periods` with `share`: each image's pulls over the pulls of all images in the frame that period.

    The share is unknown in a period where any image's pulls are unknown, so it never leans on a
    partial total.
    """
    by_period = periods.groupby("period")["pulls"]
    total = by_period.transform(lambda values: values.sum(min_count=1) if values.notna().all() else pd.NA)
    total = total.astype("Float64")
    share = periods["pulls"].astype("Float64") / total.where(total > 0)
    return periods.assign(share=share)
