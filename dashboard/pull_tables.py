"""The pulls page's tables as shown: numbers rounded and grouped, plain headers, no column empty in every row.

Display only: the figures are analysis's (`analysis.pulls.summary.growth_table`,
`analysis.pulls.milestones.milestone_path`); the CSV downloads keep them unrounded.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import TREND_NAMES
from dashboard.table_display import Headers, column_config, shown_table

# The growth column second: at 1366 pixels only the first few columns are on screen without scrolling.
GROWTH_HEADERS: Headers = {
    "image": ("Image", None),
    "growth": ("Pulls a day, change on the 30 days before", "%+.1f%%"),
    "pull_count": ("Total pulls", "localized"),
    "avg_daily_pulls": ("Pulls a day, last 30 days", "localized"),
    "avg_daily_7d": ("Pulls a day, last 7 days", "localized"),
    "pulls": ("Pulls, last 30 days", "localized"),
    "previous_pulls": ("Pulls, the 30 days before", "localized"),
    "days": ("Days measured", "localized"),
    "previous_days": ("Days measured before", "localized"),
    "first_observed": ("First observed", None),
    "window_end": ("Measured up to", None),
    "flag": ("Note", None),
}
ROUNDED = ("avg_daily_7d", "avg_daily_pulls")
ANOMALY_HEADERS: Headers = {
    "image": ("Image", None),
    "day": ("Day", None),
    "flag": ("What was flagged", None),
    "observed_count": ("Count observed that day", "localized"),
}


def growth_shown(growth: pd.DataFrame) -> pd.DataFrame:
    """The growth table as shown: averages to whole pulls, growth in percent, columns empty in every row left out."""
    rounded = growth.assign(
        **{column: growth[column].round(0).astype("Int64") for column in ROUNDED if column in growth},
        growth=(growth["growth"] * 100).round(1),
    )
    return shown_table(rounded, GROWTH_HEADERS)


def growth_column_config(shown: pd.DataFrame) -> dict:
    """Plain-English headers for the columns of `growth_shown`, integers grouped by thousands."""
    return column_config(shown, GROWTH_HEADERS)


def milestone_shown(summary: pd.DataFrame) -> pd.DataFrame:
    """The milestone's scenarios named as in the chart's legend, pulls a day rounded."""
    return summary.assign(
        scenario=summary["scenario"].map(TREND_NAMES).fillna(summary["scenario"]),
        pulls_per_day=summary["pulls_per_day"].round(0).astype("Int64"),
    )


MILESTONE_COLUMN_CONFIG = {
    "scenario": st.column_config.TextColumn("Trend"),
    "pulls_per_day": st.column_config.NumberColumn("Pulls a day", format="localized"),
    "date_reached": st.column_config.TextColumn("Date reached"),
}
