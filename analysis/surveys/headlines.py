"""Headline answers: recipes that find the same question in each survey year, and the share answering "yes"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.errors import AnalysisError, NotComparable
from analysis.surveys.counts import refuse_counts
from analysis.surveys.mappings import read_mappings
from analysis.surveys.quote import MULTIPLE_TYPES, fielded
from analysis.surveys.shares import breakdown, wilson_interval
from analysis.surveys.trend import WaveQuestion, break_reasons, mapping_row, wave_design, wave_questions
from survey_model.codes import is_unlabelled_code
from survey_model.counts import is_counts
from survey_model.survey import Survey

HEADLINE_COLUMNS = [
    "topic", "wave", "year", "survey", "question", "item", "answer", "count", "base", "share",
    "ci_low", "ci_high", "answers_matched", "fielded", "source", "reason", "break_before",
]  # fmt: skip
CODES_WITHOUT_LABELS = "this survey's answers are codes without labels: not comparable"


@dataclass(frozen=True)
class Recipe:
    """How to find one headline in a survey: the question's text, its grid row and the answers that count."""

    topic: str
    question: str  # regex on the question text
    item: str | None  # regex on the grid row, where the answer sits in a grid
    answer: str  # regex on the answers counted as "yes"
    mapping: str | None = None  # the wording mapping that names the question in the waves it lists (it wins there)


RECIPES = (
    Recipe(
        "Containers in production",
        r"containers for",
        r"^production",
        r"today|currently using",
        "cncf-containers-in-production",
    ),
    Recipe(
        "Kubernetes in production",
        r"graduated CNCF projects|which of these cloud native projects",
        r"^kubernetes\b",
        r"production",
        "cncf-kubernetes-in-production",
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
    given = []
    if not is_counts(survey):
        answers = survey.answers(question_id)
        given = (answers[answers["item"] == item] if item else answers)["answer"].astype(str)
    offered = list(dict.fromkeys([*survey.question(question_id).options, *given]))
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
    if is_counts(survey):
        return _counted_share(survey, question_id, item, matched, base)
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


def _counted_share(survey, question_id: str, item: str | None, matched: list[str], base: str) -> dict:
    """The headline share from published counts: one answer's count, or several answers' of a single choice."""
    shares = breakdown(survey, question_id, item, base)
    chosen = shares[shares["answer"].isin(matched).to_numpy()]
    if len(chosen) > 1 and survey.question(question_id).type in MULTIPLE_TYPES:
        refuse_counts(survey, f"counting respondents who chose any of {len(chosen)} answers")
    count, denominator = int(chosen["count"].sum()), int(shares["base"].iloc[0]) if len(shares) else 0
    if not denominator:
        raise NotComparable(f"{survey.meta.source}: nobody answered question {question_id}: no share to give")
    low, high = wilson_interval(count / denominator, denominator)
    return {
        "answer": ", ".join(chosen["answer"][chosen["count"] > 0]) or matched[0],
        "count": count,
        "base": denominator,
        "share": count / denominator,
        "ci_low": float(low),
        "ci_high": float(high),
        "answers_matched": len(matched),
    }


def _mapped(survey: Survey, recipe: Recipe, mappings: Mapping[str, pd.DataFrame]) -> WaveQuestion | None:
    """The question (grid row, answer, break) the recipe's wording mapping names in this survey, if it names one."""
    mapping = mappings.get(recipe.mapping or "")
    if mapping is None:
        return None
    try:
        if mapping_row(survey, mapping) is None:
            return None
        (chosen,) = wave_questions([survey], None, None, mapping)
    except AnalysisError:
        return None  # a file sharing a wave's name but not its questions is matched by the recipe instead
    return chosen


def _finds(
    survey: Survey, recipe: Recipe, mappings: Mapping[str, pd.DataFrame]
) -> tuple[WaveQuestion, str, bool] | None:
    """Where a survey answers a recipe, the answer pattern, and whether the mapping (not the recipe) named it."""
    mapped = _mapped(survey, recipe, mappings)
    if mapped is not None:
        pattern = f"^{re.escape(mapped.answer)}$" if mapped.answer else recipe.answer
        return mapped, pattern, True
    found = find_by_pattern(survey, recipe.question, recipe.item)
    return (WaveQuestion(found[0], found[1]), recipe.answer, False) if found else None


def survey_headlines(
    surveys: Mapping[str, Survey],
    recipes: tuple[Recipe, ...] = RECIPES,
    mappings: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per recipe and survey that asks it: share, count, base, interval, source, fieldwork and break.

    A survey that asks the question but cannot answer it (its answers are codes without labels, or no
    answer matches) gets a row with no numbers and the `reason`; it is never a share of 0. Where a
    recipe's wording mapping names a survey's wave, the mapping's question and answer are taken (2021
    asks about Kubernetes in another question), and another file of that year found by the recipe is
    left out, so that a year is one wave. `break_before` says why a year does not compare with the one before.
    `mappings` defaults to the shipped ones (data/surveys/mappings); `{}` uses the recipes alone.
    """
    mappings = read_mappings() if mappings is None else mappings
    rows, designs = [], []
    for recipe in recipes:
        found_rows = []
        for key, survey in surveys.items():
            found = _finds(survey, recipe, mappings)
            if found is None:
                continue
            chosen, pattern, mapped = found
            try:
                share, reason = matching_share(survey, chosen.question_id, chosen.item, pattern), ""
            except NotComparable as error:
                share, reason = _NO_SHARE, str(error)
            found_rows.append((survey, chosen, share, reason, key, mapped))
        mapped_years = {survey.meta.year for survey, *_rest, mapped in found_rows if mapped}
        for survey, chosen, share, reason, key, mapped in found_rows:
            if survey.meta.year in mapped_years and not mapped:
                continue
            question_id, item = chosen.question_id, chosen.item
            designs.append(wave_design(survey, chosen))
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
                    "break_before": "",
                }
            )
    frame = pd.concat([pd.DataFrame(rows, columns=HEADLINE_COLUMNS), pd.DataFrame(designs)], axis=1)
    frame = frame.sort_values(["topic", "year", "wave"], ignore_index=True, na_position="last")
    shown = frame[frame["reason"] == ""]
    if len(shown):
        frame.loc[shown.index, "break_before"] = break_reasons(shown.assign(key=shown["topic"]))
    return frame[HEADLINE_COLUMNS]


_NO_SHARE = {"answer": "", "count": pd.NA, "base": pd.NA, "share": float("nan"), "ci_low": float("nan"),
             "ci_high": float("nan"), "answers_matched": 0}  # fmt: skip


def comparable(headlines: pd.DataFrame) -> pd.DataFrame:
    """The headline rows that have a share (no `reason`), with integer count and base."""
    rows = headlines[headlines["reason"] == ""]
    return rows.astype({"count": "int64", "base": "int64"}).reset_index(drop=True)


def left_off(headlines: pd.DataFrame) -> pd.DataFrame:
    """The headline rows left off cards and trends, with the reason each survey cannot answer."""
    return headlines.loc[headlines["reason"] != "", ["topic", "wave", "year", "survey", "question", "item", "reason"]]
