"""Survey views as slides: a view spec of the Surveys page in, the numbers its chart shows out (pure).

The same analysis functions the Surveys page calls (`survey_shares.breakdown`, `survey_crosstab.crosstab`,
`survey_mappings.mapped_trend`, `survey_trend.same_question_trend`, `survey_quote`), with the page's
defaults: a link without a parameter opens what the page opens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

import settings
from analysis.errors import InvalidInput
from analysis.reproduce import surveys as reproduce_surveys
from analysis.surveys import mappings as survey_mappings
from analysis.surveys.crosstab import crosstab
from analysis.surveys.headlines import find_by_pattern
from analysis.surveys.nets import NET_COLUMN, Net, net_answer, parse_nets
from analysis.surveys.shares import BASES, Breakdowns, fold_answer
from analysis.surveys.trend import break_notes, break_sentence, mapping_row, same_question_trend
from analysis.views.share import BASE_WORDS, SHARE_COLUMNS, chart_title, share_view, slide_footer
from analysis.views.spec import Series, Slide, ViewSpec, mapping_title, short_title, short_waves
from survey_model.counts import is_counts
from survey_model.survey import GRID_TYPES, QuestionType, Survey

CHARTABLE = (QuestionType.SINGLE, QuestionType.MULTIPLE, *GRID_TYPES)
__all__ = ["BASE_WORDS", "SHARE_COLUMNS", "chart_title"]  # the Surveys page's names for the share figure's words
PRODUCTION = (r"containers for", r"^production")


def default_question(survey: Survey) -> str:
    """Containers in production where the survey asks it; else its first question that can be charted."""
    production = find_by_pattern(survey, *PRODUCTION)
    return production[0] if production else next(q.id for q in survey.questions if q.type in CHARTABLE)


def default_survey(surveys: Mapping[str, Survey]) -> str:
    """The latest CNCF Cloud Native survey with respondents' answers where containers in production is asked.

    A survey published only as tables of counts (2021) is not the page's first view: its crosstabs, weights
    and nets cannot be computed; it is one pick away, and the trends include it.
    """
    annual = [
        key
        for key, survey in surveys.items()
        if "cloud native survey" in survey.meta.wave.lower()
        and not is_counts(survey)
        and find_by_pattern(survey, *PRODUCTION)
    ]
    return max(annual, key=lambda key: surveys[key].meta.year or 0) if annual else next(iter(surveys))


def default_item(survey: Survey, question_id: str) -> str | None:
    """The grid row a question opens on: Production for containers in production, else the first row."""
    question = survey.question(question_id)
    if not question.items:
        return None
    production = find_by_pattern(survey, *PRODUCTION)
    return production[1] if production and production[0] == question_id else question.items[0]


def default_answer(table: pd.DataFrame) -> str:
    """The answer a view quotes unless it names one: the first its chart shows (the table's first row)."""
    return str(table["answer"].iloc[0])


def first_chartable(found: pd.DataFrame) -> tuple[str, str | None] | None:
    """The first match of a question search (`survey_search.search_questions`) that can be charted: (question, row)."""
    chartable = found[found["type"].isin([str(kind) for kind in CHARTABLE])]
    if chartable.empty:
        return None
    return str(chartable["question"].iloc[0]), str(chartable["grid_row"].iloc[0]) or None


def answer_trend_title(
    survey: Survey, question_id: str, item: str | None, answer: str, mappings: Mapping[str, pd.DataFrame]
) -> str:
    """The title of one answer's trend: it names that answer, and no title that names another.

    A wording mapping's name ("Kubernetes in production") is used only where the mapping follows this very
    answer; for another answer ("Evaluating") the title is the question's own words and grid row.
    """
    name = survey_mappings.find_mapping(mappings, survey, question_id, item)
    if name:
        row = mapping_row(survey, mappings[name])
        if row is not None and fold_answer(str(row["answer"])) == fold_answer(answer):
            return f"{mapping_title(name)}: “{short_title(answer, 30)}”"
    title = short_title(survey.question(question_id).text)
    return f"“{short_title(answer, 30)}”: {title}" + (f" — {short_title(item, 40)}" if item else "")


class SurveyChoice:
    """The survey, question, grid row, base and answer a view names, each checked, defaults filled in."""

    def __init__(self, spec: ViewSpec, surveys: Mapping[str, Survey], mappings: Mapping[str, pd.DataFrame]):
        if not surveys:
            raise InvalidInput("view: no survey is loaded")
        self.key = spec.get("survey") or default_survey(surveys)
        if self.key not in surveys:
            raise InvalidInput(f"view: no loaded survey is called {self.key!r} (parameter survey)")
        self.survey = surveys[self.key]
        chartable = [q.id for q in self.survey.questions if q.type in CHARTABLE]
        self.question_id = spec.get("q") or default_question(self.survey)
        if self.question_id not in chartable:
            raise InvalidInput(f"view: {self.key} has no question {self.question_id!r} to chart (parameter q)")
        question = self.survey.question(self.question_id)
        self.item = spec.get("item") or default_item(self.survey, self.question_id)
        if question.items and self.item not in question.items:
            raise InvalidInput(f"view: question {self.question_id} has no grid row {self.item!r} (parameter item)")
        self.item = self.item if question.items else None
        self.base = spec.get("base") or "answered"
        if self.base not in BASES:
            raise InvalidInput(f"view: base must be one of {', '.join(BASES)} (parameter base)")
        self.nets = parse_nets(spec.get_all("net"))
        self.net_specs = [net.spec for net in self.nets]
        self.view = share_view(self.survey, self.question_id, self.item, self.base, mappings=mappings, nets=self.nets)
        self.table = self.view.table
        if self.table.empty or not self.table["count"].any():
            raise InvalidInput(f"view: nobody answered {self.question_id} of {self.key}")
        answers = self.table["answer"].tolist()
        self.answer = net_answer(spec.get("answer"), self.nets) or default_answer(self.table)
        if self.answer not in answers:
            raise InvalidInput(f"view: {self.question_id} has no answer {self.answer!r} (parameter answer)")
        self.segment = spec.get("by")


def survey_slide(
    spec: ViewSpec, surveys: Mapping[str, Survey], paths: Mapping[str, Path], mappings: Mapping[str, pd.DataFrame]
) -> Slide:
    """The slide of a Surveys view: its shares, its crosstab (`chart=crosstab`) or its trend (`chart=trend`)."""
    choice = SurveyChoice(spec, surveys, mappings)
    if spec.chart == "crosstab":
        return _crosstab_slide(spec, choice, paths[choice.key])
    if spec.chart == "trend":
        return _trend_slide(spec, choice, surveys, paths, mappings)
    return _shares_slide(spec, choice, paths[choice.key])


def _shares_slide(spec: ViewSpec, choice: SurveyChoice, path: Path) -> Slide:
    view, table = choice.view, choice.table
    answer_command = reproduce_surveys.answer_command(
        path, choice.question_id, choice.answer, choice.item, choice.base, nets=choice.net_specs
    )
    return Slide(
        view=spec.query(),
        kind="bar",
        title=view.title,
        subtitle=view.subtitle,
        categories=table["answer"].tolist(),
        series=[Series("share", table["share"].tolist())],
        number_format="0%",
        footer=view.footer,
        table=table,
        command=reproduce_surveys.breakdown_command(
            path, choice.question_id, choice.item, choice.base, nets=choice.net_specs
        ),
        sentence=view.quote(choice.answer),
        short=view.short_quote(choice.answer),
        notes=[f"Quote: reproduce with {answer_command}"],
        intervals=[(table["ci_low"].tolist(), table["ci_high"].tolist())],
    )


def _crosstab_slide(spec: ViewSpec, choice: SurveyChoice, path: Path) -> Slide:
    segment = choice.segment
    if not segment:
        raise InvalidInput("view: a crosstab needs the segment question (parameter by)")
    if segment not in {q.id for q in choice.survey.questions} or segment == choice.question_id:
        raise InvalidInput(f"view: {choice.key} has no segment question {segment!r} (parameter by)")
    table = crosstab(choice.survey, choice.question_id, segment, choice.item, choice.base, nets=choice.nets)
    shown = ["segment", *SHARE_COLUMNS, "small_base", *([NET_COLUMN] if choice.nets else [])]
    table = table[shown].astype({"segment": str, "answer": str})
    answers = list(dict.fromkeys(table["answer"]))
    series, intervals = [], []
    for name, rows in table.groupby("segment", sort=False):
        by_answer = rows.set_index("answer")
        series.append(
            Series(f"{name} (n={int(rows['base'].iloc[0]):,})", [float(by_answer.at[a, "share"]) for a in answers])
        )
        intervals.append(
            ([float(by_answer.at[a, "ci_low"]) for a in answers], [float(by_answer.at[a, "ci_high"]) for a in answers])
        )
    segment_words = short_title(choice.survey.question(segment).text, 50)
    n_total = int(table.drop_duplicates("segment")["base"].sum())
    small = int(table["small_base"].sum())
    note = f"Base: {BASE_WORDS[choice.base]}, within each segment; segments: {segment_words}" + (
        f"; {small} cells rest on fewer than 30 respondents" if small else ""
    )
    return Slide(
        view=spec.query(),
        kind="clustered",
        title=f"{choice.view.title}, by {segment_words}",
        subtitle=choice.view.subtitle,
        categories=answers,
        series=series,
        number_format="0%",
        footer=slide_footer(choice.view.source, note, f"{n_total:,} in {len(series)} segments", choice.view.as_of),
        table=table,
        command=reproduce_surveys.breakdown_command(
            path, choice.question_id, choice.item, choice.base, by=segment, nets=choice.net_specs
        ),
        intervals=intervals,
    )


def wave_trend(
    surveys: Mapping[str, Survey],
    survey: Survey,
    question_id: str,
    item: str | None,
    answer: str,
    base: str,
    mappings: Mapping[str, pd.DataFrame],
    shares: pd.DataFrame | None = None,
    *,
    nets: Sequence[Net] = (),
) -> tuple[pd.DataFrame, str | None]:
    """The answer across waves: by the wording mapping naming the question where it gives two waves or more,
    else by identical question wording. Returns (trend table, mapping name or None).

    `shares` is the selected question's unweighted breakdown where the caller has it: it is not computed again.
    """
    if shares is not None and NET_COLUMN in shares:
        # The chart's breakdown may hold net rows: the waves' own breakdowns hold answers only.
        shares = shares[~shares[NET_COLUMN].to_numpy(dtype=bool)].drop(columns=[NET_COLUMN]).reset_index(drop=True)
    known = {Breakdowns.key(survey, question_id, item, base): shares} if shares is not None else {}
    breakdowns = Breakdowns(known)
    name = survey_mappings.find_mapping(mappings, survey, question_id, item)
    if name:
        trend = survey_mappings.mapped_trend(surveys, mappings[name], survey, item, answer, base, breakdowns, nets=nets)
        if len(trend) >= 2:
            return trend, name
    text = survey.question(question_id).text
    return same_question_trend(surveys, text, item, answer, base, breakdowns, nets=nets), None


def _trend_command(
    trend: pd.DataFrame, choice: SurveyChoice, surveys: Mapping[str, Survey], paths: Mapping[str, Path], mapping
) -> str:
    files = reproduce_surveys.trend_files(trend, surveys, paths)
    text = None if mapping else choice.survey.question(choice.question_id).text
    mapping_file = settings.MAPPINGS_DIR / f"{mapping}.csv" if mapping else None
    return reproduce_surveys.trend_command(
        files, choice.answer, choice.item, choice.base, mapping=mapping_file, question_text=text, nets=choice.net_specs
    )


def _trend_slide(
    spec: ViewSpec,
    choice: SurveyChoice,
    surveys: Mapping[str, Survey],
    paths: Mapping[str, Path],
    mappings: Mapping[str, pd.DataFrame],
) -> Slide:
    trend, mapping = wave_trend(
        surveys,
        choice.survey,
        choice.question_id,
        choice.item,
        choice.answer,
        choice.base,
        mappings,
        choice.view.breakdown,
        nets=choice.nets,
    )
    if len(trend) < 2:
        raise InvalidInput(f"view: no other loaded survey asks {choice.question_id} of {choice.key}: no trend")
    how = (
        f"waves matched by the wording mapping {mapping}" if mapping else "waves matched by identical question wording"
    )
    low, high = trend["ci_low"].tolist(), trend["ci_high"].tolist()
    base_words = f"Base: {BASE_WORDS[choice.base]}, {how}; whiskers: 95% Wilson interval"
    waves = "; ".join(dict.fromkeys(trend["wave"]))
    return Slide(
        view=spec.query(),
        kind="line",
        title=answer_trend_title(choice.survey, choice.question_id, choice.item, choice.answer, mappings),
        subtitle=choice.view.subtitle,
        categories=[
            f"{wave} (n={int(n):,})" for wave, n in zip(short_waves(list(trend["wave"])), trend["base"], strict=True)
        ],
        series=[Series(choice.answer, trend["share"].tolist())],
        number_format="0%",
        footer=f"Source: {waves} · {base_words} · n = {'; '.join(f'{int(n):,}' for n in trend['base'])} · "
        "Data: each survey's fieldwork",
        table=trend,
        command=_trend_command(trend, choice, surveys, paths, mapping),
        intervals=[(low, high)],
        sentence=break_sentence(trend),
        notes=break_notes(trend),
    )
