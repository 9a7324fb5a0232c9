"""How charts look: the screen theme and the slide theme (large type, high contrast, colour-blind-safe)."""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
EXPORT_WIDTH = 1920
EXPORT_HEIGHT = 1080

_SCREEN = {"font": 14, "title": 20, "line": 2.5, "note": 12, "grid": "#E5E5E5", "ink": "#262730"}
_SLIDE = {"font": 26, "title": 40, "line": 5.0, "note": 20, "grid": "#BBBBBB", "ink": "#000000"}


def sizes(slide: bool) -> dict:
    """Return the type sizes and colours of the screen or slide theme."""
    return dict(_SLIDE if slide else _SCREEN)


def apply(fig: go.Figure, slide: bool = False) -> go.Figure:
    """Return a copy of `fig` in the screen theme, or the slide theme when `slide` is true."""
    return style(go.Figure(fig), slide)


def style(themed: go.Figure, slide: bool = False) -> go.Figure:
    """Put `themed` (changed in place, and returned) in the screen or slide theme.

    No plotly template is used: building one costs about 0.1 s a chart, more than the rest of a redraw.
    """
    look = sizes(slide)
    lines = (themed.layout.title.text or "").count("<br>")
    line_height = round(look["title"] * 1.3)
    themed.update_layout(
        # Plotly lifts a wrapped title (any number of lines) by about half a line: the pad brings it back inside.
        title={
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12 + (round(line_height / 2) if lines else 0)},
            "font": {"size": look["title"], "color": look["ink"]},
        },
        margin={"t": 48 + line_height * (lines + 1)},
        template="none",
        colorway=list(OKABE_ITO),
        font={"size": look["font"], "color": look["ink"], "family": "DejaVu Sans, Arial, sans-serif"},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        legend={"font": {"size": look["font"]}},
    )
    axes = {
        "gridcolor": look["grid"],
        "linecolor": look["ink"],
        "showline": True,
        "zeroline": False,
        "showgrid": True,
        "ticks": "outside",
        "tickcolor": look["ink"],
        "automargin": True,
    }
    themed.update_xaxes(**axes)
    themed.update_yaxes(**axes)
    themed.update_traces(selector={"type": "scatter", "mode": "lines"}, line={"width": look["line"]})
    themed.update_traces(selector={"type": "scatter", "mode": "lines+markers"}, line={"width": look["line"]})
    for note in themed.layout.annotations:
        note.font = {"size": look["note"], "color": look["ink"]}
    return themed


def for_export(fig: go.Figure) -> go.Figure:
    """Return `fig` in the slide theme at 1920x1080, as exported images are meant for slides."""
    exported = apply(fig, slide=True)
    title_lines = (exported.layout.title.text or "").count("<br>") + 1
    footer_lines = max([(note.text or "").count("<br>") + 1 for note in exported.layout.annotations] or [1])
    meta = exported.layout.meta
    tick_lines = meta.get("tick_lines", 1) if isinstance(meta, dict) else 1
    # The footer hangs from the plot's bottom: the tick labels and the x-axis title need their room above it.
    top, bottom = max(140, 70 + 56 * title_lines), max(200, 60 + 28 * footer_lines + 34 * tick_lines)
    exported.update_layout(width=EXPORT_WIDTH, height=EXPORT_HEIGHT, margin={"l": 140, "r": 80, "t": top, "b": bottom})
    for note in exported.layout.annotations:
        if note.yref == "paper" and note.y == 0:  # the footer sits in the bottom margin, whatever its size
            note.yshift = -bottom + 20
    return exported
