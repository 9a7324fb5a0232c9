"""One survey share figure, one function: the Surveys page, the commands and the deck all show `share_view`'s."""

from __future__ import annotations

import io
import json
import shlex
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.__main__ import main
from analysis.surveys.mappings import read_mappings
from analysis.views.share import ShareView, share_view
from analysis.views.spec import parse_view
from analysis.views.surveys import survey_slide
from collectors.surveys import load_survey
from dashboard import charts

ROOT = Path(__file__).resolve().parents[2]
SURVEYS = "app_pages/surveys.py"
KEY = "Cloud_Native_Survey_2019"
FILE = f"data/surveys/cncf/{KEY}.csv"
QUESTION, ITEM, ANSWER = "Q15", "Production", "Currently Using"


@pytest.fixture(scope="module")
def view() -> ShareView:
    """The figure as analysis makes it, for the bundled 2019 survey's containers in production."""
    survey = load_survey(ROOT / FILE)
    return share_view(survey, QUESTION, ITEM, "answered", mappings=read_mappings())


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Run `python -m analysis ARGS` in this process, from the project root; return what it prints."""
    monkeypatch.chdir(ROOT)

    def run_command(command: str) -> str:
        capsys.readouterr()
        assert main(shlex.split(command)) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    return run_command


def test_the_view_holds_the_figure_words(view: ShareView) -> None:
    assert view.title == "Containers in production"  # the wording mapping's name
    assert view.subtitle.startswith("Q15: Please indicate if your company") and view.subtitle.endswith(
        "(grid row: Production)"
    )
    base = "Base: 1,300 respondents who answered (of 1,337 in the file)"
    assert view.base_note == f"{base}; whiskers: 95% Wilson interval"
    assert view.footer == f"Source: {view.source} · {view.base_note} · n = 1,300 · Data: fielded 2019"
    assert view.table["count"].tolist() == [1091, 30, 179]


def test_the_commands_print_the_views_table_heading_and_quote(view: ShareView, run) -> None:
    where = f"{FILE} --question {QUESTION} --item {ITEM}"
    printed = pd.read_csv(io.StringIO(run(f"breakdown {where} --format csv")), keep_default_na=False)
    assert printed["answer"].tolist() == view.table["answer"].tolist()
    assert printed["share"].tolist() == pytest.approx(view.table["share"].tolist(), abs=1e-12)
    assert run(f"breakdown {where}").splitlines()[0] == view.heading
    assert run(f'answer {where} --answer "{ANSWER}"').strip() == view.quote(ANSWER)


def test_the_deck_slide_is_the_views_figure(view: ShareView) -> None:
    survey = load_survey(ROOT / FILE)
    spec = parse_view(f"surveys?survey={KEY}&q={QUESTION}&item={ITEM}&answer={ANSWER}")
    slide = survey_slide(spec, {KEY: survey}, {KEY: ROOT / FILE}, read_mappings())
    assert (slide.title, slide.subtitle, slide.footer) == (view.title, view.subtitle, view.footer)
    assert slide.categories == view.table["answer"].tolist()
    assert slide.series[0].values == view.table["share"].tolist()
    assert (slide.sentence, slide.short) == (view.quote(ANSWER), view.short_quote(ANSWER))


def test_the_surveys_page_draws_the_views_figure(app: AppTest, view: ShareView, charts_of) -> None:
    app.run()
    app.switch_page(SURVEYS).run()
    app.selectbox(key="survey_key").set_value(KEY).run()
    app.selectbox(key="survey_question").set_value(QUESTION).run()
    app.selectbox(key="survey_item").set_value(ITEM).run()
    assert not app.exception, [e.value for e in app.exception]
    shown = charts_of(app)[0]
    expected = json.loads(
        charts.share_bars(
            view.table, view.title, charts.footer_text(view.source, view.as_of), [view.subtitle, view.base_note]
        ).to_json()
    )
    assert shown["layout"]["title"]["text"] == expected["layout"]["title"]["text"]
    assert shown["layout"]["annotations"][0]["text"] == expected["layout"]["annotations"][0]["text"]
    assert list(shown["data"][0]["x"]) == pytest.approx(view.table["share"].iloc[::-1].tolist(), abs=1e-12)
    assert view.quote(app.selectbox(key="survey_answer").value) in [code.value for code in app.code]
