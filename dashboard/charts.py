"""Plotly figure builders: frames in, figures out, with title, source and date inside the figure."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.catalog.stats import pulls_label
from analysis.surveys.quote import p_value_text
from analysis.views.spec import short_waves
from dashboard.theme import OKABE_ITO, sizes, style

# The milestone's scenarios (analysis.pulls.milestones.milestone_path) as the legend and the table name them.
TREND_NAMES = {"fast": "fast trend", "expected": "expected trend", "slow": "slow trend"}

TITLE_WIDTH = 85  # characters a title line holds at screen width before it would run off a 900-pixel chart
FOOTER_WIDTH = 110
CHART_PIXELS = 900  # the narrowest chart the widths above are set for (the main column at 1366 pixels)
MIN_PLOT_LINES = 14  # the plot area is at least this many lines of tick type tall
EVENT_LABEL_LIMIT = 60
ANSWER_WIDTH = 60  # characters a line of an answer beside its bar holds; a longer answer wraps between words
COLUMN_WIDTH = 20  # the same under a column of grouped bars, where answers stand side by side
DEFAULT_HEIGHT = 450  # plotly's own height of a chart, in pixels
SMALL_BAR = 0.1  # a bar shorter than this share has its label beside it, not inside
# `&` that does not start an entity (&amp; &lt; &#60; &#x3c;): escaped; an entity is left as it is.
_BARE_AMPERSAND = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)")
FLAG_SYMBOLS = {
    "decrease": "triangle-down",
    "cap": "x",
    "stall": "square-open",
    "catch_up": "square",
    "gap": "circle-open",
    "failed_poll": "circle-x-open",
}
# What each marker means, written under a chart that draws it (the symbols as FLAG_SYMBOLS draws them).
MARKER_WORDS = {
    "gap": "○ gap (days estimated)",
    "catch_up": "■ catch-up after a gap",
    "decrease": "▽ count fell (left out)",
    "cap": "✕ count capped (left out)",
    "stall": "□ count stalled (left out)",
    "partial": "◇ partial period",
    "failed_poll": "⊗ failed poll",
}


def escape(text: object) -> str:
    """Return `text` inert for plotly: `<`, `>` and bare `&` escaped, so no tag, link or style from data is drawn.

    The one place where text from a file, the store or a URL is made safe for a figure: every builder below
    passes each string it is given (titles, trace names, labels, hover text, annotations) through it.
    It is idempotent: an entity already escaped (`&lt;`) is kept, so text escaped twice reads the same;
    plotly turns an entity into a character of plain text, never into a tag.
    """
    return _BARE_AMPERSAND.sub("&amp;", str(text)).replace("<", "&lt;").replace(">", "&gt;")


def clip(text: object, limit: int) -> str:
    """Return `text` on one line (runs of white space made one space), cut to `limit` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def plain(text: object, limit: int = 110) -> str:
    """Return file-supplied `text` safe for a plotly label: on one line, cut to `limit`, its tags shown as text."""
    return escape(clip(text, limit))


def answer_label(text: object, width: int) -> str:
    """Return file-supplied `text` safe for a plotly label, on lines of about `width` characters split between words."""
    return wrap(escape(" ".join(str(text).split())), width)


