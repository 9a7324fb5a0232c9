"""One model for every survey, whatever layout its export came in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import numpy as np
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
    """A question: its id (unique in the survey), text, type, grid rows, answer options and warnings about its data."""

    id: str
    text: str
    type: QuestionType
    items: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    # What the reader saw wrong with this question's columns (e.g. headers shifted against their data):
    # every table, page and quote of the question carries it.
    warnings: tuple[str, ...] = ()


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
        rows = self.responses.iloc[self._rows_of(question_id)]
        return pd.DataFrame(
            {
                "respondent": rows["respondent"].to_numpy(),
                "item": _as_text(rows["item"]),
                "answer": _as_text(rows["answer"]),
            }
        )

    def question_rows(self, question_id: str) -> pd.DataFrame:
        """Return one question's rows of `responses` as stored (categorical columns; the fast path)."""
        return self.responses.iloc[self._rows_of(question_id)][["respondent", "item", "answer"]]

    def _rows_of(self, question_id: str) -> slice | np.ndarray:
        """Positions of one question's rows: a slice when responses are grouped by question (as loaded)."""
        column = self.responses["question"]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            return np.flatnonzero((column == question_id).to_numpy())
        key = id(self.responses)
        if getattr(self, "_grouped_key", None) != key:
            codes = column.cat.codes.to_numpy()
            grouped = bool(len(codes) == 0 or (np.diff(codes) >= 0).all())
            self._grouped = (codes, grouped)
            self._grouped_key = key
        codes, grouped = self._grouped
        if question_id not in column.cat.categories:
            return slice(0, 0)
        code = column.cat.categories.get_loc(question_id)
        if grouped:
            code = codes.dtype.type(code)  # same dtype, or numpy converts the whole array first
            return slice(int(np.searchsorted(codes, code, "left")), int(np.searchsorted(codes, code, "right")))
        return np.flatnonzero(codes == code)


def _as_text(column: pd.Series) -> pd.Series:
    """Plain text of a (possibly categorical) column, without converting unused categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        used = np.flatnonzero(np.bincount(codes, minlength=len(column.cat.categories)))
        position = np.zeros(len(column.cat.categories), dtype=np.int64)
        position[used] = np.arange(len(used))
        texts = np.asarray(column.cat.categories.take(used), dtype=object)
        return pd.Series(texts[position[codes]], dtype="str")
    return pd.Series(column.to_numpy(), dtype="str")
