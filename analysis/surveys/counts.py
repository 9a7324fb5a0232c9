"""Shares from published counts (survey_model.counts): breakdowns, the segment tables published, and refusals.

A table of counts gives each answer's share of the table's base and its Wilson interval, and the same
per segment it was published for (region). Whatever needs to know who answered what (a crosstab by
another question, weights, a filter, a base without an answer of a multiple-choice question) is
refused in one line that says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput, NotComparable
from analysis.surveys.interval import fold_answer, wilson_interval
from analysis.surveys.order import arrange
from survey_model.counts import TOTAL, CountsSurvey, is_counts
from survey_model.survey import GRID_TYPES, QuestionType

__all__ = ["counts_breakdown", "counts_crosstab", "counts_summary", "is_counts", "refuse_counts"]

SHARE_COLUMNS = ["answer", "count", "base", "share", "ci_low", "ci_high"]
MULTIPLE = (QuestionType.MULTIPLE, QuestionType.GRID_MULTIPLE)


def refuse_counts(survey: object, what: str) -> None:
    """Raise NotComparable when `survey` holds published counts: `what` needs each respondent's answers."""
    if is_counts(survey):
        raise NotComparable(
            f"{survey.meta.source}: published tables hold counts, not respondents; {what} needs each "
            "respondent's answers"
        )


def _check_question(survey: CountsSurvey, question_id: str) -> None:
    question = survey.question(question_id)
    if question.type == QuestionType.TEXT:
        raise InvalidInput(
            f"{survey.meta.source}: question {question_id} is free text; the tables hold its write-ins, not counts"
        )


def _excluded_counts(survey: CountsSurvey, question_id: str, table: pd.DataFrame, exclude: Iterable[str]) -> pd.Series:
    """Which rows of `table` are excluded answers; refused where the base cannot lose them (several answers)."""
    folded = {fold_answer(answer) for answer in exclude}
    dropped = table["answer"].map(fold_answer).isin(folded)
    if dropped.any() and survey.question(question_id).type in MULTIPLE:
        refuse_counts(
            survey, f"excluding {table['answer'][dropped].iloc[0]!r} from the base of a multiple-choice question"
        )
    return dropped


def _block(
    survey: CountsSurvey,
    question_id: str,
    item: str | None,
    segment: str,
    base: str,
    exclude: Sequence[str],
    order: Sequence[str] | None,
) -> pd.DataFrame:
    table = survey.table(question_id, item, segment)
    dropped = _excluded_counts(survey, question_id, table, exclude)
    if base == "answered":
        base_n = survey.base(question_id, item, segment) - int(table.loc[dropped, "count"].sum())
    elif segment == TOTAL:
        base_n = survey.meta.respondents
    else:
        # Everyone in a segment is its count in the segment question's own table.
        base_n = int(survey.table(survey.segment_question, None, TOTAL).set_index("answer")["count"].get(segment, 0))
    table = table[~dropped.to_numpy()].reset_index(drop=True)
    places = arrange(list(table["answer"]), order)
    table = table.iloc[places].reset_index(drop=True)
    count = table["count"].to_numpy(dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(base_n > 0, count / max(base_n, 1), np.nan)
    low, high = wilson_interval(share, np.full(len(count), base_n))
    return pd.DataFrame(
        {
            "answer": pd.Series(table["answer"].tolist(), dtype=object),
            "count": count,
            "base": np.full(len(count), base_n, dtype="int64"),
            "share": share,
            "ci_low": low,
            "ci_high": high,
        }
    )


def counts_breakdown(
    survey: CountsSurvey,
    question_id: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: object = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The share of each answer from the published counts; a grid without `item` gives one block per grid row."""
    if weight is not None:
        refuse_counts(survey, "weighting")
    _check_question(survey, question_id)
    question = survey.question(question_id)
    exclude = list(exclude)
    is_grid = question.type in GRID_TYPES
    rows = [item] if item is not None or not is_grid else list(question.items)
    blocks = []
    for row in rows:
        block = _block(survey, question_id, row, TOTAL, base, exclude, order)
        blocks.append(block.assign(item=row) if is_grid else block)
    result = pd.concat(blocks, ignore_index=True)
    return result[["item", *SHARE_COLUMNS]] if is_grid else result


def counts_crosstab(
    survey: CountsSurvey,
    question_id: str,
    segment_id: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    small_base: int = 30,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The question's shares within each segment the tables were published for (the region question only)."""
    if segment_id != survey.segment_question:
        refuse_counts(
            survey,
            f"a crosstab by {segment_id} (the tables are published by {survey.segment_question or 'no question'} only)",
        )
    _check_question(survey, question_id)
    question = survey.question(question_id)
    if question.items and item is None:
        raise InvalidInput(f"question {question_id} is a grid; name one of its rows with --item to cross it")
    blocks = []
    for segment in survey.segments():
        block = _block(survey, question_id, item, segment, base, list(exclude), order)
        blocks.append(block.assign(segment=segment, small_base=block["base"] < small_base))
    result = pd.concat(blocks, ignore_index=True)
    leading = ["segment", "answer"]
    return result[leading + [column for column in result.columns if column not in leading]]


def counts_summary(survey: CountsSurvey) -> pd.DataFrame:
    """One row per question: id, type, text, grid rows, options, how many answered (the tables' own), warnings."""
    return pd.DataFrame(
        {
            "id": [question.id for question in survey.questions],
            "type": [str(question.type) for question in survey.questions],
            "text": [" ".join(question.text.replace("\xa0", " ").split()) for question in survey.questions],
            "items": ["; ".join(question.items) for question in survey.questions],
            "options": [len(question.options) for question in survey.questions],
            "answered": [
                survey.answered_skipped(question.id, question.items[0] if question.items else None)[0]
                for question in survey.questions
            ],
            "warnings": ["; ".join(question.warnings) for question in survey.questions],
        }
    )
