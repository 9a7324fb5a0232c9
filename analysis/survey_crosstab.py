"""Shares of a question's answers within each segment of another question (company size, region, job)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.survey_shares import (
    answer_shares,
    base_weights_for,
    fold_answer,
    question_answers,
    respondent_weights,
)
from collectors.surveys.model import Survey
from exports.cli import UserError

SMALL_BASE = 30


def segment_members(survey: Survey, segment_id: str) -> dict[str, pd.Index]:
    """Return each answer of the segment question with the respondents who gave it, in option order."""
    segment = survey.question(segment_id)
    if segment.items:
        raise UserError(f"segment question {segment_id} is a grid; segment by a question that is not a grid")
    rows = survey.answers(segment_id)
    groups = rows.groupby("answer", sort=False, observed=True)["respondent"].unique()
    groups.index = pd.Index([str(answer) for answer in groups.index], dtype=object)
    sizes = groups.map(len).sort_values(ascending=False, kind="stable")
    order = [option for option in segment.options if option in groups.index]
    order += [str(answer) for answer in sizes.index if answer not in set(order)]
    return {answer: pd.Index(groups[answer]) for answer in order}


def crosstab(
    survey: Survey,
    question_id: str,
    segment_id: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: str | None = None,
    small_base: int = SMALL_BASE,
) -> pd.DataFrame:
    """Return one row per segment and answer with the segment's own base; small_base flags bases under 30."""
    question = survey.question(question_id)
    if question.items and item is None:
        raise UserError(f"question {question_id} is a grid; name one of its rows with --item to cross it")
    exclude = list(exclude)
    folded = {fold_answer(answer) for answer in exclude}
    options = [option for option in question.options if fold_answer(option) not in folded]
    weights = respondent_weights(survey, weight) if weight else None
    answers = question_answers(survey, question_id, item, exclude)
    everyone = base_weights_for(survey, answers, base, weights)
    blocks = []
    for segment, members in segment_members(survey, segment_id).items():
        segment_base = everyone[everyone.index.isin(members)]
        block = answer_shares(answers, segment_base, options, weight is not None)
        blocks.append(block.assign(segment=segment, small_base=block["base"] < small_base))
    if not blocks:
        raise UserError(f"{survey.meta.source}: nobody answered the segment question {segment_id}")
    result = pd.concat(blocks, ignore_index=True)
    leading = ["segment", "answer"]
    return result[leading + [column for column in result.columns if column not in leading]]
