"""Headline answers: recipes that find the same question in each survey year, and the share answering "yes"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.survey_quote import fielded
from analysis.survey_shares import wilson_interval
from survey_model.survey import Survey

HEADLINE_COLUMNS = [
    "topic", "wave", "year", "survey", "question", "item", "answer", "count", "base", "share",
    "ci_low", "ci_high", "fielded", "source",
]  # fmt: skip


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


def matching_share(
    survey: Survey, question_id: str, item: str | None, answer_pattern: str, base: str = "answered"
) -> dict:
    """Share of respondents whose answer matches `answer_pattern` (a regex, case-insensitive), with n and interval."""
    answers = survey.answers(question_id)
    rows = answers[answers["item"] == item] if item else answers
    denominator = survey.meta.respondents if base == "all" else rows["respondent"].nunique()
    pattern = re.compile(answer_pattern, re.IGNORECASE)
    chosen = rows[[bool(pattern.search(str(answer))) for answer in rows["answer"]]]
    count = chosen["respondent"].nunique()
    share = count / denominator if denominator else float("nan")
    low, high = wilson_interval(share, denominator)
    return {
        "answer": ", ".join(sorted(chosen["answer"].astype(str).unique())) or answer_pattern,
        "count": count,
        "base": denominator,
        "share": share,
        "ci_low": float(low),
        "ci_high": float(high),
    }


def survey_headlines(surveys: Mapping[str, Survey], recipes: tuple[Recipe, ...] = RECIPES) -> pd.DataFrame:
    """One row per recipe and survey that asks it: share, count, base, interval, source and fieldwork."""
    rows = []
    for recipe in recipes:
        for key, survey in surveys.items():
            found = find_by_pattern(survey, recipe.question, recipe.item)
            if found is None:
                continue
            question_id, item = found
            share = matching_share(survey, question_id, item, recipe.answer)
            if not share["base"]:
                continue
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
                }
            )
    frame = pd.DataFrame(rows, columns=HEADLINE_COLUMNS)
    return frame.sort_values(["topic", "year", "wave"], ignore_index=True, na_position="last")
