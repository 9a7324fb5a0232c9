"""The deck from `python -m analysis deck`: native charts whose numbers are the view's CSV, words that fit."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.views.spec import parse_view
from tests.deck.deck_helpers import (
    VIEWS,
    build,
    chart_of,
    is_partial,
    line_values,
    notes_line,
    open_deck,
    run_reproduce,
    texts_of,
)


@pytest.fixture(scope="module")
def deck_file(tmp_path_factory: pytest.TempPathFactory, seeded_db: str) -> Path:
    """One deck with a slide of every kind of view, in the order of VIEWS."""
    path = tmp_path_factory.mktemp("deck") / "talk.pptx"
    assert build(list(VIEWS.values()), path, seeded_db) == 0
    return path


@pytest.fixture(scope="module")
def slides(deck_file: Path) -> dict:
    deck = open_deck(deck_file)
    return dict(zip(VIEWS, deck.slides, strict=True))


def test_every_slide_holds_one_native_chart_and_no_picture(slides: dict) -> None:
    for name, slide in slides.items():
        chart = chart_of(slide)
        assert chart.plots[0].series, name
        # The numbers travel inside the chart: an embedded workbook PowerPoint opens to edit them.
        assert chart.part.chart_workbook.xlsx_part is not None, name


def test_survey_shares_equal_the_breakdown_csv(slides: dict) -> None:
    slide = slides["shares"]
    rows = run_reproduce(notes_line(slide, "Reproduce:"))
    plot = chart_of(slide).plots[0]
    assert list(plot.categories) == [row["answer"] for row in rows]
    assert list(plot.series[0].values) == pytest.approx([float(row["share"]) for row in rows], abs=1e-12)


def test_crosstab_series_equal_the_crosstab_csv(slides: dict) -> None:
    slide = slides["crosstab"]
    rows = pd.DataFrame(run_reproduce(notes_line(slide, "Reproduce:")))
    plot = chart_of(slide).plots[0]
    for series in plot.series:
        segment = series.name.rsplit(" (n=", 1)[0]
        expected = rows[rows["segment"] == segment].set_index("answer")["share"].astype(float)
        assert list(series.values) == pytest.approx([expected[a] for a in plot.categories], abs=1e-12)


def test_trend_equals_the_trend_csv(slides: dict) -> None:
    slide = slides["trend"]
    rows = run_reproduce(notes_line(slide, "Reproduce:"))
    values = list(chart_of(slide).plots[0].series[0].values)
    assert values == pytest.approx([float(row["share"]) for row in rows], abs=1e-12)
    # 2018, 2019, 1H 2020, 2021 (Part 1, published tables), 2022 ("most or all"): containers in production
    assert [round(v, 2) for v in values] == [0.73, 0.84, 0.92, 0.64, 0.44]


def test_monthly_pulls_equal_the_pulls_csv(slides: dict, seeded_db: str) -> None:
    slide = slides["month"]
    rows = run_reproduce(notes_line(slide, "Reproduce:"), db=seeded_db, fmt="csv")
    chart = chart_of(slide)
    values = line_values(chart, chart.plots[0].series[0])
    expected = [float(row["pulls"]) if row["pulls"] else None for row in rows]
    assert values == pytest.approx(expected)
    # The monthly pulls add up to falco's last count minus its first, as on the dashboard.
    assert sum(value for value in values if value) == 73_777_471 - 43_254_957


def test_a_namespace_of_twelve_images_is_four_lines_and_others(slides: dict, seeded_db: str) -> None:
    slide = slides["namespace"]
    assert texts_of(slide)[0] == "Pulls per week: 12 images of falcosecurity"
    chart = chart_of(slide)
    series = [s for s in chart.plots[0].series if not is_partial(s)]
    # At most five lines on a slide (four images and "others"), then the flagged periods as markers.
    assert [s.name for s in series[4:]] == ["others (8 images)", "flagged (see notes)"]
    others, shown = series[4], {s.name for s in series[:4]}
    rows = pd.DataFrame(run_reproduce(notes_line(slide, "Reproduce:"), db=seeded_db, fmt="csv"))
    rows["pulls"] = pd.to_numeric(rows["pulls"])
    rows["image"] = rows["namespace"] + "/" + rows["name"]
    rest = rows[~rows["image"].isin(shown)]
    assert rest["image"].nunique() == 8
    # Others is the sum of the eight smaller images, period by period; every pull is kept.
    assert sum(v for v in line_values(chart, others) if v is not None) == pytest.approx(rest["pulls"].sum())
    totals = rows.groupby("image")["pulls"].sum()
    assert totals[list(shown)].min() >= totals[rest["image"].unique()].max()


def test_notes_hold_both_sentences_and_the_command(slides: dict) -> None:
    slide = slides["shares"]
    sentence, short = notes_line(slide, "Quote:"), notes_line(slide, "Short quote:")
    assert sentence.startswith("84% (95% CI 82–86%) of the 1,300 respondents who answered")
    expected = '84% of 1,300 respondents chose "Currently Using" for Production (95% CI 82–86%; '
    assert short == expected + "CNCF Cloud Native Survey 2019)"
    assert len(short) <= 160
    assert notes_line(slide, "Reproduce:").startswith("python -m analysis breakdown data/surveys/cncf/")


def test_each_slide_has_title_question_and_a_footer_with_source_base_n_and_date(slides: dict) -> None:
    for name, slide in slides.items():
        texts = texts_of(slide)
        assert len(texts) == 3, name
        title, subtitle, footer = texts
        assert len(title) <= 80 and "\n" not in title, name
        for word in ("Source:", "Base:", "Data"):
            assert word in footer, (name, footer)
        # A footer naming five waves is wrapped where its parts meet: n then starts a line.
        assert " · n = " in footer or "\nn = " in footer, (name, footer)
    assert texts_of(slides["shares"])[:2] == [
        "Containers in production",
        "Q15: Please indicate if your company/organization currently uses, or has future plans to use, containers "
        "for any of the below options. (grid row: Production)",
    ]


def test_text_boxes_and_chart_lie_inside_the_slide_without_overlapping(deck_file: Path) -> None:
    deck = open_deck(deck_file)
    for slide in deck.slides:
        shapes = sorted(slide.shapes, key=lambda shape: shape.top)
        for shape in shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
        for upper, lower in zip(shapes, shapes[1:], strict=False):
            assert upper.top + upper.height <= lower.top


def test_a_bad_view_is_one_line_exit_2_and_writes_nothing(tmp_path: Path, seeded_db: str, capsys) -> None:
    output = tmp_path / "talk.pptx"
    for view in ("surveys?survey=nope", "pulls?image=no/such", "shop?x=1", "pulls?chart=pie", "surveys?q=Q999"):
        assert build([VIEWS["shares"], view], output, seeded_db) == 2
        error = capsys.readouterr().err
        assert error.startswith("error: view:") and error.count("\n") == 1, error
        assert not output.exists()


def test_a_view_is_read_from_a_whole_link_or_a_bare_query() -> None:
    link = parse_view("http://localhost:8501/pulls?image=a/b&image=c/d&measure=day&slide=1")
    assert (link.page, link.get_all("image"), link.chart) == ("pulls", ["a/b", "c/d"], "pulls")
    assert parse_view("?survey=x&q=Q1").page == "surveys"
    assert parse_view("?image=x").page == "pulls"
    assert parse_view("").page == "overview"
    assert parse_view(link.query()) == link


def test_overview_slide_is_the_five_biggest_images_on_a_log_scale(slides: dict) -> None:
    chart = chart_of(slides["overview"])
    lines = [s for s in chart.plots[0].series if s.name != "flagged (see notes)"]
    assert len(lines) == 5
    assert chart.value_axis._element.find(".//{*}logBase") is not None
    firsts = [next(v for v in s.values if v is not None and not math.isnan(v)) for s in lines]
    assert all(value > 0 for value in firsts)