def wrap(text: str, width: int = 100) -> str:
    """Return `text` broken into lines of at most about `width` characters, joined with plotly's <br>."""
    lines = []
    for paragraph in text.split("<br>"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return "<br>".join(lines)


def footer_text(source: str, as_of: str) -> str:
    """Return the line written under every chart: where the numbers come from and when (escaped when drawn)."""
    return f"Source: {source} · Data as of {as_of}"


def framed(
    fig: go.Figure,
    title: str,
    footer: str | Sequence[str],
    bottom: int = 110,
    slide: bool = False,
    tick_lines: int = 1,
    label_chars: int = 0,
) -> go.Figure:
    """`fig` with its title, source footer and margins: what every chart of the dashboard is drawn inside.

    `label_chars` is the longest line of the category labels left of the plot: the footer starts at the
    plot's left edge, after them, so its lines hold that much less.
    """
    # Long titles (a survey question, many images) wrap rather than run off the chart's right edge; the
    # slide theme's larger type holds fewer characters a line.
    look, screen = sizes(slide), sizes(False)
    title = wrap(escape(title), TITLE_WIDTH * screen["title"] // look["title"])
    lines = [footer] if isinstance(footer, str) else list(footer)
    # The labels' width in pixels (about 0.6 of the type size a character), out of the 900-pixel chart.
    room = max(0.3, 1 - label_chars * look["font"] * 0.6 / CHART_PIXELS)
    width = int(FOOTER_WIDTH * screen["note"] / look["note"] * room)
    footer = "<br>".join(wrap(escape(line), width) for line in lines)
    # Room for the tick labels, the x-axis title and every footer line at the theme's type size: the footer
    # hangs from the plot's bottom, so whatever sits between them must be counted here, nothing over another.
    titled = bool(fig.layout.xaxis.title.text)
    ticks = round(look["font"] * (1.3 * tick_lines + 0.9 + (2.5 if titled else 0)))
    bottom = max(bottom, ticks + round(look["note"] * 1.4) * (footer.count("<br>") + 1))
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        margin={"l": 70, "r": 30, "t": 70, "b": bottom},
        meta={"tick_lines": tick_lines + (1 if titled else 0)},  # for_export makes the same room at 1920x1080
        legend={"yanchor": "top", "y": 1.0, "xanchor": "left", "x": 1.01},
        hovermode="x unified",
    )
    fig.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-bottom + 14,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
    )
    return _fit_legend(style(fig, slide), look)


def _fit_legend(fig: go.Figure, look: dict) -> go.Figure:
    """Make the chart tall enough for its legend and its axis title, so nothing runs over the title or footer."""
    entries = sum(1 for trace in fig.data if trace.showlegend is not False and trace.name)
    if fig.layout.showlegend is False:
        entries = 0
    # The plot keeps room for its legend entries and for a rotated axis title at the theme's type size.
    plot = max(entries * round(look["font"] * 1.85) + 30, MIN_PLOT_LINES * look["font"])
    needed = (fig.layout.margin.t or 0) + (fig.layout.margin.b or 0) + plot
    if needed > (fig.layout.height or DEFAULT_HEIGHT):
        fig.update_layout(height=needed)
    return fig


def markers_note(series: pd.DataFrame, failures: pd.DataFrame | None = None) -> str:
    """The line saying what each kind of marker on a pulls chart means, for the kinds drawn ("" when none is)."""
    kinds = {str(flag).split(";")[-1] for flag in series["flag"] if str(flag)} if "flag" in series else set()
    if "partial" in series and series["partial"].astype(bool).any():
        kinds.add("partial")
    if failures is not None and not failures.empty:
        kinds.add("failed_poll")
    words = [text for kind, text in MARKER_WORDS.items() if kind in kinds]
    return "Markers: " + " · ".join(words) + "; hover a marker for its day" if words else ""


def log_ticks(values: pd.Series) -> dict:
    """Ticks at 1, 2 and 5 of each decade the values span, each written whole ("20M", not plotly's bare "2")."""
    positive = pd.to_numeric(values, errors="coerce")
    positive = positive[positive > 0]
    if positive.empty:
        return {}
    low, high = int(np.floor(np.log10(positive.min()))), int(np.ceil(np.log10(positive.max())))
    steps = (1, 2, 5) if high - low <= 3 else (1,)  # over more decades, 2 and 5 crowd each other
    ticks = [step * 10**decade for decade in range(low, high + 1) for step in steps]
    return {"tickvals": ticks, "ticktext": [pulls_label(tick) for tick in ticks]}


