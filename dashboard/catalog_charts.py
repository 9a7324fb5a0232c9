"""Catalog figures: images per decade of pulls, exact counts solid and bounded counts hatched."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import _frame, escape
from dashboard.theme import OKABE_ITO


def distribution_bars(table: pd.DataFrame, title: str, footer: list[str], slide: bool = False) -> go.Figure:
    """Stacked bars of images per decade (analysis.catalog.stats.distribution): exact solid, bounds hatched."""
    labels = [escape(label) for label in table["label"]]
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=table["exact"],
        name="exact count",
        marker={"color": OKABE_ITO[0]},
        hovertemplate="%{x}: %{y:,} images with an exact count<extra></extra>",
    )
    fig.add_bar(
        x=labels,
        y=table["bounded"],
        name="bucketed count (a range)",
        marker={"color": "#FFFFFF", "line": {"color": OKABE_ITO[1], "width": 2},
                "pattern": {"shape": "/", "fgcolor": OKABE_ITO[1], "solidity": 0.4}},
        customdata=table[["open_ended"]].to_numpy(),
        hovertemplate="%{x}: %{y:,} images known only as a range (%{customdata[0]:,} with no upper bound)"
        "<extra></extra>",
    )  # fmt: skip
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_xaxes(title="pulls (by the lower bound of each count)", type="category")
    fig.update_yaxes(title="images", rangemode="tozero")
    return _frame(fig, title, footer, bottom=130, slide=slide)
