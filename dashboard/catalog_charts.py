"""Catalog figures: images per decade of pulls, exact counts solid and bounded counts hatched."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import escape, framed
from dashboard.theme import OKABE_ITO


def distribution_bars(table: pd.DataFrame, title: str, footer: list[str], slide: bool = False) -> go.Figure:
    """Stacked bars of images per decade (analysis.catalog.stats.distribution): exact solid, bounds hatched."""
    # "1M–<br>10M" on two flat lines: rotated labels run into each other and into the axis title at slide size.
    labels = [escape(label).replace("–", "–<br>", 1) for label in table["label"]]
    fig = go.Figure()
    # A kind of count no image has is no bar: its legend entry would explain nothing that is drawn.
    exact, bounded = bool(table["exact"].any()), bool(table["bounded"].any()) or not table["exact"].any()
    fig.add_bar(
        visible=exact,
        showlegend=exact,
        x=labels,
        y=table["exact"],
        name="exact count",
        marker={"color": OKABE_ITO[0]},
        hovertemplate="%{x}: %{y:,} images with an exact count<extra></extra>",
    )
    fig.add_bar(
        visible=bounded,
        showlegend=True,
        x=labels,
        y=table["bounded"],
        name="bucketed count (a range)",
        marker={"color": "#FFFFFF", "line": {"color": OKABE_ITO[1], "width": 2},
                "pattern": {"shape": "/", "fgcolor": OKABE_ITO[1], "solidity": 0.4}},
        customdata=table[["open_ended"]].to_numpy(),
        hovertemplate="%{x}: %{y:,} images known only as a range (%{customdata[0]:,} with no upper bound)"
        "<extra></extra>",
    )  # fmt: skip
    fig.update_layout(barmode="stack", hovermode="closest", showlegend=True)
    # A short axis title: a long one, centred under a narrow plot, runs off the chart's left edge.
    fig.update_xaxes(title="pulls (lower bound)", type="category", tickangle=0)
    fig.update_yaxes(title="images", rangemode="tozero")
    fig = framed(fig, title, footer, bottom=130, slide=slide, tick_lines=2)
    # The legend inside the plot's top right, above the short bars of the big decades: the plot keeps the width.
    fig.update_layout(legend={"x": 0.99, "xanchor": "right", "y": 0.99, "yanchor": "top", "bgcolor": "#FFFFFF"})
    return fig


def threshold_history_line(table: pd.DataFrame, title: str, footer: list[str], slide: bool = False) -> go.Figure:
    """Images at or above a threshold at each catalog snapshot (analysis.catalog.over_time.threshold_over_time)."""
    fig = go.Figure()
    flagged = table[["cap", "decrease", "stall"]].sum(axis=1)
    fig.add_scatter(
        x=[escape(text) for text in table["observed"]],
        y=table["images"],
        mode="lines+markers",
        name="images at or above (a floor)",
        marker={"color": OKABE_ITO[0], "size": 9},
        customdata=list(zip(table["base"], flagged, strict=True)),
        hovertemplate="%{x}: at least %{y:,} images of %{customdata[0]:,}; "
        "%{customdata[1]:,} counts flagged<extra></extra>",
    )
    fig.update_xaxes(title="catalog snapshot", type="category")
    fig.update_yaxes(title="images", rangemode="tozero")
    return framed(fig, title, footer, slide=slide)
