"""Find a question by id or by a piece of its text, and a grid row by its name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import QuestionNotFound
from analysis.surveys.counts import counts_summary
from analysis.surveys.shares import fold_answer
from survey_model.counts import is_counts
from survey_model.survey import Question, Survey

MAX_LISTED = 20
# answered_counts marks (question, respondent) pairs in a table of booleans up to this many cells (200 MB).
MAX_MARK_CELLS = 200_000_000
MAX_RUNS = 10_000  # runs of one question's rows counted one slice at a time; past this, one vectorised pass


class AmbiguousQuestion(QuestionNotFound):
    """Several questions match; the message lists them with their ids."""

    def __init__(self, query: str, candidates: list[Question]):
        self.candidates = candidates
        lines = [f"{len(candidates)} questions match {query!r}; give one of these ids (or --item to narrow):"]
        lines += [f"  {_describe(question)}" for question in candidates[:MAX_LISTED]]
        if len(candidates) > MAX_LISTED:
            lines.append(f"  ... and {len(candidates) - MAX_LISTED} more")
        super().__init__("\n".join(lines))


def _describe(question: Question) -> str:
    text = " ".join(question.text.split())
    if len(text) > 90:
        text = text[:87] + "..."
    rows = f" [grid rows: {', '.join(question.items[:6])}{', ...' if len(question.items) > 6 else ''}]"
    return f"{question.id}: {text}" + (rows if question.items else "")


def match_item(question: Question, item: str) -> str | None:
    """Return the grid row of `question` named `item` (exact, then case-insensitive, then a unique piece), or None."""
    if item in question.items:
        return item
    wanted = fold_answer(item)
    same = [row for row in question.items if fold_answer(row) == wanted]
    if len(same) == 1:
        return same[0]
    pieces = [row for row in question.items if wanted in fold_answer(row)]
    return pieces[0] if len(pieces) == 1 else None


def find_question(survey: Survey, query: str, item: str | None = None) -> Question:
    """Return the one question whose id is `query`, whose whole text is `query`, or whose text contains it.

    Several candidates are narrowed by grid row `item`.
    """
    by_id = [question for question in survey.questions if question.id == query]
    if not by_id:
        by_id = [question for question in survey.questions if question.id.casefold() == query.casefold()]
    if len(by_id) == 1:
        return by_id[0]
    wanted = fold_answer(query)
    candidates = [question for question in survey.questions if wanted in fold_answer(question.text)]
    if not candidates:
        raise QuestionNotFound(
            f"{survey.meta.source}: no question has the id or text {query!r}; "
            "run the questions command to list ids and texts"
        )
    # A question's whole text names it, even where it is a piece of a longer question's text.
    candidates = [question for question in candidates if fold_answer(question.text) == wanted] or candidates
    if len(candidates) > 1 and item is not None:
        with_row = [question for question in candidates if match_item(question, item) is not None]
        candidates = with_row or candidates
    if len(candidates) > 1:
        raise AmbiguousQuestion(query, candidates)
    return candidates[0]


def resolve_item(question: Question, item: str | None) -> str | None:
    """Return the exact grid row named by `item`, or raise QuestionNotFound listing the rows."""
    if item is None:
        return None
    if not question.items:
        raise QuestionNotFound(f"question {question.id} is not a grid, so it has no row {item!r}; drop --item")
    row = match_item(question, item)
    if row is None:
        raise QuestionNotFound(
            f"question {question.id} has no grid row {item!r}; its rows are: {', '.join(question.items)}"
        )
    return row


def answered_counts(survey: Survey) -> pd.Series:
    """Respondents who gave at least one answer to each question (any grid row), by question id."""
    responses = survey.responses
    questions = responses["question"].astype("category")
    codes = questions.cat.codes.to_numpy()
    respondents = responses["respondent"].to_numpy()
    kinds, people = len(questions.cat.categories), int(respondents.max()) + 1 if len(respondents) else 0
    if kinds * people > MAX_MARK_CELLS:
        return responses.groupby("question", sort=False, observed=True)["respondent"].nunique()
    # Mark each (question, respondent) pair once, then count the marks per question.
    marked = np.zeros((kinds, people), dtype=bool)
    counted = np.zeros(kinds, dtype=np.int64)
    starts = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    if len(codes) and len(starts) < MAX_RUNS:
        # Rows come grouped by question (as loaded): one slice per question, no index arrays as long as the frame.
        runs = list(zip([0, *starts.tolist()], [*starts.tolist(), len(codes)], strict=True))
        alone = np.bincount([codes[start] for start, _ in runs if codes[start] >= 0], minlength=kinds) == 1
        for start, end in runs:
            _count_run(
                codes[start], respondents[start:end], bool(codes[start] >= 0 and alone[codes[start]]), marked, counted
            )
    else:
        known = codes >= 0
        marked[codes[known], respondents[known]] = True
    return pd.Series(counted + marked.sum(axis=1), index=questions.cat.categories.astype(str))


def _count_run(code: int, respondents: np.ndarray, alone: bool, marked: np.ndarray, counted: np.ndarray) -> None:
    """Count one run of a question's rows: its distinct respondents, or mark them when the run is not enough."""
    if code < 0:
        return
    steps = np.diff(respondents)
    if alone and (steps >= 0).all():
        # The question's only run, respondents in order (as built): a new one wherever the number goes up.
        counted[code] = 1 + np.count_nonzero(steps)
    else:
        marked[code, respondents] = True


def question_summary(survey: Survey) -> pd.DataFrame:
    """Return one row per question: id, type, text, grid rows, options, how many answered and data warnings."""
    if is_counts(survey):
        return counts_summary(survey)
    answered = answered_counts(survey)
    return pd.DataFrame(
        {
            "id": [question.id for question in survey.questions],
            "type": [str(question.type) for question in survey.questions],
            "text": [" ".join(question.text.replace("\xa0", " ").split()) for question in survey.questions],
            "items": ["; ".join(question.items) for question in survey.questions],
            "options": [len(question.options) for question in survey.questions],
            "answered": [int(answered.get(question.id, 0)) for question in survey.questions],
            "warnings": ["; ".join(question.warnings) for question in survey.questions],
        }
    )