def pulls_over_time(
    series: pd.DataFrame,
    value_label: str,
    title: str,
    footer: str | Sequence[str],
    log_scale: bool = False,
    events: Sequence[tuple[pd.Timestamp, str]] = (),
    slide: bool = False,
    failures: pd.DataFrame | None = None,
) -> go.Figure:
    """Lines of `value` over `period`, one per `image`; flagged points drawn as markers, gaps left open.

    Partial periods (`partial`) are hollow points on a dotted segment, "8 of 31 days" on hover;
    `failures` (image, period, marker_y) are failed polls, drawn as markers on their days only.
    """
    fig = go.Figure()
    shared = shared_namespace(list(dict.fromkeys(series["image"]))) if slide else ""
    for position, (image_name, rows) in enumerate(series.groupby("image", sort=False)):
        colour = OKABE_ITO[position % len(OKABE_ITO)]
        image = escape(image_name.removeprefix(shared))
        partial = rows["partial"].astype(bool) if "partial" in rows else pd.Series(False, index=rows.index)
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["value"].where(~partial),
                name=image,
                mode="lines",
                legendgroup=image,
                line={"color": colour},
                connectgaps=False,
            )
        )
        flagged = rows[rows["flag"].astype(str) != ""]
        if not flagged.empty:
            _add_markers(
                fig,
                flagged["period"],
                flagged["marker_y"],
                f"{image}: flagged",
                image,
                marker={
                    "color": colour,
                    "size": 11,
                    "line": {"width": 2, "color": colour},
                    "symbol": [FLAG_SYMBOLS.get(flag.split(";")[-1], "diamond") for flag in flagged["flag"]],
                },
                hovertemplate="%{text}<extra>" + image + "</extra>",
                text=[escape(flag) for flag in flagged["flag"]],
            )
        if partial.any():
            _add_partial_periods(fig, rows, partial, image, colour)
        if failures is not None:
            _add_failed_polls(fig, failures[failures["image"] == image_name], image, colour)
    fig.update_yaxes(title=escape(value_label), type="log" if log_scale else "linear", rangemode="tozero")
    if log_scale:
        # Labels at 1, 2 and 5 of each decade: the default labels every digit, which overlap at slide size.
        fig.update_yaxes(**log_ticks(series["value"]))
    fig.update_xaxes(title=None, **_date_ticks(slide))
    _add_events(fig, events)
    lines = [footer] if isinstance(footer, str) else list(footer)
    note = markers_note(series, failures)
    named = [f"Lines: images of {shared}"] if shared else []
    return framed(fig, title, [*named, *([note] if note else []), *lines], slide=slide)


def shared_namespace(images: list[str]) -> str:
    """The `namespace/` every one of several images shares ("" when they do not): legends at slide size leave it out."""
    named = [image for image in images if not image.startswith("others (")]  # the summed line has no namespace
    spaces = {image.split("/", 1)[0] + "/" if "/" in image else "" for image in named}
    return spaces.pop() if len(named) > 1 and len(spaces) == 1 else ""


def _date_ticks(slide: bool) -> dict:
    """Few enough date labels to lie flat side by side: rotated ones run into each other and the footer."""
    return {"nticks": 4 if slide else 8, "tickangle": 0}


def _add_partial_periods(fig: go.Figure, rows: pd.DataFrame, partial: pd.Series, image: str, colour: str) -> None:
    """A dotted segment from the nearest whole period to each partial one, and a hollow point with its days."""
    beside = partial | partial.shift(1, fill_value=False) | partial.shift(-1, fill_value=False)
    fig.add_trace(
        go.Scatter(
            x=rows["period"],
            y=rows["value"].where(beside),
            mode="lines",
            name=f"{image}: to a partial period",
            line={"color": colour, "dash": "dot"},
            legendgroup=image,
            showlegend=False,
            hoverinfo="skip",
            connectgaps=False,
        )
    )
    shown = rows[partial]
    _add_markers(
        fig,
        shown["period"],
        shown["value"],
        f"{image}: partial period",
        image,
        marker={"color": "#FFFFFF", "size": 11, "symbol": "diamond-open", "line": {"width": 2, "color": colour}},
        hovertemplate="%{y:,.0f} in %{text} (partial period)<extra>" + plain(image) + "</extra>",
        text=[
            f"{int(days)} of {int(length)} days"
            for days, length in zip(shown["days"], shown["days_in_period"], strict=True)
        ],
    )


