"""Wording mappings: which question stands for the same one in each survey wave, and the trend they give.

A mapping is a CSV in data/surveys/mappings/ in the format of `python -m analysis trend --mapping`:
one row per wave (`wave` is the survey's wave name, file name or year), the wave's `question_id`,
and optionally its grid row (`item`) and the wording of the answer followed (`answer`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

import settings
from analysis.errors import AnalysisError
from analysis.surveys.nets import NET_COLUMN, Net, named_net, offers_net
from analysis.surveys.shares import Breakdowns, fold_answer
from analysis.surveys.trend import (
    TREND_COLUMNS,
    WaveQuestion,
    follows_mapping,
    mapping_row,
    read_mapping,
    trend,
    wave_questions,
)
from survey_model.survey import Survey


def read_mappings(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every mapping CSV in `folder` (default data/surveys/mappings), by file stem, sorted by name."""
    folder = settings.MAPPINGS_DIR if folder is None else folder
    if not folder.is_dir():
        return {}
    return {path.stem: read_mapping(path) for path in sorted(folder.glob("*.csv"))}


def _names_row(row: pd.Series | None, question_id: str, item: str | None) -> bool:
    if row is None or row["question"].casefold() != question_id.casefold():
        return False
    return not row["item"] or (item is not None and fold_answer(row["item"]) == fold_answer(item))


def find_mapping(
    mappings: Mapping[str, pd.DataFrame], survey: Survey, question_id: str, item: str | None
) -> str | None:
    """Name of the first mapping whose row for `survey` is `question_id` (and grid row `item`, where it names one)."""
    for name, mapping in mappings.items():
        if _names_row(mapping_row(survey, mapping), question_id, item):
            return name
    return None


def same_question_in(
    mappings: Mapping[str, pd.DataFrame], survey: Survey, question_id: str, item: str | None, other: Survey
) -> tuple[str, str | None] | None:
    """The question (and grid row) of `other` that is `question_id` of `survey`: same text, or a wording mapping.

    None when `other` does not ask it; a question id alone never says so (2019's Q16 is not 2020's Q16).
    """
    text = fold_answer(survey.question(question_id).text)
    for candidate in other.questions:
        if fold_answer(candidate.text) == text and (not item or item in candidate.items):
            return candidate.id, item or None
    name = find_mapping(mappings, survey, question_id, item)
    row = mapping_row(other, mappings[name]) if name else None
    if row is None:
        return None
    try:
        (found,) = wave_questions([other], None, item, mappings[name])
    except AnalysisError:
        return None
    return found.question_id, found.item


def _wave_choices(
    surveys: Mapping[str, Survey], mapping: pd.DataFrame, item: str | None
) -> list[tuple[Survey, WaveQuestion]]:
    """Each distinct survey the mapping names, with the question standing for the mapped one in it."""
    chosen, seen = [], set()
    for survey in surveys.values():
        if survey.meta.sha256 in seen or mapping_row(survey, mapping) is None:
            continue
        try:
            (question,) = wave_questions([survey], None, item, mapping)
        except AnalysisError:
            continue  # a file that shares a wave's name but not its questions (an edited upload) is left out
        seen.add(survey.meta.sha256)
        chosen.append((survey, question))
    return chosen


def _offers(survey: Survey, question: WaveQuestion, answer: str, base: str, breakdowns: Breakdowns) -> bool:
    answers = breakdowns.of(survey, question.question_id, question.item, base)["answer"]
    return any(fold_answer(offered) == fold_answer(answer) for offered in answers)


def mapped_trend(
    surveys: Mapping[str, Survey],
    mapping: pd.DataFrame,
    selected: Survey,
    item: str | None,
    answer: str,
    base: str = "answered",
    breakdowns: Breakdowns | None = None,
    *,
    nets: Sequence[Net] = (),
) -> pd.DataFrame:
    """The share choosing `answer` in each wave the mapping names, by year, with each change and its p-value.

    When `answer` names one of `nets`, the waves compared are those whose question offers any of its answers.

    When `answer` is the answer the mapping follows (its answer column, in any wave, as
    `python -m analysis trend --mapping` decides it), each wave counts its own wording of it;
    otherwise the waves whose question offers the same wording are compared. `selected` is the
    survey the question was picked in; it must be one the mapping names.
    """
    if mapping_row(selected, mapping) is None:
        return pd.DataFrame(columns=TREND_COLUMNS)
    breakdowns = Breakdowns() if breakdowns is None else breakdowns
    net = named_net(answer, nets)
    follows = net is None and follows_mapping(mapping, answer)
    waves = _wave_choices(surveys, mapping if follows else mapping.assign(answer=""), item)
    if net is not None:
        waves = [(survey, question) for survey, question in waves if offers_net(survey, question, net)]
    elif not follows:
        waves = [
            (survey, question) for survey, question in waves if _offers(survey, question, answer, base, breakdowns)
        ]
    if not waves:
        return pd.DataFrame(columns=TREND_COLUMNS)
    asked, questions = zip(*waves, strict=True)
    wanted = net.label if net is not None else None if follows else answer
    rows = trend(list(asked), list(questions), wanted, base, breakdowns=breakdowns, nets=(net,) if net else ())
    return rows[TREND_COLUMNS + ([NET_COLUMN] if net is not None else [])]
