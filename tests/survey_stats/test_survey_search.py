"""Question search: every word in any order, case and punctuation ignored, text, grid rows and answers, ranked."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.surveys.search import closest_search, key_words, search_questions, words
from survey_model.survey import Question, QuestionType, Survey, SurveyMeta

ROOT = Path(__file__).resolve().parents[2]
CNCF_YEARS = ["Cloud_Native_Survey_2018", "Cloud_Native_Survey_2019", "Cloud_Native_Survey_1H_2020"]


def _survey(*questions: Question) -> Survey:
    import pandas as pd

    meta = SurveyMeta(source="demo.csv", sha256="0" * 64, respondents=0, layout="simple", wave="Demo 2020")
    return Survey(meta=meta, questions=list(questions), responses=pd.DataFrame(columns=["respondent", "question"]))


USAGE = Question(
    "Q10",
    "Please indicate if your company is evaluating, or currently using in production, the following:",
    QuestionType.GRID_SINGLE,
    items=("Kubernetes", "Prometheus"),
    options=("Evaluating", "Using in production"),
)
OTHER = Question("Q17", "How many tools not associated with Kubernetes do you use in production?", QuestionType.SINGLE)
PROJECTS = Question(
    "Q11",
    "Which of these projects does your company use?",
    QuestionType.GRID_SINGLE,
    items=("Kubernetes",),
    options=("Using in production", "Not using"),
)
UNRELATED = Question("Q2", "What is the size of your company?", QuestionType.SINGLE, options=("1-50", "5000+"))


def test_words_ignore_case_accents_and_punctuation() -> None:
    assert words("Kubernetes, in PRODUCTION! (café)") == ["kubernetes", "in", "production", "cafe"]


@pytest.mark.parametrize("query", ["kubernetes in production", "production kubernetes", "KUBERNETES; in-production?"])
def test_every_word_in_any_order_finds_the_grid_question(query: str) -> None:
    found = search_questions({"s": _survey(UNRELATED, OTHER, USAGE)}, query)
    assert found["question"].tolist()[0] == "Q10"
    assert found["grid_row"].tolist()[0] == "Kubernetes"
    assert "Q2" not in found["question"].tolist()


def test_a_word_missing_everywhere_finds_nothing() -> None:
    assert search_questions({"s": _survey(USAGE, OTHER)}, "kubernetes in staging").empty


def test_a_question_about_the_row_ranks_above_one_that_only_mentions_the_words() -> None:
    found = search_questions({"s": _survey(OTHER, PROJECTS, USAGE)}, "kubernetes in production")
    assert found["question"].tolist() == ["Q10", "Q11", "Q17"]
    assert found["matched_in"].tolist()[1] == "grid row and answer: Kubernetes"
    assert found["score"].is_monotonic_decreasing


def test_answers_are_searched() -> None:
    found = search_questions({"s": _survey(UNRELATED)}, "5000")
    assert found[["question", "matched_in"]].values.tolist() == [["Q2", "answer: 5000+"]]


def test_kubernetes_in_production_finds_each_cncf_year_first() -> None:
    from collectors.surveys import load_survey
    from collectors.surveys.bundled import embedded_surveys

    # The respondent-level exports; the 2021 published tables are searched in test_survey_counts.py.
    surveys = {
        path.stem: load_survey(path)
        for path in embedded_surveys()
        if "Cloud_Native_Survey" in path.name and path.suffix == ".csv"
    }
    surveys.update({p.stem: load_survey(p) for p in embedded_surveys() if p.name.startswith("2022_CNCF")})

    found = search_questions(surveys, "Kubernetes in production")

    top = found.head(4)
    assert sorted(top["survey"]) == sorted([*CNCF_YEARS, "2022_CNCF_Survey_-_Raw_Data"])
    assert set(top["grid_row"]) == {"Kubernetes"}
    assert found["survey"].nunique() >= 4


def test_key_words_leave_out_how_a_question_is_put() -> None:
    assert key_words("What are your challenges in using / deploying containers? Please select all that apply.") == [
        "challenges",
        "deploying",
        "containers",
    ]
    assert key_words("How many times do you check in code? 2 or 3 times, e.g. daily") == ["code", "daily"]


def test_closest_search_keeps_the_key_words_one_question_there_holds() -> None:
    asked = Question("Q3", "What industry does your company/organization belong to?", QuestionType.SINGLE)
    reworded = Question("Q8", "What industry does your organization belong to? (select one)", QuestionType.SINGLE)
    other = Question("Q9", "Which cloud does your organization belong to?", QuestionType.SINGLE)
    text = closest_search(asked, None, "new", _survey(UNRELATED, other, reworded))
    assert text == "industry belong"  # "company" is a stop word here, not a word the new survey lacks
    assert search_questions({"new": _survey(UNRELATED, other, reworded)}, text)["question"].tolist() == ["Q8"]


def test_closest_search_puts_the_grid_row_first_and_drops_what_no_question_holds() -> None:
    asked = Question(
        "Q13", "Which storage projects are you evaluating?", QuestionType.GRID_SINGLE, items=("Prometheus",)
    )
    assert closest_search(asked, "Prometheus", "new", _survey(UNRELATED, OTHER, USAGE)) == "prometheus evaluating"


def test_closest_search_is_empty_when_no_question_holds_a_key_word() -> None:
    assert closest_search(UNRELATED, None, "new", _survey(OTHER, USAGE)) == ""


@pytest.mark.parametrize(
    ("query", "question", "answer"),
    [
        ("kubernetes in production", USAGE, "Using in production"),
        ("Kubernetes evaluating", USAGE, "Evaluating"),
        ("using", PROJECTS, "Using in production"),  # "Not using" holds the word too, among more others
        ("kubernetes", USAGE, ""),  # the row alone: no answer named, the page's first answer is shown
    ],
)
def test_the_answer_a_search_names_is_opened(query: str, question: Question, answer: str) -> None:
    found = search_questions({"demo": _survey(question)}, query)
    assert found.loc[0, "answer"] == answer