def _add_failed_polls(fig: go.Figure, failures: pd.DataFrame, image: str, colour: str) -> None:
    if failures.empty:
        return
    _add_markers(
        fig,
        failures["period"],
        failures["marker_y"],
        f"{image}: failed poll",
        image,
        marker={"color": colour, "size": 11, "symbol": FLAG_SYMBOLS["failed_poll"], "line": {"width": 2}},
        hovertemplate="failed poll (no data)<extra>" + plain(image) + "</extra>",
    )


def _add_markers(
    fig: go.Figure, x, y, name: str, image: str, marker: dict, hovertemplate: str, text: list[str] | None = None
) -> None:
    """Markers on an image's line (flags, partial periods, failed polls): in its legend group, not in the legend."""
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            name=name,
            legendgroup=image,
            showlegend=False,
            marker=marker,
            text=text,
            hovertemplate=hovertemplate,
        )
    )


def _add_events(fig: go.Figure, events: Sequence[tuple[pd.Timestamp, str]]) -> None:
    for moment, label in events:
        fig.add_shape(
            type="line",
            x0=moment,
            x1=moment,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line={"dash": "dot", "width": 2, "color": "#555555"},
        )
        fig.add_annotation(
            x=moment,
            xref="x",
            y=1,
            yref="paper",
            text=plain(label, EVENT_LABEL_LIMIT),
            showarrow=False,
            xanchor="left",
            yanchor="top",
            textangle=-90,
            font={"color": "#333333"},
        )


# The projected paths: the forecast's column, its legend name, colour and dash, fast before slow.
PROJECTION_PATHS = (
    ("fast", TREND_NAMES["fast"], OKABE_ITO[2], "dot"),
    ("expected", TREND_NAMES["expected"], OKABE_ITO[1], "dash"),
    ("slow", TREND_NAMES["slow"], OKABE_ITO[3], "dot"),
)


