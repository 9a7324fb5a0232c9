"""Per-image summary of pulls (latest count, averages, 30-day growth) and the headline images it picks.

Both are `analysis.pulls.figures.growth_view`, the figure behind `python -m analysis rank`, so the
dashboard, the deck and the command line give one answer.
"""

from __future__ import annotations

import pandas as pd

from analysis.pulls.figures import (
    GROWTH_WINDOW,
    RECENT_WINDOW,
    SUMMARY_COLUMNS,
    growth_offsets,
    growth_view,
    pull_headlines,
)
from analysis.pulls.rank import MIN_PULLS_FOR_GROWTH

# Day offsets growth_table needs from analysis.pulls.read.read_window_counts.
GROWTH_OFFSETS = growth_offsets(GROWTH_WINDOW)
__all__ = [
    "GROWTH_OFFSETS", "GROWTH_WINDOW", "MIN_PULLS_FOR_GROWTH", "RECENT_WINDOW", "SUMMARY_COLUMNS", "growth_table",
    "pull_headlines",
]  # fmt: skip


def growth_table(counts: pd.DataFrame) -> pd.DataFrame:
    """The 30-day growth figure's table (`growth_view(counts).table`); `counts` read with GROWTH_OFFSETS."""
    return growth_view(counts).table
