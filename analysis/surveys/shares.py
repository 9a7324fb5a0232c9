"""Shares of the answers to one survey question, each with its base and a 95% Wilson interval."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.surveys.counts import counts_breakdown, is_counts, refuse_counts
from analysis.surveys.interval import Z_95, fold_answer, wilson_interval  # noqa: F401 (callers import them here)
from analysis.surveys.order import arrange
from analysis.surveys.weights_file import RakedWeights
from survey_model.survey import Survey

BASES = ("answered", "all")
CONFIDENCE = 0.95
# Up to this many respondent x answer cells, duplicates are dropped with a bitmap rather than a hash.
BITMAP_LIMIT = 50_000_000
SHARE_COLUMNS = ["answer", "count", "base", "share", "ci_low", "ci_high"]
WEIGHTED_COLUMNS = ["weighted_count", "weighted_base", "n_eff"]


def kish_n_eff(weights: pd.Series | np.ndarray) -> float:
    """Return Kish's effective sample size (sum w)^2 / sum w^2 (0 for no weights)."""
    values = np.asarray(weights, dtype=float)
    squares = float(np.sum(values * values))
    return float(np.sum(values)) ** 2 / squares if squares > 0 else 0.0


@dataclass(frozen=True)
class Choices:
    """Who chose what, once per respondent and answer: respondent ids and codes into `labels`."""

    respondent: np.ndarray
    code: np.ndarray
    labels: tuple[str, ...]