def projection(
    history: pd.DataFrame, forecast: pd.DataFrame, target: int, title: str, footer: str, slide: bool = False
) -> go.Figure:
    """Cumulative pulls so far and the projected path to `target`, with its low and high range."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=history["period"], y=history["value"], name="pull count", mode="lines", line={"color": OKABE_ITO[0]}
        )
    )
    if not forecast.empty:
        for column, name, colour, dash in PROJECTION_PATHS:
            fig.add_trace(
                go.Scatter(
                    x=forecast["period"],
                    y=forecast[column],
                    name=name,
                    mode="lines",
                    line={"color": colour, "dash": dash},
                )
            )
    fig.add_hline(y=target, line={"dash": "dash", "color": "#555555"})
    fig.update_yaxes(title="cumulative pulls", rangemode="tozero")
    fig.update_xaxes(**_date_ticks(slide))
    return framed(fig, title, footer, slide=slide)


def share_bars(
    breakdown: pd.DataFrame, title: str, footer: str, base_note: str | Sequence[str], slide: bool = False
) -> go.Figure:
    """Horizontal bars of `share` per `answer`, in the table's order from the top, whiskers and the base under.

    The table's order is analysis's (an ordered scale keeps its order); plotly draws the first row at
    the bottom, so the rows are reversed.
    """
    rows = breakdown.iloc[::-1]
    answers = [answer_label(answer, ANSWER_WIDTH) for answer in rows["answer"]]
    # A net (several answers counted once per respondent) gets its own colour beside the answers.
    nets = rows["is_net"].to_numpy(dtype=bool) if "is_net" in rows else [False] * len(rows)
    fig = go.Figure(
        go.Bar(
            x=rows["share"],
            y=answers,
            orientation="h",
            marker={"color": [OKABE_ITO[1] if net else OKABE_ITO[0] for net in nets]},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": rows["ci_high"] - rows["share"],
                "arrayminus": rows["share"] - rows["ci_low"],
                "color": "#000000",
                "thickness": 2,
            },
            text=[f"{share:.0%}" if share >= SMALL_BAR else "" for share in rows["share"]],
            textposition="inside",
            insidetextanchor="start",
            textangle=0,
            textfont={"color": "#FFFFFF"},
            customdata=rows[["count", "base"]].to_numpy(),
            hovertemplate="%{y}: %{x:.1%} (%{customdata[0]} of %{customdata[1]})<extra></extra>",
        )
    )
    small = rows[rows["share"] < SMALL_BAR]
    if not small.empty:
        # A short bar has no room for its label: it goes beside the bar, past the whisker's end, unrotated.
        fig.add_trace(
            go.Scatter(
                x=small["ci_high"] + 0.01,
                y=[answer_label(answer, ANSWER_WIDTH) for answer in small["answer"]],
                mode="text",
                text=[f"{share:.0%}" for share in small["share"]],
                textposition="middle right",
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
    fig.update_xaxes(tickformat=".0%", range=[0, max(1.0, float(rows["ci_high"].max() or 0) + 0.05)], title=None)
    fig.update_yaxes(title=None, automargin=True)
    fig.update_layout(hovermode="closest", showlegend=False)
    notes = [base_note] if isinstance(base_note, str) else list(base_note)
    longest = max((len(line) for answer in answers for line in answer.split("<br>")), default=0)
    fig = framed(fig, title, [*notes, footer], bottom=130, slide=slide, label_chars=longest)
    return _fit_rows(fig, sum(answer.count("<br>") + 1 for answer in answers), sizes(slide))


def _fit_rows(fig: go.Figure, lines: int, look: dict) -> go.Figure:
    """Make a chart of horizontal bars tall enough for every line of its answer labels, none over another."""
    needed = (fig.layout.margin.t or 0) + (fig.layout.margin.b or 0) + round(lines * look["font"] * 1.6) + 30
    if needed > (fig.layout.height or DEFAULT_HEIGHT):
        fig.update_layout(height=needed)
    return fig


def grouped_share_bars(
    crosstab: pd.DataFrame, title: str, footer: str, base_note: str, slide: bool = False
) -> go.Figure:
    """Bars of `share` per `answer`, one colour per `segment`, whiskers for the interval; small cells hatched."""
    fig = go.Figure()
    for position, (segment, rows) in enumerate(crosstab.groupby("segment", sort=False)):
        small = rows["small_base"].astype(bool)
        fig.add_trace(
            go.Bar(
                x=[answer_label(answer, COLUMN_WIDTH) for answer in rows["answer"]],
                y=rows["share"],
                name=f"{plain(segment, 40)} (n={int(rows['base'].iloc[0])})",
                marker={
                    "color": OKABE_ITO[position % len(OKABE_ITO)],
                    "pattern": {"shape": ["/" if flag else "" for flag in small]},
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": rows["ci_high"] - rows["share"],
                    "arrayminus": rows["share"] - rows["ci_low"],
                    "color": "#000000",
                },
            )
        )
    fig.update_yaxes(tickformat=".0%", title=None, rangemode="tozero")
    # Answers along the axis in the table's order (an ordered scale keeps it), not in order of first sight.
    answers = list(dict.fromkeys(answer_label(answer, COLUMN_WIDTH) for answer in crosstab["answer"]))
    fig.update_xaxes(categoryorder="array", categoryarray=answers)
    fig.update_layout(barmode="group", hovermode="closest")
    lines = max(answer.count("<br>") + 1 for answer in answers)
    return framed(fig, title, [base_note, footer], bottom=130, slide=slide, tick_lines=lines)


def share_trend(trend: pd.DataFrame, title: str, footer: str, slide: bool = False) -> go.Figure:
    """The share of one answer by survey wave with interval whiskers; under each: n, the change and its p-value."""
    waves = short_waves([str(wave) for wave in trend["wave"]])
    labels = [f"{plain(wave, 40)}<br>n={int(base):,}" for wave, base in zip(waves, trend["base"], strict=True)]
    if "change" in trend and "p_value" in trend:
        labels = [
            label if pd.isna(change) else f"{label}<br>{change * 100:+.0f} pts<br>p{_p_text(p_value)}"
            for label, change, p_value in zip(labels, trend["change"], trend["p_value"], strict=True)
        ]
    breaks = _breaks(trend)
    hover = [_wave_hover(*wave) for wave in zip(waves, trend["share"], breaks, strict=True)]
    fig = go.Figure(
        go.Scatter(
            x=labels,
            y=trend["share"],
            mode="markers+text",
            marker={"size": 12, "color": OKABE_ITO[0]},
            text=[f"{share:.0%}" for share in trend["share"]],
            hovertext=hover,
            hoverinfo="text",
            zorder=1,  # the points, their labels and whiskers drawn over the lines joining them
            textposition="top center",
            cliponaxis=False,  # a label over a point near 100% stays whole above the plot
            error_y={
                "type": "data",
                "symmetric": False,
                "array": trend["ci_high"] - trend["share"],
                "arrayminus": trend["share"] - trend["ci_low"],
                "color": "#000000",
            },
        )
    )
    _join_waves(fig, labels, list(trend["share"]), breaks)
    top = float(trend["ci_high"].max()) if len(trend) else 1.0
    fig.update_yaxes(tickformat=".0%", range=[0, max(1.05, top + 0.1)], title=None)
    # Level labels on short lines: plotly would turn crowded ones on end, into the footer the margin is sized for.
    fig.update_xaxes(tickangle=0)
    fig.update_layout(hovermode="closest", showlegend=False)
    return framed(
        fig, title, footer, bottom=150, slide=slide, tick_lines=max(label.count("<br>") + 1 for label in labels)
    )


def _wave_hover(wave: str, share: float, reason: str) -> str:
    """A wave's hover: its share, and the break before it where there is one (outside text escaped)."""
    text = f"{plain(wave, 60)}: {share:.0%}"
    return f"{text}<br>Break before this wave: {wrap(escape(reason), 60)}" if reason else text


