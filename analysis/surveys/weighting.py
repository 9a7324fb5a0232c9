"""Raking: weight a survey sample to known margins (iterative proportional fitting, with weightipy).

Each target question is a single-choice question with a target share for every answer given. The
respondents who answered every target question are weighted (mean weight 1); the others get no
weight and leave the weighted bases, as a respondent without a weight does. The report says whether
the margins were met (the largest gap between a weighted share and its target), the weight range,
how many weights the cap trimmed, the design effect and Kish's effective n.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import InvalidInput
from analysis.small_csv import read_small_csv
from analysis.surveys.counts import refuse_counts
from analysis.surveys.shares import fold_answer, kish_n_eff, respondent_weights
from analysis.surveys.weights_file import RakedWeights
from settings import BadNumber, parse_number
from survey_model.survey import QuestionType, Survey

TOLERANCE = 1e-6  # the largest gap between a weighted share and its target that counts as converged
MAX_ITERATIONS = 1000
MAX_TARGET = 1e12  # a count of people past any population; shares and percents are far below it
TARGET_COLUMNS = ("target", "share", "percent", "proportion", "count", "population")
MARGIN_COLUMNS = ["question", "answer", "respondents", "sample_share", "target", "weighted_share", "gap"]


@dataclass(frozen=True)
class RakingReport:
    """How a raking went: the weights, every margin against its target, and the figures that judge them."""

    weights: RakedWeights
    margins: pd.DataFrame
    iterations: int
    largest_gap: float
    converged: bool
    weighted: int
    left_out: int
    trimmed: int
    cap: float | None

    @property
    def design_effect(self) -> float:
        """Kish's design effect of the weights, n / n_eff = 1 + CV² (1 when every weight is equal)."""
        return self.weighted / self.effective_n if self.effective_n else math.nan

    @property
    def effective_n(self) -> float:
        """Kish's effective sample size of the weights."""
        return kish_n_eff(self.weights.weights)

    def summary(self) -> list[str]:
        """The report in sentences, one figure each, as the command line and the dashboard print them."""
        values = self.weights.weights
        met = "converged" if self.converged else "did NOT converge"
        lines = [
            f"Raked to {', '.join(self.weights.raked_to)}: {met} in {self.iterations} iterations "
            f"(largest gap between a weighted share and its target: {self.largest_gap:.2g}).",
            f"{self.weighted:,} respondents weighted; {self.left_out:,} left out (no answer to a target question).",
            f"Weights from {values.min():.3g} to {values.max():.3g} (mean 1); "
            + (f"{self.trimmed:,} trimmed at the cap of {self.cap:g}." if self.cap else "no cap."),
            f"Design effect {self.design_effect:.3f}; Kish effective n {self.effective_n:,.0f} of {self.weighted:,}.",
        ]
        return lines


def read_targets(path: str | Path, name: str | None = None) -> pd.DataFrame:
    """Read a targets CSV: an answer column and a target column (shares, percents or counts; scaled to shares).

    `name` is what messages call the file where its path means nothing to the person (an upload).
    """
    label = name or path
    table = read_small_csv(path, "the targets file", "a CSV with columns answer,target", label=str(label))
    value = next((column for column in TARGET_COLUMNS if column in table.columns), None)
    if "answer" not in table.columns or value is None or table.empty:
        raise InvalidInput(f"{label}: a targets file needs rows with an answer column and a target column")
    try:
        # The one parser for numbers from outside: finite, and small enough that their sum stays finite (1e308 twice
        # would add up to infinity and every share to nothing).
        numbers = pd.Series(
            [parse_number(str(text).strip().rstrip("%"), "target", 0, MAX_TARGET) for text in table[value]], dtype=float
        )
    except BadNumber:
        numbers = pd.Series([np.nan])
    if numbers.isna().any() or numbers.sum() <= 0:
        raise InvalidInput(
            f"{label}: every target must be a number from 0 to {MAX_TARGET:.0e} (percent, share or count), some above 0"
        )
    answers = table["answer"].str.strip()
    repeated = answers.map(fold_answer).duplicated(keep=False)
    if repeated.any():
        # Two targets for one answer used to be summed into one, silently.
        lines = ", ".join(str(position + 2) for position in np.flatnonzero(repeated.to_numpy())[:10])
        raise InvalidInput(
            f"{label}: the answer {answers[repeated].iloc[0]!r} has more than one target (lines {lines}); "
            "give each answer one target"
        )
    return pd.DataFrame({"answer": answers, "target": numbers.to_numpy(float)})


