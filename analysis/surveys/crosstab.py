"""Shares of a question's answers within each segment of another question (company size, region, job)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.surveys.counts import refuse_counts
from analysis.surveys.nets import Net, check_nets, shares_with_nets
from analysis.surveys.order import ordered
from analysis.surveys.shares import (
    base_weights_for,
    choices_of,
    dense_weights,
    fold_answer,
    question_answers,
    respondent_weights,
)
from analysis.surveys.weights_file import RakedWeights
from survey_model.survey import Survey

SMALL_BASE = 30
# A crosstab is read segment by segment; past a few hundred it is unreadable, and each segment costs a
# pass over the answers (50,000 segments: 98 s).
MAX_SEGMENTS = 200


def segment_members(survey: Survey, segment_id: str) -> dict[str, np.ndarray]:
    """Return each answer of the segment question with the respondents who gave it, in option (or scale) order."""
    segment = survey.question(segment_id)
    if segment.items:
        raise InvalidInput(f"segment question {segment_id} is a grid; segment by a question that is not a grid")
    choices = choices_of(question_answers(survey, segment_id))
    by_code = np.argsort(choices.code, kind="stable")
    bounds = np.searchsorted(choices.code[by_code], np.arange(len(choices.labels) + 1))
    groups = {
        label: choices.respondent[by_code[bounds[code] : bounds[code + 1]]] for code, label in enumerate(choices.labels)
    }
    order = [option for option in segment.options if option in groups]
    listed = set(order)  # built once: a set per label made this quadratic (50,000 segments: 70 s)
    order += sorted((label for label in groups if label not in listed), key=lambda label: -len(groups[label]))
    return {label: groups[label] for label in ordered(order)}


def crosstab(
    survey: Survey,
    question_id: str,
    segment_id: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: str | RakedWeights | None = None,
    small_base: int = SMALL_BASE,
    order: Sequence[str] | None = None,
    *,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """Return one row per segment and answer with the segment's own base; small_base flags bases under 30."""
    refuse_counts(survey, f"a crosstab by another question ({segment_id})")
    question = survey.question(question_id)
    if question.items and item is None:
        raise InvalidInput(f"question {question_id} is a grid; name one of its rows with --item to cross it")
    exclude = list(exclude)
    folded = {fold_answer(answer) for answer in exclude}
    options = [option for option in question.options if fold_answer(option) not in folded]
    weights = respondent_weights(survey, weight) if weight else None
    answers = question_answers(survey, question_id, item, exclude)
    choices = choices_of(answers)
    if nets:
        check_nets(nets, [*options, *choices.labels], f"{survey.meta.source}: question {question_id}")
    everyone = dense_weights(base_weights_for(survey, answers, base, weights), survey.meta.respondents)
    groups = segment_members(survey, segment_id)
    if len(groups) > MAX_SEGMENTS:
        raise InvalidInput(
            f"segment question {segment_id} has {len(groups):,} different answers; the limit is {MAX_SEGMENTS} "
            "segments: segment by a question with fewer answers"
        )
    blocks = []
    for segment, members in groups.items():
        segment_base = np.full(len(everyone), np.nan)
        members = members[members < len(everyone)]
        segment_base[members] = everyone[members]
        block = shares_with_nets(choices, segment_base, options, weight is not None, order, nets)
        blocks.append(block.assign(segment=segment, small_base=block["base"] < small_base))
    if not blocks:
        raise InvalidInput(f"{survey.meta.source}: nobody answered the segment question {segment_id}")
    result = pd.concat(blocks, ignore_index=True)
    leading = ["segment", "answer"]
    return result[leading + [column for column in result.columns if column not in leading]]