def _breaks(trend: pd.DataFrame) -> list[str]:
    """Each wave's methodology break with the wave before it ("" where none), from the trend's break_before."""
    if "break_before" not in trend:
        return [""] * len(trend)
    return ["" if pd.isna(reason) else str(reason) for reason in trend["break_before"]]


def _join_waves(fig: go.Figure, labels: list[str], shares: list[float], breaks: list[str]) -> None:
    """Solid lines between comparable waves; across a break a dotted grey line and a dashed marker, not a trend."""
    for position in range(1, len(labels)):
        broken = bool(breaks[position])
        fig.add_trace(
            go.Scatter(
                x=labels[position - 1 : position + 1],
                y=shares[position - 1 : position + 1],
                mode="lines",
                line={"color": "#999999" if broken else OKABE_ITO[0], "dash": "dot" if broken else "solid"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        if broken:
            fig.add_vline(x=position - 0.5, line={"color": "#666666", "dash": "dash", "width": 1})
            fig.add_annotation(
                x=position - 0.5,
                y=1.0,
                yref="paper",
                text="break",
                showarrow=False,
                font={"size": 11},
                yanchor="bottom",
            )


def _p_text(p_value: float) -> str:
    text = p_value_text(p_value)  # the one p-value wording, analysis's
    return text if text.startswith("<") else f"={text}"
