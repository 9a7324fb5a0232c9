"""Headline answers: recipes that find the same question in each survey year, and the share answering "yes"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.errors import NotComparable
from analysis.surveys.quote import fielded
from analysis.surveys.shares import wilson_interval
from survey_model.codes import is_unlabelled_code
from survey_model.survey import Survey

HEADLINE_COLUMNS = [
    "topic", "wave", "year", "survey", "question", "item", "answer", "count", "base", "share",
    "ci_low", "ci_high", "answers_matched", "fielded", "source", "reason",
]  # fmt: skip
CODES_WITHOUT_LABELS = "this survey's answers are codes without labels: not comparable"


@dataclass(frozen=True)
class Recipe:
    """How to find one headline in a survey: the question's text, its grid row and the answers that count."""

    topic: str
    question: str  # regex on the question text
    item: str | None  # regex on the grid row, where the answer sits in a grid
    answer: str  # regex on the answers counted as "yes"


RECIPES = (
    Recipe("Containers in production", r"containers for", r"^production", r"today|currently using"),
    Recipe(
        "Kubernetes in production",
        r"graduated CNCF projects|which of these cloud native projects",
        r"^kubernetes\b",
        r"production",
    ),
)


def chart_name(topic: str) -> str:
    """The name a headline's chart by year has in a view (`chart=headline-containers`)."""
    return "headline-" + topic.split()[0].casefold()


def find_by_pattern(
    survey: Survey, text_pattern: str, item_pattern: str | None = None
) -> tuple[str, str | None] | None:
    """Return (question id, grid row) of the first question whose text matches, with a matching row; or None."""
    text_re = re.compile(text_pattern, re.IGNORECASE)
    item_re = re.compile(item_pattern, re.IGNORECASE) if item_pattern else None
    for question in survey.questions:
        if not text_re.search(" ".join(question.text.split())):
            continue
        if item_re is None:
            return question.id, None
        rows = [row for row in question.items if item_re.search(row)]
        if rows:
            return question.id, rows[0]
    return None


def matching_answers(survey: Survey, question_id: str, item: str | None, answer_pattern: str) -> list[str]:
    """The answers (offered or given) that `answer_pattern` matches; raises NotComparable, naming why, when none does.

    Codes without a label never match: they are not an answer's wording.
    """
    answers = survey.answers(question_id)
    rows = answers[answers["item"] == item] if item else answers
    offered = list(dict.fromkeys([*survey.question(question_id).options, *rows["answer"].astype(str)]))
    pattern = re.compile(answer_pattern, re.IGNORECASE)
    matched = [answer for answer in offered if not is_unlabelled_code(answer) and pattern.search(answer)]
    if matched:
        return matched
    where = f"{survey.meta.source}: question {question_id}" + (f" (item: {item})" if item else "")
    if offered and all(is_unlabelled_code(answer) for answer in offered):
        raise NotComparable(f"{where}: {CODES_WITHOUT_LABELS}")
    raise NotComparable(f"{where}: no answer matches {answer_pattern!r}: not comparable")


def matching_share(
    survey: Survey, question_id: str, item: str | None, answer_pattern: str, base: str = "answered"
) -> dict:
    """Share of respondents whose answer matches `answer_pattern` (a regex, case-insensitive), with n and interval.

    Raises NotComparable when the pattern matches no answer: nothing matched is not a share of 0.
    """
    matched = matching_answers(survey, question_id, item, answer_pattern)
    answers = survey.answers(question_id)
    rows = answers[answers["item"] == item] if item else answers
    denominator = survey.meta.respondents if base == "all" else rows["respondent"].nunique()
    if not denominator:
        raise NotComparable(f"{survey.meta.source}: nobody answered question {question_id}: no share to give")
    chosen = rows[rows["answer"].isin(matched).to_numpy()]
    count = chosen["respondent"].nunique()
    share = count / denominator
    low, high = wilson_interval(share, denominator)
    return {
        "answer": ", ".join(answer for answer in matched if answer in set(chosen["answer"])) or matched[0],
        "count": count,
        "base": denominator,
        "share": share,
        "ci_low": float(low),
        "ci_high": float(high),
        "answers_matched": len(matched),
    }


def survey_headlines(surveys: Mapping[str, Survey], recipes: tuple[Recipe, ...] = RECIPES) -> pd.DataFrame:
    """One row per recipe and survey that asks it: share, count, base, interval, source and fieldwork.

    A survey that asks the question but cannot answer it (its answers are codes without labels, or no
    answer matches) gets a row with no numbers and the `reason`; it is never a share of 0.
    """
    rows = []
    for recipe in recipes:
        for key, survey in surveys.items():
            found = find_by_pattern(survey, recipe.question, recipe.item)
            if found is None:
                continue
            question_id, item = found
            try:
                share, reason = matching_share(survey, question_id, item, recipe.answer), ""
            except NotComparable as error:
                share, reason = _NO_SHARE, str(error)
            rows.append(
                {
                    "topic": recipe.topic,
                    "wave": survey.meta.wave,
                    "year": survey.meta.year,
                    "survey": key,
                    "question": question_id,
                    "item": item or "",
                    **share,
                    "fielded": fielded(survey.meta),
                    "source": survey.meta.source,
                    "reason": reason,
                }
            )
    frame = pd.DataFrame(rows, columns=HEADLINE_COLUMNS)
    return frame.sort_values(["topic", "year", "wave"], ignore_index=True, na_position="last")


_NO_SHARE = {"answer": "", "count": pd.NA, "base": pd.NA, "share": float("nan"), "ci_low": float("nan"),
             "ci_high": float("nan"), "answers_matched": 0}  # fmt: skip


def comparable(headlines: pd.DataFrame) -> pd.DataFrame:
    """The headline rows that have a share (no `reason`), with integer count and base."""
    rows = headlines[headlines["reason"] == ""]
    return rows.astype({"count": "int64", "base": "int64"}).reset_index(drop=True)


def left_off(headlines: pd.DataFrame) -> pd.DataFrame:
    """The headline rows left off cards and trends, with the reason each survey cannot answer."""
    return headlines.loc[headlines["reason"] != "", ["topic", "wave", "year", "survey", "question", "item", "reason"]]
