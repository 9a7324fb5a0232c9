"""The Overview's headline trends as slides: containers or Kubernetes in production, by year (pure).

The same `survey_headlines.survey_headlines` the Overview calls, split the same way (`comparable`,
`left_off`): a year whose answers cannot be compared (codes without labels) is left off the chart and
its reason goes to the notes, as the page says it under the chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError, InvalidInput
from analysis.reproduce import surveys as reproduce_surveys
from analysis.surveys import headlines as survey_headlines
from analysis.surveys import quote as survey_quote
from analysis.surveys.trend import break_notes, break_sentence
from analysis.views.spec import Series, Slide, ViewSpec
from survey_model.survey import Survey


def year_label(row) -> str:
    """The year a headline row stands for (its wave's name where the survey has no year)."""
    return str(row.year or row.wave)


def trend_title(topic: str) -> str:
    """The title of a headline's chart by year."""
    return f"{topic}, CNCF surveys by year"


def year_note(row) -> str:
    """One year of a headline trend as a sentence: share, 95% interval and n."""
    return (
        f"{row.wave}: {survey_quote.percent(row.share)} (95% CI {survey_quote.percent(row.ci_low)}–"
        f"{survey_quote.percent(row.ci_high)}, n = {row.base:,})"
    )


def left_off_note(row) -> str:
    """Why one year of a headline is not on its chart."""
    return f"Left off: {year_label(row)} ({row.wave}), {row.reason}"


def year_command(row, paths: Mapping[str, Path]) -> str:
    """The command a year's card shows, or why there is none."""
    try:
        return f"Reproduce {year_label(row)}: {reproduce_surveys.headline_command(row._asdict(), paths[row.survey])}"
    except AnalysisError as error:
        return f"Reproduce {year_label(row)}: none ({error})"


def topic_of(chart: str) -> str:
    """The headline topic an Overview chart name stands for; raises InvalidInput for another name."""
    topics = {survey_headlines.chart_name(recipe.topic): recipe.topic for recipe in survey_headlines.RECIPES}
    if chart not in topics:
        raise InvalidInput(f"view: the Overview has no headline chart {chart!r}")
    return topics[chart]


def headline_slide(
    spec: ViewSpec,
    surveys: Mapping[str, Survey],
    paths: Mapping[str, Path],
    mappings: Mapping[str, pd.DataFrame],
) -> Slide:
    """The slide of one Overview headline trend (`chart=headline-containers`, `chart=headline-kubernetes`)."""
    topic = topic_of(spec.chart)
    table = survey_headlines.survey_headlines(surveys, mappings=mappings)
    shown, skipped = survey_headlines.comparable(table), survey_headlines.left_off(table)
    rows = shown[shown["topic"] == topic].reset_index(drop=True)
    skipped = skipped[skipped["topic"] == topic]
    if rows.empty:
        raise InvalidInput(f"view: no loaded survey gives a share for {topic.lower()}")
    command = reproduce_surveys.headline_trend_command(rows, surveys, paths, mappings) or ""
    years = list(rows.itertuples())
    per_year = "; ".join
    return Slide(
        view=spec.query(),
        kind="line",
        title=trend_title(topic),
        subtitle="Share of respondents who answered, by year: "
        + per_year(f"{year_label(r)} {r.question} “{r.answer}” ({r.item or 'no grid row'})" for r in years)
        + "; whiskers: 95% Wilson interval",
        categories=[f"{year_label(r)} (n={r.base:,})" for r in years],
        series=[Series(topic, rows["share"].tolist())],
        number_format="0%",
        footer=f"Source: {per_year(dict.fromkeys(rows['wave']))} · Base: respondents who answered · "
        f"n = {per_year(f'{year_label(r)}: {r.base:,}' for r in years)} · "
        f"Date: {per_year(f'{year_label(r)}: {r.fielded}' for r in years)}",
        table=rows,
        command=command,
        sentence=" ".join(part for part in (year_note(years[-1]), break_sentence(rows)) if part),
        notes=[year_note(r) for r in years]
        + break_notes(rows)
        + [left_off_note(r) for r in skipped.itertuples()]
        + [year_command(r, paths) for r in years],
        intervals=[(rows["ci_low"].tolist(), rows["ci_high"].tolist())],
    )
