"""A small survey written out by hand, so every share in the tests can be worked out on paper."""

from __future__ import annotations

from datetime import date

import pandas as pd

from survey_model.survey import Question, QuestionType, Survey, SurveyMeta

# respondent -> answer; respondent 9 left the size question blank.
SIZE = {0: "1-49", 1: "1-49", 2: "1-49", 3: "1-49", 4: "50-999", 5: "50-999", 6: "50-999", 7: "1000+", 8: "Don't know"}
TOOLS = {0: ["Docker", "Podman"], 1: ["Docker"], 2: ["Podman"], 3: ["Docker", "my own runtime"], 4: ["Docker"]}
USAGE = {
    "Development": {0: "Currently Using", 1: "Currently Using", 2: "Currently Using", 3: "Currently Using",
                    4: "Currently Using", 5: "Currently Using", 6: "N/A"},
    "Production": {0: "Currently Using", 1: "Currently Using", 2: "Currently Using", 3: "Future Plans",
                   4: "N/A", 5: "N/A"},
}  # fmt: skip
COUNT = {0: "<50", 1: "<50", 2: "50+"}
WEIGHT = {0: "1", 1: "1", 2: "1", 3: "1", 4: "2", 5: "2", 6: "2", 7: "0.5", 8: "0.5", 9: "1"}

QUESTIONS = [
    Question("Q1", "What is the size of your company?", QuestionType.SINGLE, (),
             ("1-49", "50-999", "1000+", "Don't know")),
    Question("Q2", "Which container tools do you use? Select all.", QuestionType.MULTIPLE, (),
             ("Docker", "Podman", "Other (please specify)")),
    Question("Q3", "How is your company using containers?", QuestionType.GRID_SINGLE, ("Development", "Production"),
             ("Currently Using", "Future Plans", "N/A")),
    Question("Q4", "How many containers does your\xa0company run?", QuestionType.SINGLE, (), ("<50", "50+")),
    Question("weight", "Survey weight", QuestionType.NUMERIC),
]  # fmt: skip


def build_survey(
    rows: list[tuple[int, str, str, str]], respondents: int, questions=None, categorical: bool = False, **meta
) -> Survey:
    """Return a Survey from (respondent, question, item, answer) rows (text columns categorical if asked)."""
    responses = pd.DataFrame(rows, columns=["respondent", "question", "item", "answer"])
    text = "category" if categorical else str
    responses = responses.astype({"respondent": "int64", "question": text, "item": text, "answer": text})
    details = {"wave": "Test Survey 2019", "year": 2019} | meta
    return Survey(
        questions=list(questions or QUESTIONS),
        responses=responses,
        meta=SurveyMeta(source="test.csv", sha256="0" * 64, respondents=respondents, layout="tidy", **details),
    )


def _rows() -> list[tuple[int, str, str, str]]:
    rows = [(who, "Q1", "", answer) for who, answer in SIZE.items()]
    rows += [(who, "Q2", "", answer) for who, answers in TOOLS.items() for answer in answers]
    rows += [(who, "Q3", item, answer) for item, answers in USAGE.items() for who, answer in answers.items()]
    rows += [(who, "Q4", "", answer) for who, answer in COUNT.items()]
    rows += [(who, "weight", "", answer) for who, answer in WEIGHT.items()]
    return rows


def hand_survey(categorical: bool = False) -> Survey:
    """Ten respondents, five questions (single, multiple, grid, single, numeric weight)."""
    return build_survey(
        _rows(), 10, categorical=categorical, fielded_from=date(2019, 9, 2), fielded_to=date(2019, 10, 7)
    )
