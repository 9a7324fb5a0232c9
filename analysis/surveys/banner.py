"""Banner tables: one question's answers against several segmentations side by side, with a Total column.

The table is long, one row per column of the banner and answer, and every row says what it is:
survey, question, item, segment_question, segment, column (its letter), answer, count, base, share,
ci_low, ci_high, small_base, letters, vs_rest, p_vs_rest (see `analysis.surveys.letters`); weighted
tables add weighted_count, weighted_base, n_eff and weighting ("weighted (raked to Q2, Q1)").
The Total column is every respondent of the base; each segment's base is computed within it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.surveys.counts import refuse_counts
from analysis.surveys.crosstab import MAX_SEGMENTS, SMALL_BASE, segment_members
from analysis.surveys.letters import column_letters, legend, mark_letters
from analysis.surveys.nets import NET_COLUMN, Net, check_nets, shares_with_nets
from analysis.surveys.shares import (
    Choices,
    base_weights_for,
    choices_of,
    dense_weights,
    fold_answer,
    question_answers,
    respondent_weights,
    shares_of,
    weighting_label,
)
from analysis.surveys.weights_file import RakedWeights
from survey_model.survey import Survey

TOTAL = "Total"
IDENTITY = ["survey", "question", "item", "segment_question", "segment", "column"]
NUMBERS = ["answer", "count", "base", "share", "ci_low", "ci_high", "small_base", "letters", "vs_rest", "p_vs_rest"]
WEIGHTED = ["weighted_count", "weighted_base", "n_eff", "weighting"]


@dataclass(frozen=True)
class _Crossing:
    """What every column of a banner is computed from: who chose what, and the base's weights."""

    choices: Choices
    everyone: np.ndarray
    answers: list[str]
    weighted: bool
    nets: tuple[Net, ...] = ()


def _only(everyone: np.ndarray, members: np.ndarray) -> np.ndarray:
    """The base's weights of `members` only (NaN for everyone else)."""
    kept = np.full(len(everyone), np.nan)
    members = members[members < len(everyone)]
    kept[members] = everyone[members]
    return kept


def _shares(crossing: _Crossing, weights: np.ndarray) -> pd.DataFrame:
    answers = crossing.answers
    return shares_with_nets(crossing.choices, weights, answers, crossing.weighted, answers, crossing.nets)


