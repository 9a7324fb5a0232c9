"""Command, deck and chart give the same figures (one function); a hostile recipe passes the existing guards."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from analysis.__main__ import main
from analysis.technology.evidence import technology_evidence
from analysis.technology.recipes import read_recipes
from analysis.views.spec import parse_view
from analysis.views.technology import technology_slide
from dashboard.technology_charts import technology_figure
from exports.deck import build_deck
from exports.tables import CONTROL_CHARACTERS, runs_as_formula
from tests.deck.deck_helpers import line_values
from tests.hostile.hostile_helpers import stray_tags


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def _cli(name: str, db: str) -> dict:
    code, text = _run("technology", name, "--format", "json", "--db", db)
    assert code == 0
    return json.loads(text)


def _charts(path: Path) -> list:
    slide = Presentation(str(path)).slides[0]
    return slide, [shape.chart for shape in slide.shapes if shape.has_chart]


def _day(number: float) -> date:
    """A date axis's category as a day: charts keep them as spreadsheet day numbers (days since 1899-12-30)."""
    return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(number))).date()


def test_command_and_deck_print_the_same_figures(seeded_db: str, tmp_path: Path) -> None:
    printed = _cli("falco", seeded_db)
    output = tmp_path / "talk.pptx"
    assert main(["deck", "technologies?technology=falco", "-o", str(output), "--db", seeded_db]) == 0
    slide, (survey_chart, pulls_chart) = _charts(output)
    shares = [row["share"] for row in printed["survey"]]
    assert list(survey_chart.plots[0].series[0].values) == pytest.approx(shares)
    # Each wave at its fielding date on the same date axis as the pulls ("2019", then "1H 2020").
    waves = [_day(day) for day in survey_chart.plots[0].categories]
    assert [day.year for day in waves] == [row["year"] for row in printed["survey"]] == [2019, 2020]
    weeks = {row["week_of"]: row["pulls"] for row in printed["weeks"]}
    days = [_day(day).isoformat() for day in pulls_chart.plots[0].categories]
    # The partial weeks are drawn by a dashed series of their own that continues the line.
    drawn = dict(zip(days, line_values(pulls_chart, pulls_chart.plots[0].series[0]), strict=True))
    assert {day: value for day, value in drawn.items() if value is not None} == pytest.approx(weeks)
    notes = slide.notes_slide.notes_text_frame.text
    assert f"Quote: {printed['sentence']}" in notes
    assert "Reproduce: python -m analysis technology falco" in notes
    assert "Break (CNCF Cloud Native Survey 1H 2020): 1H 2020 lets a respondent tick both" in notes


def test_the_chart_draws_the_command_s_shares_and_weeks(bundled_surveys: dict, store, seeded_db: str) -> None:
    printed = _cli("falco", seeded_db)
    evidence = technology_evidence(read_recipes()["falco"], bundled_surveys, store)
    figure = technology_figure([evidence], "t", ["f"], slide=False)
    survey, pulls = figure.data[0], next(trace for trace in figure.data if trace.yaxis == "y2")
    assert list(survey.y) == pytest.approx([row["share"] for row in printed["survey"]])
    assert list(pulls.y) == pytest.approx([row["pulls"] for row in printed["weeks"]])
    assert [pd.Timestamp(day).date().isoformat() for day in pulls.x[-2:]] == [row["week_of"] for row in
                                                                              printed["weeks"][-2:]]  # fmt: skip


def test_csv_prints_one_table_and_refuses_all(seeded_db: str) -> None:
    code, text = _run("technology", "kubernetes", "--show", "survey", "--format", "csv", "--db", seeded_db)
    rows = list(csv.DictReader(io.StringIO(text)))
    # 2021 from the published tables (Part 1, Q16), as the shipped Kubernetes mapping names it
    assert code == 0 and [row["year"] for row in rows] == ["2018", "2019", "2020", "2021"]
    assert {"base", "count", "share", "ci_low", "ci_high", "source", "break"} <= set(rows[0])
    assert main(["technology", "kubernetes", "--format", "csv", "--db", seeded_db]) == 2


HOSTILE_LABEL = (
    '=HYPERLINK("https://evil.example","x") <img src=x onerror=alert(1)> [x](https://evil.example)\x1b]0;t\x07'
)


@pytest.fixture
def hostile_recipes(recipes_file) -> Path:
    label = HOSTILE_LABEL.replace('"', '""')
    return recipes_file(
        f'falco,"{label}",survey,CNCF Cloud Native Survey 2019,Q12,Falco,Using in Production,,"<b>bold</b> =1+1",',
        f'falco,"{label}",survey,CNCF Cloud Native Survey 1H 2020,NaN,inf,-inf,,,',
        f'falco,"{label}",images,,,,,falcosecurity/falco,,"=cmd|calc"',
    )


