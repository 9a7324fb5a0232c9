"""Catalog statistics on counts that may be ranges: thresholds, distribution, concentration, sources, totals.

An entry's count is `pull_low`..`pull_high` (`pull_high` missing: no upper bound), `exact` when the two
are equal and known. Invariants every function keeps:

- a sum is exact only when every member is exact; otherwise it is reported as `at least` its lower
  bound (and at most its upper bound where every member has one). `sum_range` is the one place
  that adds counts; nothing else adds a lower bound to an exact count.
- an image is counted "at or above X" only when its lower bound is; one whose range straddles X is
  counted apart (`straddling`), never as above.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput

THRESHOLDS = (10_000_000, 50_000_000, 100_000_000, 500_000_000, 1_000_000_000)
DEFAULT_THRESHOLD = 10_000_000
TOPS = (10, 100, 1000)
PUBLISHER_ORDER = ("official", "verified", "open_source", "community", "unknown")
_UNITS = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9}
_PULLS = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([KMB]?)")


@dataclass(frozen=True)
class RangeSum:
    """A sum of counts: exact, or at least `low` (and at most `high`, None: no upper bound)."""

    low: int
    high: int | None
    exact: bool
    members: int


def parse_pulls(text: str) -> int:
    """Return a pull threshold written as 10M, 1.5B, 500K or 10000000 (commas and _ allowed)."""
    match = _PULLS.fullmatch(str(text).strip().upper().replace(",", "").replace("_", ""))
    if match is None:
        raise InvalidInput(f"not a number of pulls: {text!r} (write e.g. 10M, 1.5B, 500K or 10000000)")
    value = float(match[1]) * _UNITS[match[2]]
    if not 0 < value < 1e16 or value != int(value):
        raise InvalidInput(f"not a whole number of pulls above 0: {text!r}")
    return int(value)


def pulls_label(pulls: int) -> str:
    """Return 10000000 as "10M", 1500000000 as "1.5B", 500000 as "500K"."""
    for unit, size in (("B", 10**9), ("M", 10**6), ("K", 10**3)):
        if pulls >= size:
            return f"{pulls / size:g}{unit}"
    return f"{pulls:,}"


def sum_range(entries: pd.DataFrame) -> RangeSum:
    """Add the counts of `entries`: exact only if every one is; the upper bound only if every one has one."""
    low = int(entries["pull_low"].sum())
    highs = entries["pull_high"]
    high = None if highs.isna().any() else int(highs.astype("int64").sum())
    exact = bool(entries["exact"].all())  # an empty sum is exactly 0
    return RangeSum(low, low if exact else high, exact, len(entries))


def describe_sum(total: RangeSum) -> str:
    """Return a sum for a sentence: "1,234" when exact, "at least 1,234" when it is a lower bound."""
    return f"{total.low:,}" if total.exact else f"at least {total.low:,}"


def threshold_count(entries: pd.DataFrame, pulls: int) -> pd.DataFrame:
    """Return one row: how many images are surely at or above `pulls`, of which exact or bounds, and the rest."""
    surely = entries["pull_low"] >= pulls
    high = entries["pull_high"].astype("Float64").fillna(math.inf)
    below = high < pulls
    straddling = ~surely & ~below
    return pd.DataFrame(
        {
            "threshold": [pulls],
            "label": [f"{pulls_label(pulls)}+"],
            "images": [int(surely.sum())],
            "exact": [int((surely & entries["exact"]).sum())],
            "bounds": [int((surely & ~entries["exact"]).sum())],
            "straddling": [int(straddling.sum())],
            "base": [len(entries)],
        }
    )


def threshold_ladder(entries: pd.DataFrame, thresholds: Sequence[int] = THRESHOLDS) -> pd.DataFrame:
    """Return threshold_count for each of `thresholds` (10M, 50M, 100M, 500M, 1B by default)."""
    return pd.concat([threshold_count(entries, pulls) for pulls in thresholds], ignore_index=True)


def _decade_label(low: int) -> str:
    return f"{pulls_label(low)}–{pulls_label(low * 10)}" if low >= 10 else "0–10"


def distribution(entries: pd.DataFrame) -> pd.DataFrame:
    """Return images per decade of pulls (by lower bound), exact and bounded apart.

    `open_ended` counts the decade's images whose range has no upper bound (they may lie above it);
    `spanning` those whose range reaches past the decade's end.
    """
    low = entries["pull_low"].to_numpy(dtype="int64")
    decade = np.where(low >= 10, 10 ** np.floor(np.log10(np.maximum(low, 1))).astype("int64"), 0)
    frame = entries.assign(decade_low=decade)
    high = frame["pull_high"].astype("Float64")
    frame = frame.assign(open_ended=high.isna(), spanning=high.fillna(math.inf) >= np.maximum(decade, 1) * 10)
    grouped = frame.groupby("decade_low", sort=True)
    table = pd.DataFrame(
        {
            "images": grouped.size(),
            "exact": grouped["exact"].sum().astype("int64"),
            "open_ended": grouped["open_ended"].sum().astype("int64"),
            "spanning": grouped["spanning"].sum().astype("int64"),
        }
    ).reset_index()
    table["bounded"] = table["images"] - table["exact"]
    table["decade_high"] = np.where(table["decade_low"] > 0, table["decade_low"] * 10, 10)
    table["label"] = [_decade_label(int(low)) for low in table["decade_low"]]
    return table[["label", "decade_low", "decade_high", "images", "exact", "bounded", "open_ended", "spanning"]]


def concentration(entries: pd.DataFrame, tops: Sequence[int] = TOPS) -> pd.DataFrame:
    """Return the share of all catalog pulls held by the top N images (ranked by lower bound), as bounds.

    share_low..share_high bound the true share (0 and 1 where an open-ended count leaves it open);
    share_of_lower_bounds is the top N's lower bounds over everyone's, a figure, not a bound.
    """
    ranked = entries.sort_values(["pull_low", "namespace", "name"], ascending=[False, True, True])
    rows = []
    for top in tops:
        head, rest = ranked.iloc[:top], ranked.iloc[top:]
        head_sum, rest_sum, everyone = sum_range(head), sum_range(rest), sum_range(ranked)
        share_low = _share(head_sum.low, rest_sum.high)
        share_high = _share(head_sum.high, rest_sum.low)
        if everyone.high == 0:
            share_low = share_high = float("nan")  # no pulls at all: no share
        rows.append(
            {
                "top": top,
                "images": len(head),
                "base": len(ranked),
                "top_pulls": head_sum.low,
                "all_pulls": everyone.low,
                "exact": everyone.exact,
                "share_of_lower_bounds": head_sum.low / everyone.low if everyone.low else float("nan"),
                "share_low": share_low,
                "share_high": share_high,
            }
        )
    return pd.DataFrame(rows)


def _share(part: int | None, other: int | None) -> float:
    """part / (part + other) with None as infinity: the bound of a share whose sums may be open."""
    if part is None:
        return 1.0
    if other is None:
        return 0.0
    return part / (part + other) if other else 1.0  # nothing outside the head: all pulls there are its own


def by_source(entries: pd.DataFrame, pulls: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Return per publisher type: images, their share, exact counts, pulls (at least, at most), images >= `pulls`."""
    rows = []
    for publisher in [p for p in PUBLISHER_ORDER if p in set(entries["publisher"])]:
        members = entries[entries["publisher"] == publisher]
        total = sum_range(members)
        rows.append(
            {
                "publisher": publisher,
                "images": len(members),
                "share_of_images": len(members) / len(entries),
                "exact_images": int(members["exact"].sum()),
                "pulls": total.low,
                "pulls_exact": total.exact,
                "pulls_at_most": total.high,
                f"images_{pulls_label(pulls)}_plus": int((members["pull_low"] >= pulls).sum()),
            }
        )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["pulls_at_most"] = frame["pulls_at_most"].astype("Int64")
    return frame


def publisher_total(entries: pd.DataFrame, publisher: str = "official") -> pd.DataFrame:
    """Return one row: the images of `publisher` (or "all") and their total, exact only where every count is."""
    members = entries if publisher == "all" else entries[entries["publisher"] == publisher]
    total = sum_range(members)
    return pd.DataFrame(
        {
            "publisher": [publisher],
            "images": [len(members)],
            "exact_images": [int(members["exact"].sum())],
            "total": [total.low],
            "total_exact": [total.exact],
            "total_at_most": pd.array([total.high], dtype="Int64"),
            "reads": [describe_sum(total) + " pulls"],
        }
    )
