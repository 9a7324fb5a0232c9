"""The Overview and Surveys pages as a person meets them, on the bundled surveys: no 0% from nothing,
the question followed across a survey switch, and each figure's command printing the figure shown."""

from __future__ import annotations

import io
import shlex
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
SURVEYS = "app_pages/surveys.py"
PROGRAM = "python -m analysis"


@pytest.fixture
def run(monkeypatch, capsys):
    """Run a shown command line in this process, from the project root; return what it prints."""
    monkeypatch.chdir(ROOT)

    def run_command(command: str) -> str:
        capsys.readouterr()
        assert main(shlex.split(command)[3:]) == 0, capsys.readouterr().err
        return capsys.readouterr().out

    return run_command


def _commands(at: AppTest, name: str) -> list[str]:
    return [code.value for code in at.code if code.value.startswith(f"{PROGRAM} {name} ")]


def _surveys(app: AppTest) -> AppTest:
    app.run()
    app.switch_page(SURVEYS).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_overview_shows_no_share_from_nothing_and_says_why_2022_is_left_off(app: AppTest) -> None:
    app.run()
    assert not app.exception
    values = [metric.value for metric in app.metric if metric.label.isdigit() and len(metric.label) == 4]
    assert values and "0%" not in values
    assert "2022" not in [metric.label for metric in app.metric]
    left_off = [caption.value for caption in app.caption if caption.value.startswith("Left off: 2022")]
    assert len(left_off) == 1 and "codes without labels" in left_off[0] and "not comparable" in left_off[0]


def test_each_overview_card_and_trend_command_prints_the_number_shown(app: AppTest, run) -> None:
    app.run()
    cards = [metric for metric in app.metric if metric.label.isdigit() and len(metric.label) == 4]
    commands = _commands(app, "answer")
    assert len(commands) == len(cards) == 6
    for card, command in zip(cards, commands, strict=True):
        assert run(command).startswith(f"{card.value} (95% CI"), command
    trends = _commands(app, "trend")
    assert len(trends) == 2
    for command, topic_cards in zip(trends, (cards[:3], cards[3:]), strict=True):
        printed = pd.read_csv(io.StringIO(run(command)))
        assert [f"{share:.0%}" for share in printed["share"]] == [card.value for card in topic_cards]


def test_surveys_page_commands_print_the_chart_table_and_sentence_shown(app: AppTest, run, charts_of) -> None:
    at = _surveys(app)
    (breakdown,) = _commands(at, "breakdown")
    printed = pd.read_csv(io.StringIO(run(breakdown)))
    bars = charts_of(at)[0]["data"][0]
    assert sorted(printed["share"].round(6)) == sorted(pd.Series(bars["x"]).round(6))
    (answer,) = _commands(at, "answer")
    sentence = next(code.value for code in at.code if not code.value.startswith(PROGRAM))
    assert run(answer).strip() == sentence
    (trend,) = _commands(at, "trend")
    table = next(frame.value for frame in at.dataframe if "p-value" in frame.value.columns)
    assert [f"{share:.0%}" for share in pd.read_csv(io.StringIO(run(trend)))["share"]] == table["share"].tolist()


def test_crosstab_command_prints_the_segments_in_size_order(app: AppTest, run) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q1").run()
    at.selectbox(key="survey_by").set_value("Q2").run()
    command = next(command for command in _commands(at, "breakdown") if "--by Q2" in command)
    printed = pd.read_csv(io.StringIO(run(command)))
    segments = list(dict.fromkeys(printed["segment"]))
    assert segments == ["Total", "<10", "10-49", "50-99", "100-499", "500-999", "1000-4999", ">5000"]


def test_switching_survey_keeps_a_question_the_new_survey_asks(app: AppTest) -> None:
    at = _surveys(app)  # opens on 1H 2020, containers in production (Q16)
    assert at.selectbox(key="survey_question").value == "Q16"
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    assert not at.exception
    # 2019's Q16 is "How many containers…": the wording mapping names Q15 as the same question.
    assert at.selectbox(key="survey_question").value == "Q15"
    assert at.selectbox(key="survey_item").value == "Production"
    assert at.query_params["q"] == "Q15"
    at.selectbox(key="survey_question").set_value("Q1").run()
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2018").run()
    assert at.selectbox(key="survey_question").value == "Q1"  # "What is your geographic location?" in both
    assert not at.info


def test_switching_to_a_survey_without_the_question_says_so_and_opens_its_default(app: AppTest) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q22").run()  # container challenges
    at.selectbox(key="survey_key").set_value("CNCF_GitOps_Microsurvey").run()
    assert not at.exception
    notice = [info.value for info in at.info if "is not asked in CNCF_GitOps_Microsurvey" in info.value]
    assert len(notice) == 1 and "Q22 of Cloud_Native_Survey_2019" in notice[0]
    question = at.selectbox(key="survey_question")
    assert question.options[0].startswith(f"{question.value}:") and f"default question, {question.value}." in notice[0]


def test_the_2022_grid_of_codes_is_shown_as_codes_and_not_quoted(app: AppTest, charts_of) -> None:
    at = _surveys(app)
    at.selectbox(key="survey_key").set_value("2022_CNCF_Survey_-_Raw_Data").run()
    at.selectbox(key="survey_question").set_value("Q23").run()
    at.selectbox(key="survey_item").set_value("Kubernetes").run()
    assert not at.exception
    assert "code 1 (no label)" in charts_of(at)[0]["data"][0]["y"]
    assert not _commands(at, "answer")
    assert any("Nothing to quote" in info.value and "code without a label" in info.value for info in at.info)
    assert not any("chose" in code.value for code in at.code)


def _figure_notes(at: AppTest, charts_of) -> str:
    return " ".join(note["text"] for note in charts_of(at)[0]["layout"]["annotations"])


def test_several_answers_note_follows_the_question(app: AppTest, charts_of) -> None:
    at = _surveys(app)  # 1H 2020 Q16 Production: one answer per respondent
    assert "several answers allowed" not in _figure_notes(at, charts_of)
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2019").run()
    at.selectbox(key="survey_question").set_value("Q22").run()
    assert "several answers allowed" in _figure_notes(at, charts_of).replace("<br>", " ")
    # The base note is said once: in the figure (and so in its PNG and SVG), not again under it.
    assert not any("Base:" in caption.value for caption in at.caption)
