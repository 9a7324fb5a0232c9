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
from tests.hostile.hostile_helpers import as_shown

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
    # 2022's one card is containers ("most or all applications", through the mapping); Kubernetes is left off.
    assert [metric.value for metric in app.metric if metric.label == "2022"] == ["44%"]
    left_off = [
        as_shown(caption.value) for caption in app.caption if as_shown(caption.value).startswith("Left off: 2022")
    ]
    assert len(left_off) == 1 and "codes without labels" in left_off[0] and "not comparable" in left_off[0]


def test_each_overview_card_and_trend_command_prints_the_number_shown(app: AppTest, run) -> None:
    app.run()
    cards = [metric for metric in app.metric if metric.label.isdigit() and len(metric.label) == 4]
    commands = _commands(app, "answer")
    assert len(commands) == len(cards) == 9  # containers 2018-2022, Kubernetes 2018-2021
    for card, command in zip(cards, commands, strict=True):
        assert run(command).startswith(f"{card.value} (95% CI"), command
    trends = _commands(app, "trend")
    assert len(trends) == 2
    for command, topic_cards in zip(trends, (cards[:5], cards[5:]), strict=True):
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
    table = next(frame.value for frame in at.table if "p-value" in frame.value.columns)
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
    at = _surveys(app)  # opens on 1H 2020, the newest wave with respondents' answers: containers in production
    assert at.selectbox(key="survey_key").value == "Cloud_Native_Survey_1H_2020"
    assert at.selectbox(key="survey_question").value == "Q16"
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_2021-Part_1").run()
    assert at.selectbox(key="survey_question").value == "Q13"  # published tables; the wording mapping names it
    at.selectbox(key="survey_key").set_value("Cloud_Native_Survey_1H_2020").run()
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
    assert at.text_input(key="survey_search").value == "" and not at.checkbox(key="survey_search_here").value
    assert "search" not in at.query_params and "search_here" not in at.query_params


SWITCHES = [
    # (from survey, question, to survey, its wave, the search, its closest question), as the bundled data gives them.
    # 2019's container challenges: the GitOps microsurvey asks about the challenges of adopting GitOps (Q5).
    ("Cloud_Native_Survey_2019", "Q22", "CNCF_GitOps_Microsurvey", "CNCF GitOps Microsurvey", "challenges", "Q5"),
]


def _switch(app: AppTest, old: str, question: str, new: str) -> AppTest:
    at = _surveys(app)
    if at.selectbox(key="survey_key").value != old:
        at.selectbox(key="survey_key").set_value(old).run()
    at.selectbox(key="survey_question").set_value(question).run()
    at.selectbox(key="survey_key").set_value(new).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("old", "question", "new", "wave", "searched", "closest"), SWITCHES)
def test_switching_to_a_survey_without_the_question_searches_for_it_there(
    app: AppTest, old: str, question: str, new: str, wave: str, searched: str, closest: str
) -> None:
    at = _switch(app, old, question, new)
    assert at.text_input(key="survey_search").value == searched
    assert at.checkbox(key="survey_search_here").value
    matches = at.selectbox(key="survey_match").options
    assert matches and all(match.startswith(f"{new} · ") for match in matches)
    assert matches[0].startswith(f"{new} · {closest}:")
    notes = [info.value for info in at.info if "does not ask" in info.value]
    assert len(notes) == 1 and notes[0].startswith(f"{wave} does not ask “")
    assert "closest questions" in notes[0] and f"the closest, {closest}" in notes[0] and "\n" not in notes[0]
    assert at.selectbox(key="survey_question").value == closest
    assert at.query_params["search"] == searched and at.query_params["search_here"] == "1"


def test_the_link_after_a_switch_to_the_search_opens_the_same_view(app: AppTest, charts_of) -> None:
    at = _switch(app, *SWITCHES[0][:3])
    shown = _view(at, charts_of)
    link = {param: at.query_params[param] for param in at.query_params}
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    again.query_params.update(link)
    again = _surveys(again)
    assert _view(again, charts_of) == shown
    assert {param: again.query_params[param] for param in again.query_params} == link


def _view(at: AppTest, charts_of) -> dict:
    return {
        "survey": at.selectbox(key="survey_key").value,
        "question": at.selectbox(key="survey_question").value,
        "search": at.text_input(key="survey_search").value,
        "only here": at.checkbox(key="survey_search_here").value,
        "matches": at.selectbox(key="survey_match").options,
        "charts": [chart["layout"]["title"]["text"] for chart in charts_of(at)],
    }


def test_switching_to_a_survey_that_holds_no_key_word_of_the_question_says_so(app: AppTest) -> None:
    at = _switch(app, "Cloud_Native_Survey_1H_2020", "Q3", "2022_CNCF_Survey_-_Raw_Data")  # company size
    assert at.text_input(key="survey_search").value == "size"
    assert any("0 questions" in caption.value for caption in at.caption)
    (note,) = [info.value for info in at.info if "does not ask" in info.value]
    assert "none of its questions holds a key word" in note
    question = at.selectbox(key="survey_question")
    assert question.options[0].startswith(f"{question.value}:") and f"default question, {question.value}" in note


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


def test_switching_to_2022_follows_the_containers_mapping_without_a_search(app: AppTest) -> None:
    # 1H 2020's containers in production (Q16, grid row Production): the mapping names 2022's "How are
    # containers used…?" (Q13) as the same question, with its break; no search is needed.
    at = _switch(app, "Cloud_Native_Survey_1H_2020", "Q16", "2022_CNCF_Survey_-_Raw_Data")
    assert at.selectbox(key="survey_question").value == "Q13"
    assert not [info.value for info in at.info if "does not ask" in info.value]
    assert at.text_input(key="survey_search").value == ""
