"""Docker Hub's humanised pull counts ("1B+", "500M+", "7.9K") read as what they are: ranges.

Docker Hub's web pages and its catalog search answer `pull_count` as text. Two shapes are recorded
(imrealq/4fun-dockerhub, 2024; Gordonby/Snippets, 2022; Docker's old support article quoted in
Consensys quorum PR #907):

- a bucket `N+` ("10K+", "500M+", "1B+"): at least N. Its upper bound is one below the next bucket
  of the ladder 10K, 50K, 100K, 500K, 1M, 5M, 10M, 50M, 100M, 500M, 1B; "1B+" has none.
- a rounded count under 10,000 ("7.9K", "10.0K"): the count to the nearest hundred, so within 50
  of the figure shown (and below 10,000, which is "10K+"; "10.0K" is 9,950..9,999).

A whole number (an int, or a string of digits) is exact. Anything else is refused with a one-line
reason, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from collectors.errors import CollectorError
from collectors.snapshot_check import MAX_PULL_COUNT, check_pull_count
from store.values import shown

UNITS = {"K": 10**3, "M": 10**6, "B": 10**9}
LADDER = (
    10_000,
    50_000,
    100_000,
    500_000,
    1_000_000,
    5_000_000,
    10_000_000,
    50_000_000,
    100_000_000,
    500_000_000,
    1_000_000_000,
)
ROUNDED_BELOW = 10_000  # counts under this are shown rounded ("7.9K"); from it on, as buckets
TEXT_MAX = 32
_SHAPE = re.compile(r"(?P<number>[0-9]{1,6}(?:\.[0-9]{1,3})?)(?P<unit>[KMB])(?P<plus>\+?)")


class PullCountError(CollectorError, ValueError):
    """A pull count that is neither a whole number nor a shape Docker Hub is recorded to use."""


@dataclass(frozen=True)
class PullCount:
    """A pull count as known: exact, or a range from `low` to `high` (None: no upper bound)."""

    low: int
    high: int | None
    exact: bool
    text: str

    def at_least(self, pulls: int) -> bool | None:
        """True when the count is surely >= `pulls`, False when surely below, None when the range straddles it."""
        if self.low >= pulls:
            return True
        if self.high is not None and self.high < pulls:
            return False
        return None


def parse_pull_count(value: Any) -> PullCount:
    """Return the pull count `value` stands for: an int or digit string exactly, "10M+" or "7.9K" as a range."""
    if isinstance(value, bool):
        raise PullCountError(f"pull_count must be a number or Docker Hub's text for one, not {shown(value)}")
    if isinstance(value, int):
        try:
            count = check_pull_count(value)
        except ValueError as error:
            raise PullCountError(str(error)) from None
        return PullCount(count, count, True, str(count))
    if not isinstance(value, str):
        raise PullCountError(f"pull_count must be a number or Docker Hub's text for one, not {shown(value)}")
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= 16:
        return parse_pull_count(int(text))
    match = _SHAPE.fullmatch(text.upper()) if len(text) <= TEXT_MAX else None
    if match is None:
        raise PullCountError(f"pull_count {shown(value)} is not a count Docker Hub shows (e.g. 1B+, 10M+, 7.9K, 123)")
    figure = Decimal(match["number"]) * UNITS[match["unit"]]
    if figure != figure.to_integral_value() or figure > MAX_PULL_COUNT:
        raise PullCountError(f"pull_count {shown(value)} is not a whole number of pulls in range")
    if match["plus"]:
        return _bucket(int(figure), text)
    return _rounded(int(figure), match["number"], UNITS[match["unit"]], text)


def _bucket(low: int, text: str) -> PullCount:
    higher = [step for step in LADDER if step > low]
    high = higher[0] - 1 if low in LADDER and higher else None
    return PullCount(low, high, False, text)


def _rounded(figure: int, number: str, unit: int, text: str) -> PullCount:
    """A count shown rounded to its last digit: within half a step of it."""
    decimals = len(number.split(".")[1]) if "." in number else 0
    half = unit // 10**decimals // 2
    high = figure + half
    if figure < ROUNDED_BELOW + half:
        high = min(high, ROUNDED_BELOW - 1)  # from 10,000 on, Docker Hub shows "10K+"
    return PullCount(max(figure - half, 0), high, False, text)