def _squares(table: pd.DataFrame) -> np.ndarray:
    """Sum of squared weights of a block's base, from its weighted base and n_eff (the base when unweighted)."""
    if "n_eff" not in table:
        return table["base"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(table["n_eff"] > 0, table["weighted_base"] ** 2 / table["n_eff"], 0.0)


def _effective(table: pd.DataFrame) -> np.ndarray:
    return table["n_eff"].to_numpy(float) if "n_eff" in table else table["base"].to_numpy(float)


def _rest(block: pd.DataFrame, union: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Share and effective n of the segmentation's respondents outside this segment (union minus segment)."""
    weighted = "weighted_base" in block
    count = "weighted_count" if weighted else "count"
    total = "weighted_base" if weighted else "base"
    rest_count = union[count].to_numpy(float) - block[count].to_numpy(float)
    rest_base = union[total].to_numpy(float) - block[total].to_numpy(float)
    rest_squares = _squares(union) - _squares(block)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(rest_base > 0, rest_count / rest_base, np.nan)
        n = np.where(rest_squares > 0, rest_base**2 / rest_squares, 0.0)
    return share, n


def _groups(survey: Survey, segment_id: str) -> dict[str, np.ndarray]:
    """The segments of one segment question with their respondents; refused when there are none or too many."""
    groups = segment_members(survey, segment_id)
    if len(groups) > MAX_SEGMENTS:
        raise InvalidInput(
            f"segment question {segment_id} has {len(groups):,} different answers; the limit is {MAX_SEGMENTS} "
            "segments: segment by a question with fewer answers"
        )
    if not groups:
        raise InvalidInput(f"{survey.meta.source}: nobody answered the segment question {segment_id}")
    return groups


def _segmentation(
    crossing: _Crossing,
    segment_id: str,
    groups: dict[str, np.ndarray],
    letters: Sequence[str],
    small_base: int,
    correction: str,
) -> pd.DataFrame:
    answered = np.zeros(len(crossing.everyone), dtype=bool)
    for members in groups.values():
        answered[members[members < len(answered)]] = True
    union = _shares(crossing, _only(crossing.everyone, np.flatnonzero(answered)))
    blocks, labels = [], {}
    for (segment, members), letter in zip(groups.items(), letters, strict=True):
        block = _shares(crossing, _only(crossing.everyone, members))
        rest_share, rest_n = _rest(block, union)
        labels[segment] = letter
        blocks.append(
            block.assign(
                segment_question=segment_id,
                segment=segment,
                column=letter,
                small_base=block["base"] < small_base,
                n=_effective(block),
                tested=block["base"] >= small_base,
                rest_share=rest_share,
                rest_n=rest_n,
            )
        )
    cells = pd.concat(blocks, ignore_index=True)
    return mark_letters(cells, labels, correction).drop(columns=["n", "tested", "rest_share", "rest_n"])


def _crossing(
    survey: Survey, question_id: str, item: str | None, base: str, exclude: list[str], weight, order, nets=()
) -> _Crossing:
    question = survey.question(question_id)
    if question.items and item is None:
        raise InvalidInput(f"question {question_id} is a grid; name one of its rows with --item to cross it")
    folded = {fold_answer(answer) for answer in exclude}
    options = [option for option in question.options if fold_answer(option) not in folded]
    weights = respondent_weights(survey, weight) if weight is not None else None
    answers = question_answers(survey, question_id, item, exclude)
    choices = choices_of(answers)
    everyone = dense_weights(base_weights_for(survey, answers, base, weights), survey.meta.respondents)
    total = shares_of(choices, everyone, options, weights is not None, order)
    if nets:
        check_nets(nets, [*options, *choices.labels], f"{survey.meta.source}: question {question_id}")
    return _Crossing(choices, everyone, total["answer"].astype(str).tolist(), weights is not None, tuple(nets))


def banner(
    survey: Survey,
    question_id: str,
    segment_ids: Sequence[str],
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: str | RakedWeights | None = None,
    correction: str = "bh",
    small_base: int = SMALL_BASE,
    order: Sequence[str] | None = None,
    *,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """Return the banner table of a question against each segment question in turn, Total first (long form).

    `weight` is a weight question's id or raked weights (`analysis.surveys.weighting.RakedWeights`).
    Letters run on across the banner (A, B, ... over every segmentation); segments are compared only
    within their own segmentation.
    """
    refuse_counts(survey, "a banner by other questions (with letters and arrows)")
    if not segment_ids:
        raise InvalidInput("a banner needs at least one segment question (--by)")
    # The segments first: a segment question with too many answers is refused before any counting.
    segmentations = [(segment_id, _groups(survey, segment_id)) for segment_id in dict.fromkeys(segment_ids)]
    crossing = _crossing(survey, question_id, item, base, list(exclude), weight, order, nets)
    total = _shares(crossing, crossing.everyone).assign(
        segment_question=TOTAL, segment=TOTAL, column="", small_base=False, letters="", vs_rest="", p_vs_rest=np.nan
    )
    letters = iter(column_letters(sum(len(groups) for _, groups in segmentations)))
    blocks = [total]
    for segment_id, groups in segmentations:
        own = [next(letters) for _ in groups]
        blocks.append(_segmentation(crossing, segment_id, groups, own, small_base, correction))
    table = pd.concat(blocks, ignore_index=True)
    table = table.assign(survey=survey.meta.wave, question=question_id, item=item or "")
    columns = IDENTITY + NUMBERS + ([NET_COLUMN] if crossing.nets else [])
    if crossing.weighted:
        table = table.assign(weighting=weighting_label(weight))
        columns += WEIGHTED
    return table[columns].astype({"segment": str, "answer": str})


def banner_labels(table: pd.DataFrame) -> dict[str, str]:
    """Each segment column's name (prefixed by its question when the banner has several) and its letter."""
    columns = table[table["segment_question"] != TOTAL].drop_duplicates(["segment_question", "segment"])
    several = columns["segment_question"].nunique() > 1
    return {
        (f"{row.segment_question}: {row.segment}" if several else str(row.segment)): str(row.column)
        for row in columns.itertuples(index=False)
    }


def banner_legend(table: pd.DataFrame, correction: str = "bh") -> str:
    """The legend of a banner's letters and arrows (`analysis.surveys.letters.legend`)."""
    return legend(banner_labels(table), correction)
