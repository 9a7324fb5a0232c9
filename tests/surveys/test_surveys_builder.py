"""The responses frame the builder makes: the right rows, in pandas' own code types, from any mix of parts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from collectors.surveys.builder import ResponseBuilder, code_dtype
from survey_model.survey import Question, QuestionType


def _builder() -> ResponseBuilder:
    builder = ResponseBuilder(respondents=3)
    first = builder.add_question(Question("Q1", "Pick one", QuestionType.SINGLE, (), ("Yes", "No")))
    grid = builder.add_question(Question("Q2", "Rate", QuestionType.GRID_SINGLE, ("Speed", "Cost"), ("Good", "Bad")))
    yes, no, good, bad = (builder.answer_code(text) for text in ("Yes", "No", "Good", "Bad"))
    speed, cost = builder.item_code("Speed"), builder.item_code("Cost")
    builder.add_codes(np.array([0, 2]), first, 0, np.array([yes, no], dtype=np.int32))
    builder.add_codes(np.array([1, 1, 2]), grid, np.array([speed, cost, cost]), np.array([good, bad, good]))
    builder.add_codes(np.array([0]), grid, speed, np.array([bad], dtype=np.int32))
    return builder


def test_rows_from_one_code_parts_and_per_row_parts():
    frame = _builder().responses()
    rows = list(zip(frame["respondent"], frame["question"], frame["item"], frame["answer"], strict=True))
    assert rows == [
        (0, "Q1", "", "Yes"),
        (2, "Q1", "", "No"),
        (1, "Q2", "Speed", "Good"),
        (1, "Q2", "Cost", "Bad"),
        (2, "Q2", "Cost", "Good"),
        (0, "Q2", "Speed", "Bad"),
    ]
    assert frame["respondent"].dtype == np.int32


def test_codes_are_already_in_the_type_pandas_would_choose():
    frame = _builder().responses()
    for column in ("question", "item", "answer"):
        codes = frame[column].cat.codes
        rebuilt = pd.Categorical.from_codes(codes.to_numpy().astype(np.int64), frame[column].cat.categories)
        assert codes.dtype == rebuilt.codes.dtype == np.int8


@pytest.mark.parametrize(
    ("categories", "dtype"), [(0, np.int8), (126, np.int8), (127, np.int16), (32_766, np.int16), (32_767, np.int32)]
)
def test_code_dtype_follows_pandas(categories, dtype):
    assert code_dtype(categories) is dtype
    made = pd.Categorical.from_codes(
        np.zeros(1 if categories else 0, dtype=np.int64), [str(n) for n in range(categories)]
    )
    assert made.codes.dtype == dtype


def test_an_empty_builder_makes_an_empty_frame():
    frame = ResponseBuilder(respondents=0).responses()
    assert list(frame.columns) == ["respondent", "question", "item", "answer"]
    assert len(frame) == 0
