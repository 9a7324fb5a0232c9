"""One model for every survey, whatever layout its export came in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import pandas as pd


class QuestionType(StrEnum):
    """How a question is asked, which decides how its answers are counted."""

    SINGLE = "single"  # one answer per respondent
    MULTIPLE = "multiple"  # any number of answers per respondent
    GRID_SINGLE = "grid_single"  # one answer per respondent and grid row (item)
    GRID_MULTIPLE = "grid_multiple"  # any number of answers per respondent and item
    NUMERIC = "numeric"
    TEXT = "text"  # free text


GRID_TYPES = (QuestionType.GRID_SINGLE, QuestionType.GRID_MULTIPLE)


@dataclass(frozen=True)
class Question:
    """A question: its id (unique in the survey), text, type, grid rows and answer options in order."""

    id: str
    text: str
    type: QuestionType
    items: tuple[str, ...] = ()
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyMeta:
    """Where a survey came from and what it covers."""

    source: str  # file name
    sha256: str
    respondents: int
    layout: str  # the export layout that was read, e.g. "surveymonkey"
    wave: str  # survey name and year or date, e.g. "CNCF Cloud Native Survey 2019"
    year: int | None = None
    fielded_from: date | None = None
    fielded_to: date | None = None


@dataclass
class Survey:
    """Questions, responses and metadata of one survey file.

    `responses` is a long frame with one row per respondent, question, item and answer:
    `respondent` (int, 0..respondents-1), `question` (a Question id), `item` ("" outside grids)
    and `answer` (text as the respondent chose or wrote it). A question a respondent left blank
    has no row; a chosen "N/A" or "Don't know" is a row like any other answer.
    `question`, `item` and `answer` are pandas categoricals (cheap at 100,000 respondents): count
    with `observed=True`, or use `answers()`, which returns plain text.
    `report` lists every repair and warning made while loading, one sentence each.
    `write_ins` keeps free text typed under "Other (please specify)" or in a comment box:
    `respondent`, `question`, `text` (the answer row itself says "Other (please specify)").
    """

    questions: list[Question]
    responses: pd.DataFrame
    meta: SurveyMeta
    report: list[str] = field(default_factory=list)
    write_ins: pd.DataFrame | None = None

    def question(self, question_id: str) -> Question:
        """Return the question with id `question_id`."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def answers(self, question_id: str) -> pd.DataFrame:
        """Return the rows of `responses` for one question: respondent, item, answer."""
        rows = self.responses[self.responses["question"] == question_id]
        return pd.DataFrame(
            {
                "respondent": rows["respondent"].to_numpy(),
                "item": rows["item"].astype(str).to_numpy(),
                "answer": rows["answer"].astype(str).to_numpy(),
            }
        )