def test_a_hostile_recipe_is_text_in_the_terminal_and_inert_in_csv(hostile_recipes: Path, seeded_db: str) -> None:
    code, text = _run("technology", "falco", "--recipes", str(hostile_recipes), "--db", seeded_db)
    assert code == 0 and not CONTROL_CHARACTERS.search(text.replace("\n", ""))
    assert "Missing: survey wave 'CNCF Cloud Native Survey 1H 2020'" in text  # "NaN" is a question id, not a number
    code, text = _run("technology", "falco", "--recipes", str(hostile_recipes), "--show", "survey", "--format", "csv",
                      "--db", seeded_db)  # fmt: skip
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert code == 0 and not any(runs_as_formula(cell) for cell in cells)
    assert "'<b>bold</b> =1+1" not in cells and "<b>bold</b> =1+1" in cells  # text, kept as written


def test_a_hostile_recipe_is_text_in_the_chart_and_the_deck(
    hostile_recipes: Path, bundled_surveys: dict, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence = technology_evidence(read_recipes(hostile_recipes)["falco"], bundled_surveys, store)
    assert list(evidence.shares["year"]) == [2019] and not evidence.weeks.empty
    figure = json.loads(technology_figure([evidence], evidence.label, [evidence.sentence], slide=False).to_json())
    assert stray_tags(figure) == []
    monkeypatch.setattr("analysis.technology.recipes.RECIPES_FILE", hostile_recipes)
    slide = technology_slide(parse_view("technologies?technology=falco"), bundled_surveys, store)
    deck = Presentation(io.BytesIO(build_deck([slide])))
    texts = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "\x1b" not in texts and "\x07" not in texts
    books = [load_workbook(io.BytesIO(shape.chart.part.chart_workbook.xlsx_part.blob))
             for shape in deck.slides[0].shapes if shape.has_chart]  # fmt: skip
    cells = [cell for book in books for row in book.active.iter_rows() for cell in row if cell.value is not None]
    assert any(str(cell.value).startswith("=HYPERLINK") for cell in cells)  # the label is there, as text
    assert all(cell.data_type != "f" for cell in cells)


def test_a_view_compares_at_most_five_technologies(bundled_surveys: dict, store) -> None:
    names = "&".join(f"technology={name}" for name in ["falco", "helm", "istio", "envoy", "linkerd", "docker"])
    with pytest.raises(ValueError, match="at most 5"):
        technology_slide(parse_view(f"technologies?{names}"), bundled_surveys, store)
    slide = technology_slide(parse_view("technologies?technology=falco&technology=kubernetes"), bundled_surveys, store)
    assert [series.name for series in slide.series] == ["Falco", "Kubernetes"]
    # The waves at their fielding dates (2018, 2019, 1H 2020, 2021 Part 1), in time order
    assert [day.year for day in slide.categories] == [2018, 2019, 2020, 2021]
    assert slide.categories == sorted(slide.categories) and slide.date_span == slide.panel.date_span
    assert [series.name for series in slide.panel.series] == ["Falco images", "Kubernetes: no pull history"]
    assert pd.isna(slide.series[0].values[0]) or slide.series[0].values[0] is None  # Falco not asked in 2018


def test_a_view_no_wave_answers_still_makes_a_slide_that_says_why(
    recipes_file, bundled_surveys: dict, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = recipes_file(
        "falco,Falco,survey,CNCF Cloud Native Survey 2031,Q1,Falco,Using,,,",
        "falco,Falco,images,,,,,falcosecurity/falco,,",
        "ghost,Ghost,survey,CNCF Cloud Native Survey 2031,Q1,Ghost,Using,,,",
    )
    monkeypatch.setattr("analysis.technology.recipes.RECIPES_FILE", path)
    pulls_only = technology_slide(parse_view("technologies?technology=falco"), bundled_surveys, store)
    assert pulls_only.kind == "dates" and pulls_only.panel is None and pulls_only.series[0].name == "Falco images"
    assert pulls_only.subtitle.startswith("Pulls per week") and "no survey wave answers" in pulls_only.subtitle
    nothing = technology_slide(parse_view("technologies?technology=ghost"), bundled_surveys, store)
    assert nothing.kind == "number" and nothing.sentence.startswith("No loaded survey answers how many")
    deck = Presentation(io.BytesIO(build_deck([pulls_only, nothing])))
    assert len(deck.slides) == 2
