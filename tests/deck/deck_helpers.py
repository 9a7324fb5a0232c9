"""Reading a built deck back: each slide's chart, texts and notes, and the command its notes name."""

from __future__ import annotations

import csv
import io
import shlex
from contextlib import redirect_stdout
from pathlib import Path

from pptx import Presentation
from pptx.enum.chart import XL_MARKER_STYLE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from analysis.__main__ import main
from exports.deck import PARTIAL_NAME

VIEWS = {
    "shares": "surveys?survey=Cloud_Native_Survey_2019&q=Q15&item=Production",
    "crosstab": "surveys?survey=Cloud_Native_Survey_2019&q=Q15&item=Production&by=Q2&chart=crosstab",
    "trend": "surveys?survey=Cloud_Native_Survey_2019&q=Q15&item=Production&chart=trend",
    "month": "pulls?image=falcosecurity/falco&measure=month",
    "namespace": "pulls?ns=falcosecurity&measure=week",
    "milestone": "pulls?image=falcosecurity/falco&chart=milestone",
    "overview": "overview",
}


def build(views: list[str], output: Path, db: str) -> int:
    """Run `python -m analysis deck VIEWS -o output --db db`; its exit status."""
    return main(["deck", *views, "-o", str(output), "--db", db])


def open_deck(path: Path):
    """The deck as python-pptx reads it."""
    return Presentation(str(path))


def chart_of(slide):
    """The slide's one native chart (a picture or a second chart fails)."""
    charts = [shape for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1
    assert not [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    return charts[0].chart


def texts_of(slide) -> list[str]:
    """The text of each text box on the slide, top to bottom."""
    boxes = sorted((shape for shape in slide.shapes if shape.has_text_frame), key=lambda shape: shape.top)
    return [box.text_frame.text for box in boxes]


def notes_line(slide, prefix: str) -> str:
    """The speaker-notes line starting with `prefix`, without it."""
    lines = slide.notes_slide.notes_text_frame.text.splitlines()
    found = [line[len(prefix) :].strip() for line in lines if line.startswith(prefix)]
    assert found, f"no {prefix!r} line in the notes"
    return found[0]


def run_reproduce(command: str, db: str | None = None, fmt: str | None = None) -> list[dict[str, str]]:
    """Run the `python -m analysis ...` command of a slide's notes in-process; its CSV rows."""
    words = shlex.split(command.split(" (the ")[0])
    assert words[:3] == ["python", "-m", "analysis"]
    args = words[3:] + (["--db", db] if db else []) + (["--format", fmt] if fmt else [])
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(args) == 0
    text = out.getvalue()
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if "," in line)
    return list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))


def is_partial(series) -> bool:
    """True for a series that draws another line's partial periods (exports.deck.drawn_series)."""
    return series.name == PARTIAL_NAME


def _continuation(chart, line):
    """The partial-period series that continues `line`: it fills the line's gaps and agrees where both draw."""
    values = list(line.values)
    for series in chart.plots[0].series:
        if not is_partial(series):
            continue
        extra = list(series.values)
        fills = any(value is None and extra[p] is not None for p, value in enumerate(values))
        agrees = all(value == extra[p] for p, value in enumerate(values) if value is not None and extra[p] is not None)
        if fills and agrees:
            return series
    return None


def partial_of(chart, line) -> list[int]:
    """The positions of `line`'s partial periods: a hollow diamond on its dashed continuation (none without one)."""
    series = _continuation(chart, line)
    if series is None:
        return []
    values = list(line.values)
    return [
        p
        for p, value in enumerate(series.values)
        if value is not None and values[p] is None and series.points[p].marker.style != XL_MARKER_STYLE.NONE
    ]


def line_values(chart, line) -> list[float | None]:
    """A line's values as the slide shows them: its own, and its partial periods from its continuation."""
    series, values = _continuation(chart, line), list(line.values)
    if series is None:
        return values
    return [extra if value is None else value for value, extra in zip(values, series.values, strict=True)]
