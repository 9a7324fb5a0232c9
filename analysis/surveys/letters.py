"""Significance letters in a crosstab: which segments each cell is significantly higher than, as Q marks them.

Every pair of segments of one segmentation is compared answer by answer with the pooled two-proportion
z-test (on Kish's effective n when weighted); the p-values of the whole table are corrected together
for the many comparisons (Benjamini–Hochberg by default, as Q does; or Bonferroni, or none). A cell
gets the letter of each segment it is higher than: upper case where the corrected p < 0.01, lower
case where it is < 0.05. Each cell is also compared with the rest of its segmentation (`p_vs_rest`,
corrected over the table's cells), shown as an arrow. Cells on a base under the small-base threshold
are not tested: they get no letters, no arrow, and `tested` is False.
"""

from __future__ import annotations

from collections.abc import Sequence
from string import ascii_uppercase

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.surveys.trend import two_proportion_test

CORRECTIONS = ("bh", "bonferroni", "none")
STRONG = 0.01  # upper-case letter
SIGNIFICANT = 0.05  # lower-case letter, and the arrow against the rest
HIGHER, LOWER = "▲", "▼"
PAIR_COLUMNS = ["answer", "segment", "other", "share", "other_share", "n", "other_n", "z", "p_value", "p_adjusted"]


def adjust_p(p_values: Sequence[float] | np.ndarray, correction: str = "bh") -> np.ndarray:
    """Return p-values corrected for multiple comparisons: Benjamini–Hochberg, Bonferroni or none (NaN kept)."""
    if correction not in CORRECTIONS:
        raise InvalidInput(f"unknown correction {correction!r}; choose one of {', '.join(CORRECTIONS)}")
    values = np.asarray(p_values, dtype=float)
    adjusted = values.copy()
    present = np.flatnonzero(~np.isnan(values))
    m = len(present)
    if correction == "none" or m == 0:
        return adjusted
    if correction == "bonferroni":
        adjusted[present] = np.minimum(values[present] * m, 1.0)
        return adjusted
    order = present[np.argsort(values[present], kind="stable")]
    scaled = values[order] * m / np.arange(1, m + 1)
    # The step-up: each p takes the smallest scaled value at its rank or above.
    adjusted[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return adjusted


def column_letters(count: int) -> list[str]:
    """Return `count` column letters: A..Z, then AA, AB, ... (as spreadsheets name columns)."""
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = ascii_uppercase[rest] + name
        letters.append(name)
    return letters


def pairwise_tests(cells: pd.DataFrame, correction: str = "bh") -> pd.DataFrame:
    """Return every tested pair of segments within each answer: shares, n, z, p and the corrected p.

    `cells` holds one row per answer and segment with columns answer, segment, share, n (the effective
    n when weighted) and tested (False where the base is too small to test). The correction runs over
    every pair of the table, as Q's does.
    """
    tested = cells[cells["tested"].to_numpy(dtype=bool)][["answer", "segment", "share", "n"]]
    tested = tested.assign(place=np.arange(len(tested)))
    # Every two segments of one answer, once each: a self-join on the answer, the earlier row first.
    pairs = tested.merge(tested, on="answer", suffixes=("", "_other"), sort=False)
    pairs = pairs[(pairs["place"] < pairs["place_other"]).to_numpy()]
    if pairs.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    z, p_value = two_proportion_test(pairs["share_other"], pairs["n_other"], pairs["share"], pairs["n"])
    return pd.DataFrame(
        {
            "answer": pairs["answer"].to_numpy(),
            "segment": pairs["segment"].to_numpy(),
            "other": pairs["segment_other"].to_numpy(),
            "share": pairs["share"].to_numpy(float),
            "other_share": pairs["share_other"].to_numpy(float),
            "n": pairs["n"].to_numpy(float),
            "other_n": pairs["n_other"].to_numpy(float),
            "z": z,
            "p_value": p_value,
            "p_adjusted": adjust_p(p_value, correction),
        }
    )[PAIR_COLUMNS]


def _letters_from(pairs: pd.DataFrame, labels: dict[str, str]) -> dict[tuple[str, str], list[str]]:
    """Letters each (answer, segment) cell earns: the other segment's letter, lower case under 0.05."""
    earned: dict[tuple[str, str], list[str]] = {}
    significant = pairs[pairs["p_adjusted"] < SIGNIFICANT]
    for row in significant.itertuples(index=False):
        winner, loser = (row.segment, row.other) if row.share > row.other_share else (row.other, row.segment)
        if row.share == row.other_share:
            continue
        letter = labels[loser] if row.p_adjusted < STRONG else labels[loser].lower()
        earned.setdefault((row.answer, winner), []).append(letter)
    return earned


def _joined(letters: list[str], order: dict[str, int]) -> str:
    ranked = sorted(letters, key=lambda letter: order[letter.upper()])
    return ("" if all(len(letter) == 1 for letter in ranked) else " ").join(ranked)


def mark_letters(cells: pd.DataFrame, labels: dict[str, str], correction: str = "bh") -> pd.DataFrame:
    """Return `cells` with letters, vs_rest and p_vs_rest; see the module docstring for how they are read.

    `cells` as for `pairwise_tests`, plus rest_share and rest_n: the share and (effective) n of the
    segmentation's other respondents. `labels` gives each segment's column letter.
    """
    pairs = pairwise_tests(cells, correction)
    earned = _letters_from(pairs, labels)
    order = {label: position for position, label in enumerate(labels.values())}
    letters = [
        _joined(earned.get((answer, segment), []), order) if tested else ""
        for answer, segment, tested in zip(cells["answer"], cells["segment"], cells["tested"], strict=True)
    ]
    tested = cells["tested"].to_numpy(dtype=bool)
    share, rest = cells["share"].to_numpy(float), cells["rest_share"].to_numpy(float)
    _, p_rest = two_proportion_test(rest, cells["rest_n"].to_numpy(float), share, cells["n"].to_numpy(float))
    p_rest = np.where(tested & (cells["rest_n"].to_numpy(float) > 0), p_rest, np.nan)
    p_rest = adjust_p(p_rest, correction)
    arrows = np.where(p_rest < SIGNIFICANT, np.where(share > rest, HIGHER, np.where(share < rest, LOWER, "")), "")
    return cells.assign(letters=letters, vs_rest=arrows, p_vs_rest=p_rest)


def legend(labels: dict[str, str], correction: str = "bh") -> str:
    """One paragraph saying what each letter and arrow means, for above a table."""
    names = "; ".join(f"{letter} = {segment}" for segment, letter in labels.items())
    how = {
        "bh": "after Benjamini–Hochberg correction for the table's comparisons",
        "bonferroni": "after Bonferroni correction for the table's comparisons",
        "none": "not corrected for multiple comparisons",
    }[correction]
    return (
        f"Columns: {names}. A letter in a cell: its share is significantly higher than that column's "
        f"(upper case p < {STRONG}, lower case p < {SIGNIFICANT}, two-proportion z-test, {how}). "
        f"{HIGHER}/{LOWER}: higher/lower than the rest of the segments (p < {SIGNIFICANT}). "
        "Cells on a base under the small-base threshold are not tested."
    )
