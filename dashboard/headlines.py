"""Headline answers for the Overview: recipes that find the same question in each survey year (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from collectors.surveys.model import Survey
from dashboard import survey_views

MIN_PULLS_FOR_GROWTH = 10_000  # fastest-growing among images with at least this many pulls in 30 days


@dataclass(frozen=True)
class Recipe:
    """How to find one headline in a survey: the question's text, its grid row and the answers that count."""

    topic: str
    question: str  # regex on the question text
    item: str | None  # regex on the grid row, where the answer sits in a grid
    answer: str  # regex on the answers counted as "yes"


RECIPES = (
    Recipe("Containers in production", r"containers for", r"^production", r"today|currently using"),
    Recipe("Kubernetes in production", r"graduated CNCF projects|which of these cloud native projects",
           r"^kubernetes\b", r"production"),
)


def survey_headlines(surveys: Mapping[str, Survey], recipes: tuple[Recipe, ...] = RECIPES) -> pd.DataFrame:
    """One row per recipe and survey that asks it: share, count, base, interval, source and fieldwork."""
    rows = []
    for recipe in recipes:
        for key, survey in surveys.items():
            found = survey_views.find_question(survey, recipe.question, recipe.item)
            if found is None:
                continue
            question_id, item = found
            share = survey_views.matching_share(survey, question_id, item, recipe.answer)
            if not share["base"]:
                continue
            rows.append({"topic": recipe.topic, "wave": survey.meta.wave, "year": survey.meta.year,
                         "survey": key, "question": question_id, "item": item or "", **share,
                         "fielded": survey_views.fielded(survey), "source": survey.meta.source})
    columns = ["topic", "wave", "year", "survey", "question", "item", "answer", "count", "base", "share",
               "ci_low", "ci_high", "fielded", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["topic", "year", "wave"], ignore_index=True, na_position="last")


def pull_headlines(growth: pd.DataFrame) -> dict[str, pd.Series | None]:
    """The biggest image by pull count and the fastest-growing (30 days on the 30 before) among busy images."""
    if growth.empty:
        return {"biggest": None, "fastest": None}
    biggest = growth.sort_values("pull_count", ascending=False).iloc[0]
    busy = growth[(growth["pulls_30d"] >= MIN_PULLS_FOR_GROWTH) & growth["change_vs_prior_30d"].notna()]
    fastest = busy.sort_values("change_vs_prior_30d", ascending=False).iloc[0] if not busy.empty else None
    return {"biggest": biggest, "fastest": fastest}
