"""The Overview's "in production, by year" charts as slides: the page's headline table, years left off said why."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from streamlit.testing.v1 import AppTest

from analysis.surveys import headlines as survey_headlines
from dashboard import deck_panel, widgets
from dashboard.talkpack import slug
from tests.deck.deck_helpers import build, chart_of, notes_line, open_deck, run_reproduce

TOPICS = {
    "Containers in production": "overview?chart=headline-containers",
    "Kubernetes in production": "overview?chart=headline-kubernetes",
}


@pytest.fixture(scope="module")
def headline_slides(tmp_path_factory: pytest.TempPathFactory, seeded_db: str) -> dict:
    """The two headline slides, built by `python -m analysis deck` from their views, by topic."""
    path = tmp_path_factory.mktemp("deck") / "headlines.pptx"
    assert build(list(TOPICS.values()), path, seeded_db) == 0
    return dict(zip(TOPICS, open_deck(path).slides, strict=True))


def _whiskers(series) -> tuple[list[float], list[float]]:
    bars = series._element.find(qn("c:errBars"))
    plus, minus = ([float(v.text) for v in bars.find(qn(tag)).iter(qn("c:v"))] for tag in ("c:plus", "c:minus"))
    values = list(series.values)
    return [v - m for v, m in zip(values, minus, strict=True)], [v + p for v, p in zip(values, plus, strict=True)]


def test_headline_slides_are_the_overview_tables_with_their_intervals(app: AppTest, headline_slides: dict) -> None:
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    exhibits = {exhibit.key: exhibit for exhibit in at.session_state[widgets.EXHIBITS_KEY].values()}
    for topic, slide in headline_slides.items():
        table = exhibits[slug(f"overview-{topic}")].table  # the rows the page charts, from the full bundled data
        plot = chart_of(slide).plots[0]
        (series,) = plot.series
        years = [str(year) for year in table["year"]]
        assert [category.split(" (n=")[0] for category in plot.categories] == years
        assert list(series.values) == pytest.approx(table["share"].tolist(), abs=1e-12)
        low, high = _whiskers(series)
        assert low == pytest.approx(table["ci_low"].tolist(), abs=1e-9)
        assert high == pytest.approx(table["ci_high"].tolist(), abs=1e-9)
        notes = slide.notes_slide.notes_text_frame.text
        for note in exhibits[slug(f"overview-{topic}")].notes:
            assert note in notes  # each year's sentence and the trend command the page shows
        footer = next(
            shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and "n = " in shape.text_frame.text
        )
        for row in table.itertuples():
            assert f"{row.year}: {row.base:,}" in footer and row.wave in footer


def test_the_trend_command_in_the_notes_prints_the_slide_series(headline_slides: dict) -> None:
    for slide in headline_slides.values():
        rows = run_reproduce(notes_line(slide, "Reproduce:"))
        values = list(chart_of(slide).plots[0].series[0].values)
        assert values == pytest.approx([float(row["share"]) for row in rows], abs=1e-12)
    shares = [round(v, 2) for v in chart_of(headline_slides["Containers in production"]).plots[0].series[0].values]
    assert shares == [0.73, 0.84, 0.92, 0.64, 0.44]  # 2021 from the published tables, 2022 "most or all"


def test_a_year_left_off_the_page_is_left_off_the_slide_with_its_reason(headline_slides: dict) -> None:
    slide = headline_slides["Kubernetes in production"]
    plot = chart_of(slide).plots[0]
    assert [category.split(" (n=")[0] for category in plot.categories] == ["2018", "2019", "2020", "2021"]
    assert None not in list(plot.series[0].values)
    reason = notes_line(slide, "Left off: 2022")
    assert "codes without labels" in reason and "not comparable" in reason
    assert "Left off" not in headline_slides["Containers in production"].notes_slide.notes_text_frame.text


def test_add_to_deck_under_an_overview_trend_keeps_its_headline_view(app: AppTest) -> None:
    at = app.run()
    at.button(key="deck-add-overview-kubernetes-in-production").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.session_state[deck_panel.DECK_KEY]) == [TOPICS["Kubernetes in production"]]
    deck = Presentation(io.BytesIO(deck_panel.deck_bytes(list(at.session_state[deck_panel.DECK_KEY]))))
    assert len(deck.slides) == 1 and list(chart_of(deck.slides[0]).plots[0].categories)


def test_every_headline_recipe_has_an_overview_chart(tmp_path: Path, seeded_db: str, capsys) -> None:
    names = [survey_headlines.chart_name(recipe.topic) for recipe in survey_headlines.RECIPES]
    assert [view.split("chart=")[1] for view in TOPICS.values()] == names
    assert build(["overview?chart=headline-nothing"], tmp_path / "x.pptx", seeded_db) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (tmp_path / "x.pptx").exists()


def test_the_breaks_each_headline_crosses_are_in_the_notes_and_the_sentence(headline_slides: dict) -> None:
    kubernetes = headline_slides["Kubernetes in production"].notes_slide.notes_text_frame.text
    assert 'Break before CNCF Cloud Native Survey 2021 Part 1: 2021 asked "Are you using Kubernetes?"' in kubernetes
    assert "Break before CNCF Cloud Native Survey 2019: the 2018 survey was fielded by another method" in kubernetes
    assert "methodology breaks (before" in kubernetes  # the sentence to quote says the series crosses them
    containers = headline_slides["Containers in production"].notes_slide.notes_text_frame.text
    assert "54% of respondents from a paid panel" in notes_line(
        headline_slides["Containers in production"], "Break before CNCF Cloud Native Survey 2022"
    )
    assert containers.count("Break before") == 4