def _margin(survey: Survey, question_id: str, targets: pd.DataFrame) -> tuple[pd.Series, dict[str, float]]:
    """Each respondent's answer to one target question, and the target share of every answer given."""
    question = survey.question(question_id)
    if question.type != QuestionType.SINGLE:
        raise InvalidInput(f"target question {question_id} is {question.type}; rake to single-choice questions")
    rows = survey.answers(question_id)
    if rows["respondent"].duplicated().any():
        raise InvalidInput(f"target question {question_id} has respondents with several answers; rake to another")
    answers = pd.Series(rows["answer"].to_numpy(dtype=object), index=rows["respondent"].to_numpy())
    given = {fold_answer(answer): answer for answer in answers.unique()}
    folded = targets.assign(key=targets["answer"].map(fold_answer)).groupby("key", sort=False)["target"].sum()
    missing = [answer for key, answer in given.items() if key not in folded.index]
    if missing:
        raise InvalidInput(
            f"target question {question_id}: no target for the answer {missing[0]!r}; give every answer a target"
        )
    absent = [key for key, share in folded.items() if share > 0 and key not in given]
    if absent:
        name = next(answer for answer in targets["answer"] if fold_answer(answer) == absent[0])
        raise InvalidInput(f"target question {question_id}: nobody answered {name!r}, so its target cannot be met")
    total = float(folded.sum())
    return answers, {given[key]: float(share) / total for key, share in folded.items() if key in given}


def _run_weightipy(
    frame: pd.DataFrame, shares: Mapping[str, dict[str, float]], cap: float | None
) -> tuple[np.ndarray, int]:
    """Weights from weightipy's raking of `frame` (one column per target question), and its iterations."""
    import weightipy

    scheme = weightipy.scheme_from_dict(
        {column: {answer: share * 100 for answer, share in targets.items()} for column, targets in shares.items()},
        name="rake",
        rim_params={"convcrit": 1e-12, "max_iterations": MAX_ITERATIONS, "cap": cap or 0},
    )
    # weightipy caps at cap + 0.0001 by default (anesrake's habit): --cap 2 left weights at 2.0001.
    scheme.anesrake_cap_correction = False
    # weightipy prints its progress notes; the report below says what they would.
    with contextlib.redirect_stdout(io.StringIO()):
        weights = weightipy.weight(frame, scheme)
    iterations = next(iter(scheme.groups.values()))["iterations"] or 0
    return weights.to_numpy(dtype=float), int(iterations)


def rake(
    survey: Survey, targets: Mapping[str, pd.DataFrame], cap: float | None = None, tolerance: float = TOLERANCE
) -> RakingReport:
    """Rake the respondents to the target shares of each question; `cap` trims weights above cap x the mean."""
    refuse_counts(survey, "weighting (raking)")
    if not targets:
        raise InvalidInput("give at least one target question (--target Q2=targets.csv)")
    if cap is not None and not (math.isfinite(cap) and cap > 1):
        raise InvalidInput(f"--cap {cap:g}: the cap is the largest weight as a multiple of the mean; give more than 1")
    margins = {question_id: _margin(survey, question_id, table) for question_id, table in targets.items()}
    frame = pd.DataFrame({question_id: answers for question_id, (answers, _) in margins.items()}).dropna()
    if frame.empty:
        raise InvalidInput(f"{survey.meta.source}: no respondent answered every target question")
    columns = {question_id: f"t{position}" for position, question_id in enumerate(margins)}
    values, iterations = _run_weightipy(
        frame.rename(columns=columns).reset_index(drop=True),
        {columns[question_id]: shares for question_id, (_, shares) in margins.items()},
        cap,
    )
    weights = pd.Series(values, index=frame.index.to_numpy(dtype=np.int64)).sort_index()
    raked = RakedWeights(weights, tuple(targets), survey.meta.sha256, survey.meta.source)
    respondent_weights(survey, raked)  # the checks every weight passes before it is used
    table = margin_table(frame, weights, {question_id: shares for question_id, (_, shares) in margins.items()})
    gap = float(table["gap"].abs().max())
    # Trimmed weights end within rounding of the cap (clip, then rescale to mean 1, until none is above).
    trimmed = int(np.count_nonzero(values >= cap * (1 - 1e-9))) if cap else 0
    return RakingReport(
        raked, table, iterations, gap, gap <= tolerance, len(frame), survey.meta.respondents - len(frame), trimmed, cap
    )


def margin_table(frame: pd.DataFrame, weights: pd.Series, shares: Mapping[str, dict[str, float]]) -> pd.DataFrame:
    """Each target answer: respondents, its share in the sample, the target and the weighted share reached."""
    rows = []
    aligned = weights.reindex(frame.index).to_numpy(dtype=float)
    total = aligned.sum()
    for question_id, targets in shares.items():
        for answer, target in targets.items():
            chosen = (frame[question_id] == answer).to_numpy()
            weighted_share = float(aligned[chosen].sum() / total)
            rows.append((question_id, answer, int(chosen.sum()), float(chosen.mean()), target, weighted_share,
                         weighted_share - target))  # fmt: skip
    return pd.DataFrame(rows, columns=MARGIN_COLUMNS)
