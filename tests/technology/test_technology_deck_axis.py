"""The technology slide's two charts share one time axis: a wave sits above its own time in the pulls chart."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from analysis.__main__ import main
from analysis.views.spec import parse_view
from analysis.views.technology import technology_slide

FALCO = "technologies?technology=falco"
COMPARED = "technologies?technology=falco&technology=kubernetes"
KUBERNETES = "technologies?technology=kubernetes"


def _day(number: float) -> date:
    """A date axis's value as a day: charts keep them as spreadsheet day numbers (days since 1899-12-30)."""
    return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(number))).date()


def _charts(view: str, db: str, tmp_path: Path) -> list:
    deck = tmp_path / "talk.pptx"
    assert main(["deck", view, "-o", str(deck), "--db", db]) == 0
    return [shape.chart for shape in Presentation(str(deck)).slides[0].shapes if shape.has_chart]


def _printed(name: str, db: str) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["technology", name, "--format", "json", "--db", db]) == 0
    return json.loads(out.getvalue())


def _span(chart) -> tuple[date, date]:
    axis = chart.category_axis
    assert axis._element.tag == qn("c:dateAx")  # a time axis, not categories spread over the width
    return _day(axis.minimum_scale), _day(axis.maximum_scale)


def _plot_box(chart) -> dict[str, float]:
    manual = chart._chartSpace.chart.plotArea.find(qn("c:layout")).find(qn("c:manualLayout"))
    assert manual.find(qn("c:layoutTarget")).get("val") == "inner"
    return {tag: float(manual.find(qn(f"c:{tag}")).get("val")) for tag in ("x", "y", "w", "h")}


@pytest.mark.parametrize("view", [FALCO, COMPARED])
def test_both_charts_run_over_the_same_days_and_the_same_width(view: str, seeded_db: str, tmp_path: Path) -> None:
    survey_chart, pulls_chart = _charts(view, seeded_db, tmp_path)
    first, last = _span(survey_chart)
    assert (first, last) == _span(pulls_chart)
    assert first.month == first.day == last.month == last.day == 1 and first < last
    box, other = _plot_box(survey_chart), _plot_box(pulls_chart)
    # The same left edge and width: a day sits at the same place in both charts, whatever their tick labels.
    assert (box["x"], box["w"]) == (other["x"], other["w"])
    every_day = [_day(day) for chart in (survey_chart, pulls_chart) for day in chart.plots[0].categories]
    assert first <= min(every_day) and max(every_day) < last


def test_each_wave_sits_within_its_year_on_the_pulls_axis(seeded_db: str, tmp_path: Path) -> None:
    printed = _printed("falco", seeded_db)
    survey_chart, pulls_chart = _charts(FALCO, seeded_db, tmp_path)
    waves = [_day(day) for day in survey_chart.plots[0].categories]
    assert len(waves) == len(printed["survey"]) == 2
    for day, row in zip(waves, printed["survey"], strict=True):
        assert date(row["year"], 1, 1) <= day <= date(row["year"], 12, 31), (day, row["wave"])
    weeks = [_day(day) for day in pulls_chart.plots[0].categories]
    assert _span(pulls_chart)[0] <= min(waves) <= max(weeks)  # the 2019 wave lies within the pulls chart's axis


def test_labels_stand_beyond_the_whiskers(seeded_db: str, tmp_path: Path) -> None:
    printed = _printed("falco", seeded_db)
    survey_chart, _ = _charts(FALCO, seeded_db, tmp_path)
    series = survey_chart.plots[0].series[0]
    bars = series._element.find(qn("c:errBars"))
    plus = [float(value.text) for value in bars.find(qn("c:plus")).iter(qn("c:v"))]
    minus = [float(value.text) for value in bars.find(qn("c:minus")).iter(qn("c:v"))]
    shares = [row["share"] for row in printed["survey"]]
    # The whiskers reach the printed interval's ends, above and below the share.
    assert plus == pytest.approx([row["ci_high"] - row["share"] for row in printed["survey"]])
    assert minus == pytest.approx([row["share"] - row["ci_low"] for row in printed["survey"]])
    plot_height = _plot_box(survey_chart)["h"]
    for index, whisker in enumerate(plus):
        label = series.points[index].data_label._dLbl
        manual = label.find(qn("c:layout")).find(qn("c:manualLayout"))
        lift = -float(manual.find(qn("c:y")).get("val"))  # upward, as a fraction of the chart's height
        assert lift > whisker * plot_height, (index, shares[index])  # past the whisker's top on the 0..1 axis
    # A date axis says when, so each label says which wave, with the printed share.
    labels = [series.points[index].data_label.text_frame.text for index in range(len(shares))]
    assert labels == [f"2019: {shares[0]:.0%}", f"1H 2020: {shares[1]:.0%}"] == ["2019: 8%", "1H 2020: 3%"]


def test_a_technology_with_surveys_only_still_gets_a_time_axis(seeded_db: str, tmp_path: Path) -> None:
    printed = _printed("kubernetes", seeded_db)
    (survey_chart,) = _charts(KUBERNETES, seeded_db, tmp_path)
    first, last = _span(survey_chart)
    waves = [_day(day) for day in survey_chart.plots[0].categories]
    assert [day.year for day in waves] == [row["year"] for row in printed["survey"]]
    assert first == date(waves[0].year, 1, 1) and last == date(waves[-1].year + 1, 1, 1)


def test_the_subtitle_names_only_the_charts_drawn(bundled_surveys: dict, store) -> None:
    alone = technology_slide(parse_view(KUBERNETES), bundled_surveys, store)
    assert alone.panel is None and "pulls" not in alone.subtitle  # no image history: no pulls chart to announce
    both = technology_slide(parse_view(FALCO), bundled_surveys, store)
    assert both.panel is not None and "pulls per week" in both.subtitle
