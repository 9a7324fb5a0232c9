"""A technology's survey side: the share choosing its answer in each wave its recipe names, with breaks.

The recipe's survey rows are a wording mapping; the share per wave is `analysis.surveys.trend.trend`,
the one trend function the Surveys page and `python -m analysis trend` call. A wave the recipe names
that is not loaded, or that cannot answer (codes without labels, no such answer), is left out of the
trend and listed with its reason: it is never a share of 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.errors import AnalysisError
from analysis.surveys.quote import fielded
from analysis.surveys.shares import Breakdowns
from analysis.surveys.trend import mapping_row, trend, wave_questions
from analysis.technology.recipes import Recipe
from survey_model.survey import Survey

SHARE_COLUMNS = [
    "wave", "year", "question", "item", "answer", "count", "base", "share", "ci_low", "ci_high",
    "change", "p_value", "fielded", "plotted_at", "source", "break",
]  # fmt: skip
MID_YEAR = "-07-01"  # where a wave whose file gives only its year sits on a time axis


def _plotted_at(survey: Survey) -> pd.Timestamp:
    """Where a wave sits on a time axis: the middle of its fieldwork, else the middle of its year."""
    meta = survey.meta
    if meta.fielded_from and meta.fielded_to:
        start, end = pd.Timestamp(meta.fielded_from), pd.Timestamp(meta.fielded_to)
        return (start + (end - start) / 2).normalize()
    if meta.year is not None:
        return pd.Timestamp(f"{meta.year}{MID_YEAR}")
    return pd.NaT


def _loaded_waves(recipe: Recipe, surveys: Mapping[str, Survey]) -> dict[str, Survey]:
    """The survey standing for each recipe wave, by the recipe's wave name (one file per wave, first found)."""
    mapping = recipe.mapping()
    found: dict[str, Survey] = {}
    for survey in surveys.values():
        row = mapping_row(survey, mapping)
        if row is not None and row["wave"] not in found:
            found[row["wave"]] = survey
    return found


def survey_shares(
    recipe: Recipe, surveys: Mapping[str, Survey], breakdowns: Breakdowns | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """(share per answerable wave in time order, the reason each other recipe wave is left out)."""
    breakdowns = Breakdowns() if breakdowns is None else breakdowns
    mapping = recipe.mapping()
    loaded = _loaded_waves(recipe, surveys)
    answerable, questions, missing = [], [], []
    for wave in recipe.survey["wave"]:
        survey = loaded.get(wave)
        if survey is None:
            missing.append(f"survey wave {wave!r} is not among the loaded surveys")
            continue
        try:
            (question,) = wave_questions([survey], None, None, mapping)
            trend([survey], [question], None, breakdowns=breakdowns)  # does this wave answer at all?
        except AnalysisError as error:
            missing.append(f"survey wave {wave!r}: {error}")
            continue
        answerable.append(survey)
        questions.append(question)
    if not answerable:
        return pd.DataFrame(columns=SHARE_COLUMNS), missing
    rows = trend(answerable, questions, None, breakdowns=breakdowns)
    by_wave = {survey.meta.wave: survey for survey in answerable}
    # The recipe names a wave as a mapping does (name, file or year); the trend names it as its survey does.
    breaks = {
        loaded[wave].meta.wave: text
        for wave, text in zip(recipe.survey["wave"], recipe.survey["break"], strict=True)
        if wave in loaded
    }
    rows = rows.assign(
        fielded=rows["wave"].map(lambda wave: fielded(by_wave[wave].meta)),
        plotted_at=rows["wave"].map(lambda wave: _plotted_at(by_wave[wave])),
        source=rows["wave"].map(lambda wave: by_wave[wave].meta.source),
        **{"break": rows["wave"].map(breaks).fillna("")},
    )
    return rows[SHARE_COLUMNS].reset_index(drop=True), missing
