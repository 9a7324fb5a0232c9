"""The Technologies view as data: which technologies a view names, their evidence, and the slide it makes.

`technologies?technology=falco` shows one; the parameter repeated compares two to five. The page, the
deck and `python -m analysis technology` all read `analysis.technology.evidence.technology_evidence`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import pandas as pd

from analysis.errors import InvalidInput
from analysis.technology.evidence import PULLS_SOURCE, TechnologyEvidence, technology_evidence
from analysis.technology.recipes import Recipe, find_recipe, read_recipes
from analysis.technology.tables import compared_survey_table
from analysis.views.spec import Series, Slide, ViewSpec, short_waves
from store.interface import Store
from survey_model.survey import Survey

DEFAULT_TECHNOLOGY = "falco"
MAX_COMPARED = 5
SURVEY_SOURCE = "CNCF Cloud Native Surveys (bundled exports)"


def named_recipes(spec: ViewSpec, recipes: Mapping[str, Recipe] | None = None) -> list[Recipe]:
    """The recipes a view names (the default when none), each once, at most five; InvalidInput for an unknown one."""
    recipes = read_recipes() if recipes is None else recipes
    names = list(dict.fromkeys(name.strip().casefold() for name in spec.get_all("technology") if name.strip()))
    if len(names) > MAX_COMPARED:
        raise InvalidInput(f"view: compare at most {MAX_COMPARED} technologies (parameter technology)")
    try:
        return [find_recipe(dict(recipes), name) for name in names or [DEFAULT_TECHNOLOGY]]
    except LookupError as error:
        raise InvalidInput(f"view: {error}") from error


def wave_axis(evidences: list[TechnologyEvidence]) -> list[str]:
    """Every wave any of the technologies has a share in, in time order."""
    rows = pd.concat([evidence.shares[["wave", "plotted_at"]] for evidence in evidences], ignore_index=True)
    return list(dict.fromkeys(rows.sort_values("plotted_at", kind="stable")["wave"]))


def wave_dates(evidences: list[TechnologyEvidence]) -> dict[str, date]:
    """Each wave's place on the time axis: its fielding date, as the page's chart plots it."""
    rows = pd.concat([evidence.shares[["wave", "plotted_at"]] for evidence in evidences], ignore_index=True)
    return {row["wave"]: pd.Timestamp(row["plotted_at"]).date() for row in rows.dropna().to_dict("records")}


def time_span(evidences: list[TechnologyEvidence]) -> tuple[date, date] | None:
    """The time axis both charts share: whole years, from 1 January of the first wave or week to after the last."""
    days = [pd.Timestamp(day) for evidence in evidences
            for day in (*evidence.shares["plotted_at"].dropna(), *evidence.weeks["period"])]  # fmt: skip
    if not days:
        return None
    # Whole years: the axis's labels fall on the same month each year, and a lone wave still gets a year's width.
    return date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1)


def chart_title(evidences: list[TechnologyEvidence]) -> str:
    """The title page and slide give the chart."""
    return f"{', '.join(evidence.label for evidence in evidences)}: survey adoption and image pulls"


def source_lines(evidences: list[TechnologyEvidence]) -> list[str]:
    """The chart's footer: the survey waves (in time order) and the pull history's years, said apart."""
    answered = [evidence for evidence in evidences if not evidence.shares.empty]
    waves = ", ".join(wave_axis(answered)) if answered else "no wave answers"
    weeks = [evidence.weeks["period"] for evidence in evidences if not evidence.weeks.empty]
    if weeks:
        days = pd.concat(weeks)
        first, last = pd.Timestamp(days.min()).year, pd.Timestamp(days.max()).year
        pulls = f"{PULLS_SOURCE} ({first}–{last})" if first != last else f"{PULLS_SOURCE} ({first})"
    else:
        pulls = f"{PULLS_SOURCE}: none of these images"
    return [
        f"Survey: {SURVEY_SOURCE}: {waves} (base: respondents who answered; whiskers: 95% interval)",
        f"Pulls: {pulls} · survey years and pull years differ",
    ]


def _survey_series(evidences: list[TechnologyEvidence], waves: list[str]) -> tuple[list[Series], list]:
    series, intervals = [], []
    for evidence in evidences:
        by_wave = evidence.shares.set_index("wave")
        pick = [by_wave.loc[wave] if wave in by_wave.index else None for wave in waves]
        values = [float(row["share"]) if row is not None else None for row in pick]
        series.append(Series(evidence.label, values))
        # The interval's ends, as every slide's whiskers take them (the deck draws the lengths from them).
        low = [float(row["ci_low"]) if row is not None else 0.0 for row in pick]
        high = [float(row["ci_high"]) if row is not None else 0.0 for row in pick]
        intervals.append((low, high))
    return series, intervals


def _weeks_panel(evidences: list[TechnologyEvidence], footer: str, span: tuple | None) -> Slide | None:
    with_pulls = [evidence for evidence in evidences if not evidence.weeks.empty]
    if not with_pulls:
        return None
    days = sorted({day for evidence in with_pulls for day in evidence.weeks["period"]})
    series, partial = [], []
    # Every technology of a comparison keeps its place (and colour) in both charts; one with no history says so.
    for evidence in evidences if len(evidences) > 1 else with_pulls:
        if evidence.weeks.empty:
            series.append(Series(f"{evidence.label}: no pull history", [None] * len(days)))
            partial.append([])
            continue
        weeks = evidence.weeks.set_index("period")
        values = [float(weeks.at[day, "pulls"]) if day in weeks.index and pd.notna(weeks.at[day, "pulls"]) else None
                  for day in days]  # fmt: skip
        series.append(Series(f"{evidence.label} images", values))
        flagged = set(weeks.index[weeks["partial"].astype(bool)])
        partial.append([position for position, day in enumerate(days) if day in flagged])
    return Slide(
        view="", kind="dates", title="Pulls per week", subtitle="Pulls per week (Monday to Sunday) of its images",
        categories=[pd.Timestamp(day).date() for day in days], series=series, number_format="#,##0",
        footer=footer, table=pd.DataFrame(), partial_points=partial, date_span=span,
    )  # fmt: skip


def technology_slide(spec: ViewSpec, surveys: Mapping[str, Survey], store: Store) -> Slide:
    """Survey share by wave over pulls per week: one technology, or two to five compared."""
    evidences = [technology_evidence(recipe, surveys, store) for recipe in named_recipes(spec)]
    answered = [evidence for evidence in evidences if not evidence.shares.empty]
    waves = wave_axis(answered) if answered else []
    series, intervals = _survey_series(answered, waves)
    span = time_span(evidences)
    # Each wave at its fielding date on the pulls chart's axis (one span for both): a category axis would
    # spread "2019" and "1H 2020" over the whole width, above pull weeks years away.
    placed = wave_dates(answered) if answered else {}
    footer = " · ".join(source_lines(evidences))
    notes = [f"{evidence.label}: {evidence.sentence}" for evidence in evidences]
    notes += [f"Missing ({evidence.label}): {reason}" for evidence in evidences for reason in evidence.missing]
    notes += [f"Break ({row['wave']}): {row['break']}" for evidence in answered
              for row in evidence.shares.to_dict("records") if row["break"]]  # fmt: skip
    panel = _weeks_panel(evidences, footer, span)
    slide = Slide(
        view=spec.query(),
        kind="line",
        title=chart_title(evidences),
        subtitle="Share of organizations using it in production, by survey wave"
        + (" (95% interval)" if len(series) == 1 else " (95% intervals: the command in the notes)")
        + (", and pulls per week of its Docker Hub images: different periods" if panel else ""),
        categories=[placed[wave] for wave in waves],
        series=series,
        number_format="0%",
        footer=footer,
        table=compared_survey_table(evidences),
        command=" ; ".join(evidence.command() for evidence in evidences),
        sentence=evidences[0].sentence,
        notes=notes,
        # One series' whiskers read clearly; several series' overlap into a thicket, so a comparison has none.
        intervals=intervals if len(series) == 1 else [],
        panel=panel,
        date_span=span,
        point_names=short_waves(waves) if len(series) == 1 else [],
    )
    return slide if series else _without_survey_chart(slide)


def _without_survey_chart(slide: Slide) -> Slide:
    """No wave answers: the pulls chart alone, or, with no pulls either, the sentence that says what is missing."""
    if slide.panel is not None:
        pulls = slide.panel
        return replace(
            slide,
            kind="dates",
            subtitle=f"{pulls.subtitle}; no survey wave answers (the notes say why)",
            categories=pulls.categories,
            series=pulls.series,
            number_format=pulls.number_format,
            partial_points=pulls.partial_points,
            panel=None,
        )
    return replace(slide, kind="number", figure="No figures", categories=[], series=[], intervals=[])