def choices_of(answers: pd.DataFrame) -> Choices:
    """Return the distinct (respondent, answer) pairs of an answers frame, answers coded as integers."""
    column = answers["answer"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        code = column.cat.codes.to_numpy().astype(np.int64)
        labels = column.cat.categories
    else:
        code, labels = pd.factorize(column.to_numpy())
        code = code.astype(np.int64)
    respondent = answers["respondent"].to_numpy(dtype=np.int64)[code >= 0]
    code = code[code >= 0]
    # Keep only the answers given in this frame, so that codes stay few.
    used = np.flatnonzero(np.bincount(code, minlength=len(labels)))
    renumber = np.zeros(len(labels), dtype=np.int64)
    renumber[used] = np.arange(len(used))
    key = respondent * len(used) + renumber[code]
    if len(key) and (int(respondent.max()) + 1) * len(used) <= BITMAP_LIMIT:
        seen = np.zeros((int(respondent.max()) + 1) * len(used), dtype=bool)
        seen[key] = True
        distinct = np.flatnonzero(seen)
    else:
        distinct = pd.unique(key)
    width = max(len(used), 1)
    return Choices(distinct // width, distinct % width, tuple(str(labels[index]) for index in used))


def dense_weights(base_weights: pd.Series, size: int) -> np.ndarray:
    """Return the base's weights in one array indexed by respondent id, NaN for respondents outside it."""
    ids = base_weights.index.to_numpy(dtype=np.int64)
    dense = np.full(max(size, int(ids.max(initial=-1)) + 1), np.nan)
    dense[ids] = base_weights.to_numpy(dtype=float)
    return dense


def _order(
    counts: np.ndarray, labels: tuple[str, ...], options: Sequence[str], order: Sequence[str] | None = None
) -> tuple[list[str], np.ndarray]:
    """Answers in option order, then other answers given (write-ins) by falling count; their label codes.

    An ordered scale (sizes, frequencies, agreement) is then put in its order (see analysis.surveys.order).
    """
    position = {label: code for code, label in enumerate(labels)}
    listed = list(dict.fromkeys(options))
    codes = [position.get(option, -1) for option in listed]
    others = [code for code in np.argsort(-counts, kind="stable") if counts[code] > 0 and labels[code] not in listed]
    answers, codes = listed + [labels[code] for code in others], codes + others
    places = arrange(answers, order)
    return [answers[i] for i in places], np.array([codes[i] for i in places], dtype=np.int64)


def shares_of(
    choices: Choices,
    weights: np.ndarray,
    options: Sequence[str] = (),
    weighted: bool = False,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the shares table of `choices` among the base given by `weights` (see dense_weights)."""
    if len(weights) <= int(choices.respondent.max(initial=-1)):
        weights = np.concatenate([weights, np.full(int(choices.respondent.max()) + 1 - len(weights), np.nan)])
    weight = weights[choices.respondent]
    in_base = ~np.isnan(weight)
    codes = choices.code[in_base]
    counts = np.bincount(codes, minlength=len(choices.labels))
    weighted_counts = np.bincount(codes, weights=weight[in_base], minlength=len(choices.labels))
    base_weights = weights[~np.isnan(weights)]
    answers, codes = _order(counts, choices.labels, options, order)
    # Code -1 (an option nobody chose) picks the zero appended at the end.
    count = np.append(counts, 0)[codes]
    weighted_count = np.append(weighted_counts, 0.0)[codes]
    base = len(base_weights)
    weighted_base = float(base_weights.sum()) if weighted else float(base)
    n_eff = kish_n_eff(base_weights) if weighted else float(base)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Clipped because weights summed in another order can overshoot 1 by a rounding error.
        share = np.minimum((weighted_count if weighted else count) / weighted_base, 1.0)
    low, high = wilson_interval(share, n_eff)
    result = pd.DataFrame(
        {
            "answer": pd.Series(answers, dtype=object),
            "count": count.astype("int64"),
            "base": np.full(len(answers), base, dtype="int64"),
            "share": share,
            "ci_low": low,
            "ci_high": high,
        }
    )
    if weighted:
        result = result.assign(weighted_count=weighted_count, weighted_base=weighted_base, n_eff=n_eff)
    return result


def answer_shares(
    answers: pd.DataFrame,
    base_weights: pd.Series,
    options: Sequence[str] = (),
    weighted: bool = False,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return one row per answer: how many of the base chose it, the share and its Wilson interval.

    `answers` has columns respondent and answer; `base_weights` is indexed by the respondents of the
    base, valued by their weight (1.0 when unweighted). Listed options come first in their order,
    then any other answer (write-ins) by falling count; an ordered scale, or `order`, then rearranges them.
    """
    choices = choices_of(answers)
    return shares_of(choices, dense_weights(base_weights, 0), options, weighted, order)


def respondent_weights(survey: Survey, weight: str | RakedWeights) -> pd.Series:
    """Return each respondent's weight, indexed by respondent (missing ones left out), checked before use.

    `weight` is the id of a numeric question holding the weights, or raked weights of this very file.
    """
    refuse_counts(survey, "weighting")
    if isinstance(weight, RakedWeights):
        return _raked_weights(survey, weight)
    weight_question = weight
    rows = survey.answers(weight_question)
    rows = rows[rows["item"] == ""] if (rows["item"] != "").any() else rows
    values = pd.to_numeric(rows["answer"].astype(object), errors="coerce")
    bad = rows["answer"][values.isna().to_numpy() | (values < 0).to_numpy()]
    if len(bad):
        raise InvalidInput(
            f"{survey.meta.source}: weight column {weight_question} holds {len(bad)} value(s) that are not "
            f"non-negative numbers, e.g. {str(bad.iloc[0])!r}; name a numeric weight column"
        )
    weights = pd.Series(values.to_numpy(dtype=float), index=rows["respondent"].to_numpy())
    weights = weights[~weights.index.duplicated(keep="first")]
    problem = _weight_problem(weights.to_numpy())
    if problem:
        raise InvalidInput(
            f"{survey.meta.source}: weight column {weight_question} {problem}; name a usable weight column"
        )
    return weights


def _raked_weights(survey: Survey, raked: RakedWeights) -> pd.Series:
    """Raked weights checked against the survey they are applied to, and like any weight column."""
    where = f"{survey.meta.source}: the weights of {raked.source or 'the raking'}"
    if raked.sha256 != survey.meta.sha256:
        raise InvalidInput(f"{where} were made for another file (sha256 {raked.sha256[:12]}…); rake this file")
    ids = raked.weights.index.to_numpy(dtype=np.int64)
    if len(ids) and (ids.min() < 0 or ids.max() >= survey.meta.respondents):
        raise InvalidInput(f"{where} name respondent {int(ids.max())}, past the file's {survey.meta.respondents:,}")
    values = raked.weights.to_numpy(dtype=float)
    problem = "holds negative weights" if (values < 0).any() else _weight_problem(values)
    if problem:
        raise InvalidInput(f"{where} {problem}; rake again")
    left_out = _answered_every_target(survey, raked.raked_to)
    left_out[ids] = False
    if left_out.any():
        # Raking leaves out only respondents missing a target answer; a file cut short would weight the rest.
        raise InvalidInput(
            f"{where} leave out {int(left_out.sum()):,} respondent(s) who answered every question raked to "
            f"(the first: respondent {int(np.flatnonzero(left_out)[0])}); rake this file again"
        )
    return raked.weights


def _answered_every_target(survey: Survey, raked_to: tuple[str, ...]) -> np.ndarray:
    """Per respondent: True when they answered every question in `raked_to` (those raking must weight)."""
    complete = np.ones(survey.meta.respondents, dtype=bool)
    known = {question.id for question in survey.questions}
    for question_id in raked_to:
        if question_id not in known:
            raise InvalidInput(f"{survey.meta.source}: the weights were raked to {question_id}, not in this file")
        answered = np.zeros(survey.meta.respondents, dtype=bool)
        answered[survey.answers(question_id)["respondent"].to_numpy(dtype=np.int64)] = True
        complete &= answered
    return complete


def weighting_label(weight: str | RakedWeights | None) -> str:
    """What a figure says about its weights: `weighted (raked to Q2, Q1)`, `weighted by W` or `unweighted`."""
    if weight is None:
        return "unweighted"
    return weight.label if isinstance(weight, RakedWeights) else f"weighted by {weight}"


def _weight_problem(weights: np.ndarray) -> str | None:
    """Why these weights cannot weight a share (infinite, all zero, too large to sum), or None."""
    infinite = int(np.count_nonzero(~np.isfinite(weights)))
    if infinite:
        return f"holds {infinite} infinite value(s)"
    if not np.any(weights > 0):
        return "has no weight above 0 (every weight is 0)" if len(weights) else "holds no weights"
    with np.errstate(over="ignore"):
        total = np.sum(weights)
        # Shares divide by the sum and Kish's n_eff squares it: both must stay finite.
        if not (np.isfinite(total * total) and np.isfinite(np.sum(weights * weights))):
            return f"holds weights too large to add up (largest {weights.max():.3g})"
    return None


def _drop_excluded(answers: pd.DataFrame, exclude: Iterable[str]) -> pd.DataFrame:
    folded = {fold_answer(answer) for answer in exclude}
    if not folded:
        return answers
    column = answers["answer"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)))
        dropped = [code for code in used if fold_answer(column.cat.categories[code]) in folded]
        keep = ~np.isin(codes, dropped)
    else:
        dropped = [answer for answer in column.unique() if fold_answer(answer) in folded]
        keep = ~column.isin(dropped).to_numpy()
    return answers.iloc[np.flatnonzero(keep)] if dropped else answers


def base_weights_for(survey: Survey, answers: pd.DataFrame, base: str, weights: pd.Series | None) -> pd.Series:
    """Return the base's respondents with their weights: those who answered, or everyone in the file."""
    if base not in BASES:
        raise InvalidInput(f"unknown base {base!r}; choose one of {', '.join(BASES)}")
    if base == "answered":
        ids = answers["respondent"].to_numpy(dtype=np.int64)
        present = np.zeros(int(ids.max(initial=-1)) + 1, dtype=bool)
        present[ids] = True
        respondents = pd.Index(np.flatnonzero(present))
    else:
        respondents = pd.RangeIndex(survey.meta.respondents)
    if weights is None:
        return pd.Series(1.0, index=respondents)
    return weights.reindex(respondents).dropna()


def question_answers(
    survey: Survey, question_id: str, item: str | None = None, exclude: Iterable[str] = ()
) -> pd.DataFrame:
    """Return the answer rows of one question (one grid row if `item` is given), excluded answers removed."""
    refuse_counts(survey, "reading answers respondent by respondent (a crosstab, a banner, a filter)")
    # The model's own row finder: a slice when responses are grouped by question, as loaded; the answers
    # stay categorical, unlike Survey.answers(), which turns them into text.
    answers = survey.question_rows(question_id)
    if item is not None:
        answers = answers[(answers["item"] == item).to_numpy()]
    return _drop_excluded(answers, exclude)


def breakdown(
    survey: Survey,
    question_id: str,
    item: str | None = None,
    base: str = "answered",
    exclude: Iterable[str] = (),
    weight: str | RakedWeights | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the share of each answer of a question; a grid without `item` gives one block per grid row.

    Answers come in option order, or scale order for an ordered scale, or in `order` where given.
    Published tables (a CountsSurvey) give the same table from their counts.
    """
    if is_counts(survey):
        return counts_breakdown(survey, question_id, item, base, exclude, weight, order)
    question = survey.question(question_id)
    exclude = list(exclude)
    weights = respondent_weights(survey, weight) if weight else None
    answers = question_answers(survey, question_id, None, exclude)
    is_grid = bool(question.items)
    folded = {fold_answer(answer) for answer in exclude}
    options = [option for option in question.options if fold_answer(option) not in folded]
    rows = [item] if item is not None or not is_grid else list(question.items)
    blocks = []
    for row in rows:
        row_answers = answers[(answers["item"] == row).to_numpy()] if row is not None else answers
        block = answer_shares(
            row_answers, base_weights_for(survey, row_answers, base, weights), options, weights is not None, order
        )
        blocks.append(block.assign(item=row) if is_grid else block)
    result = pd.concat(blocks, ignore_index=True)
    if is_grid:
        result = result[["item", *[column for column in result.columns if column != "item"]]]
    return result


class Breakdowns:
    """Unweighted breakdowns by (file, question, grid row, base), each computed once for one figure.

    A trend reads the selected wave's shares, and checks each wave offers the answer: one breakdown serves all.
    """

    def __init__(self, known: Mapping[tuple[str, str, str | None, str], pd.DataFrame] | None = None):
        self._known = dict(known or {})

    @staticmethod
    def key(survey: Survey, question_id: str, item: str | None, base: str) -> tuple[str, str, str | None, str]:
        """What tells one breakdown from another: the file's hash, the question, the grid row and the base."""
        return survey.meta.sha256, question_id, item, base

    def of(self, survey: Survey, question_id: str, item: str | None = None, base: str = "answered") -> pd.DataFrame:
        """The unweighted breakdown, computed on first use only."""
        key = self.key(survey, question_id, item, base)
        if key not in self._known:
            self._known[key] = breakdown(survey, question_id, item, base)
        return self._known[key]
