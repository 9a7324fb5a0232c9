"""The Technologies chart: survey share by wave over pulls per week, two panels sharing one time axis."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.technology.evidence import TechnologyEvidence
from dashboard.charts import escape, framed, plain
from dashboard.theme import OKABE_ITO

SURVEY_PANEL = "Survey: share using it in production"
PULLS_PANEL = "Docker Hub: pulls per week"
BREAK_NAME = "○ wording changed"
PARTIAL_NAME = "◇ partial week"


def _first(named: set[str], entry: str) -> bool:
    """True the first time a legend entry shared by every technology is drawn."""
    first = entry not in named
    named.add(entry)
    return first


def _survey_traces(fig: go.Figure, evidence: TechnologyEvidence, colour: str, named: set[str]) -> None:
    shares = evidence.shares
    if shares.empty:
        return
    fig.add_trace(
        go.Scatter(
            x=shares["plotted_at"],
            y=shares["share"],
            mode="lines+markers",
            name=plain(evidence.label, 40),
            line={"color": colour},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": shares["ci_high"] - shares["share"],
                "arrayminus": shares["share"] - shares["ci_low"],
            },  # fmt: skip
            text=[
                plain(f"{wave} (n={base:,}){' · break: ' + brk if brk else ''}", 160)
                for wave, base, brk in zip(shares["wave"], shares["base"], shares["break"], strict=True)
            ],  # fmt: skip
            hovertemplate="%{text}: %{y:.1%}<extra></extra>",
            legendgroup=escape(evidence.technology),
        ),
        row=1,
        col=1,
    )
    breaks = shares[shares["break"] != ""]
    if not breaks.empty:
        fig.add_trace(
            go.Scatter(
                x=breaks["plotted_at"],
                y=breaks["share"],
                mode="markers",
                name=BREAK_NAME,
                marker={"symbol": "circle-open", "size": 18, "color": colour, "line": {"width": 2}},
                hoverinfo="skip",
                legendgroup="breaks",  # one legend entry, whatever the number of technologies
                showlegend=_first(named, "breaks"),
                legendrank=1001,  # after every technology's name
            ),
            row=1,
            col=1,
        )


def _pull_traces(fig: go.Figure, evidence: TechnologyEvidence, colour: str, named: set[str]) -> None:
    weeks = evidence.weeks
    if weeks.empty:
        return
    fig.add_trace(
        go.Scatter(
            x=weeks["period"],
            y=weeks["pulls"].astype("Float64").astype(float),
            mode="lines",
            name=plain(evidence.label, 40),
            line={"color": colour, "dash": "solid"},
            legendgroup=escape(evidence.technology),
            showlegend=evidence.shares.empty,  # its colour is named once, by the survey line where there is one
        ),  # fmt: skip
        row=2,
        col=1,
    )
    partial = weeks[weeks["partial"].astype(bool) & weeks["pulls"].notna()]
    if not partial.empty:
        fig.add_trace(
            go.Scatter(
                x=partial["period"],
                y=partial["pulls"].astype("Float64").astype(float),
                mode="markers",
                name=PARTIAL_NAME,
                marker={"symbol": "diamond-open", "size": 10, "color": colour},
                legendgroup="partial",
                showlegend=_first(named, "partial"),
                legendrank=1002,
            ),  # fmt: skip
            row=2,
            col=1,
        )


def technology_figure(evidences: list[TechnologyEvidence], title: str, footer: list[str], slide: bool) -> go.Figure:
    """Survey share by wave (95% whiskers, ○ where the wording changed) over pulls per week (◇ partial weeks)."""
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12, row_heights=[0.45, 0.55],
        subplot_titles=(SURVEY_PANEL, PULLS_PANEL),
    )  # fmt: skip
    named: set[str] = set()
    for position, evidence in enumerate(evidences):
        colour = OKABE_ITO[position % len(OKABE_ITO)]
        _survey_traces(fig, evidence, colour, named)
        _pull_traces(fig, evidence, colour, named)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(tickformat="~s", rangemode="tozero", row=2, col=1)
    fig.update_layout(height=640)
    return framed(fig, title, footer, slide=slide)
