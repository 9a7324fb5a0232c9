"""Surveys: search questions across every loaded survey, shares with intervals, crosstabs, trends, quotes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.errors import AnalysisError
from analysis.reproduce import surveys as reproduce_surveys
from analysis.surveys import crosstab as survey_crosstab
from analysis.surveys import quote as survey_quote
from analysis.surveys.banner import banner_legend
from analysis.surveys.trend import break_notes
from analysis.views import spec as views
from analysis.views import surveys as views_surveys
from analysis.views.share import BASE_WORDS, ShareView
from dashboard import charts, state, survey_switch, table_display, widgets
from dashboard import survey_display as survey_views
from dashboard import survey_loaders as loaders
from dashboard.survey_banner_panel import banner_panel
from dashboard.survey_net_panel import net_builder
from dashboard.survey_weighting_panel import Weighting, weighting_panel
from dashboard.talkpack import Exhibit
from survey_model.survey import QuestionType, Survey

BASES = BASE_WORDS
DEFAULT_BASE = "answered"
SEGMENT_TYPES = (QuestionType.SINGLE,)


def _source(survey: Survey) -> str:
    return f"{survey.meta.wave} ({survey.meta.source})"


def _jump(match_key: str) -> None:
    """Set survey and question from the search match the user picked."""
    picked = st.session_state.get(match_key)
    if picked:
        survey_key, question_id, row, answer = picked.split("\x1f")
        st.session_state["survey_key"] = survey_key
        st.session_state["survey_question"] = question_id
        st.session_state.pop("survey_item", None)
        if row:
            st.session_state["survey_item"] = row
        # The answer the search named ("… in production") is the one to quote; else the page's first answer.
        # Never "" -> the link's old answer: a search that names none opens the first answer of the new question.
        st.session_state["survey_answer"] = answer


def _search(surveys: dict[str, Survey]) -> None:
    state.seed_text("survey_search", "search", "")
    text = st.text_input(
        "Search the questions of every loaded survey",
        key="survey_search",
        placeholder="production, kubernetes, company size…",
    )
    state.seed_flag(survey_switch.HERE_KEY, "search_here", False)
    st.checkbox("Only in the survey shown below", key=survey_switch.HERE_KEY)
    if not text.strip():
        return
    scope = survey_switch.scope(surveys, st.session_state.get("survey_key"))
    found = loaders.question_search(tuple(s.meta.sha256 for s in scope.values()), text.strip(), scope)
    st.caption(widgets.literal(survey_switch.found_caption(found, scope)))
    labels = {
        f"{row.survey}\x1f{row.question}\x1f{row.grid_row}\x1f{row.answer}": f"{row.survey} · {row.question}: "
        f"{row.text[:120]}"
        + (f" — {row.grid_row}" if row.grid_row else "")
        + (f" → “{row.answer}”" if row.answer else "")
        for row in found.itertuples()
    }
    options = list(labels)
    st.selectbox(
        "Open a match",
        options,
        index=None,
        key="survey_match",
        format_func=labels.get,
        on_change=_jump,
        args=("survey_match",),
        placeholder="Pick a question to open it…",
    )
    with st.expander("All matches"):
        st.dataframe(found, hide_index=True)


def _choose(surveys: dict[str, Survey]) -> tuple[str, Survey, str, str | None, str]:
    keys = list(surveys)
    key = st.selectbox(
        "Survey",
        keys,
        key="survey_key",
        format_func=lambda k: f"{surveys[k].meta.wave} · {k}",
        on_change=survey_switch.switch_survey,
        args=(surveys,),
    )
    survey = surveys[key]
    notice = st.session_state.pop(survey_switch.NOTICE_KEY, None)
    if notice:
        st.info(widgets.literal(notice))
    questions = [q.id for q in survey.questions if q.type in views_surveys.CHARTABLE]
    state.seed_text("survey_question", "q", views_surveys.default_question(survey), allowed=questions)
    if st.session_state.get("survey_question") not in questions:
        st.session_state["survey_question"] = questions[0]
    texts = {q.id: f"{q.id}: {' '.join(q.text.split())[:140]}" for q in survey.questions}
    question_id = st.selectbox("Question", questions, key="survey_question", format_func=texts.get)
    question = survey.question(question_id)
    for warning in question.warnings:  # shifted headers and the like: said beside the question, never silently
        st.warning(widgets.literal(f"{question_id}: {warning}"))
    item = None
    if question.items:
        state.seed_text("survey_item", "item", views_surveys.default_item(survey, question_id), allowed=question.items)
        if st.session_state.get("survey_item") not in question.items:
            st.session_state["survey_item"] = question.items[0]
        item = st.selectbox("Grid row", list(question.items), key="survey_item")
    state.seed_text("survey_base", "base", DEFAULT_BASE, allowed=list(BASES))
    base = st.radio("Base", list(BASES), key="survey_base", format_func=BASES.get, horizontal=True)
    st.session_state[survey_switch.SHOWN_KEY] = (key, question_id, item)
    return key, survey, question_id, item, base


def _weighted(weighting: Weighting | None) -> dict:
    """The loaders' weighting arguments: a hashable key and the weights themselves."""
    return {"weighting": weighting.key, "_weight": weighting.weights} if weighting else {}


def _shares(
    survey: Survey, path, question_id: str, item: str | None, base: str, weighting: Weighting | None, nets: tuple
):
    """The share chart; returns its figure (`analysis.views.share`), or None when nobody answered."""
    view = loaders.share_view(survey.meta.sha256, question_id, item, base, survey, **_weighted(weighting), nets=nets)
    if view.table.empty:
        st.info("Nobody answered this question or grid row.")
        return None
    # A short title that cuts no word; the whole question under the bars, as the deck's subtitle.
    figure = charts.share_bars(
        view.table,
        view.title,
        charts.footer_text(view.source, view.as_of),
        [view.subtitle, view.base_note],
        slide=widgets.slide_mode(),
    )
    command = reproduce_surveys.breakdown_command(path, question_id, item, base, weight=_file(weighting), nets=nets)
    widgets.show_chart(
        Exhibit(
            deck_chart="shares",
            key=f"survey-{question_id}",
            title=f"{question_id} {item or ''}",
            source=view.source,
            as_of=view.as_of,
            figure=figure,
            table=view.table,
            notes=[view.base_note, f"Reproduce: {command}"],
        )
    )
    widgets.reproduce(command)  # the base note is in the figure, once
    return view


def _as_of(survey: Survey) -> str:
    return survey_quote.fielded(survey.meta)


def _file(weighting: Weighting | None) -> str | None:
    return weighting.file if weighting else None


def _quote(path, question_id, item, base, view: ShareView, weighting: Weighting | None, nets: tuple) -> str | None:
    answers = view.table["answer"].tolist()
    state.seed_text("survey_answer", "answer", answers[0], allowed=answers)
    if st.session_state.get("survey_answer") not in answers:
        st.session_state["survey_answer"] = answers[0]
    answer = st.selectbox("Answer to quote", answers, key="survey_answer")
    try:
        sentence = view.quote(answer)
    except AnalysisError as error:
        st.info(widgets.literal(f"Nothing to quote: {error}"))
        return None
    st.code(sentence, language=None, wrap_lines=True)
    short = view.short_quote(answer)
    st.caption("The same in at most 160 characters, for a slide:")
    st.code(short, language=None, wrap_lines=True)
    command = reproduce_surveys.answer_command(path, question_id, answer, item, base, _file(weighting), nets=nets)
    widgets.reproduce(command)
    shown = widgets.current_exhibits()
    if shown:
        shown[-1].notes += [sentence, f"Short: {short}", f"Reproduce: {command}"]
    return answer


def _segments(
    survey: Survey, path, question_id: str, item: str | None, weighting: Weighting | None, nets: tuple
) -> str | None:
    candidates = [
        q.id
        for q in survey.questions
        if q.type in SEGMENT_TYPES and q.id != question_id and len(q.options) <= survey_crosstab.MAX_SEGMENTS
    ]
    state.seed_text("survey_by", "by", "", allowed=["", *candidates])
    texts = {q.id: f"{q.id}: {' '.join(q.text.split())[:120]}" for q in survey.questions}
    segment = st.selectbox(
        "Crosstab by (company size, region, job…)",
        ["", *candidates],
        key="survey_by",
        format_func=lambda qid: texts.get(qid, "(none)"),
    )
    if not segment:
        return None
    try:
        table = loaders.segment_table(
            survey.meta.sha256, question_id, item, segment, survey, **_weighted(weighting), nets=nets
        )
    except AnalysisError as error:
        # Published tables (counts, not respondents) cannot be crossed: said once, and the page goes on.
        st.error(widgets.literal(str(error)))
        return None
    rows = survey_views.chart_rows(table)
    small = int(rows["small_base"].sum())
    note = f"Segments: {charts.plain(survey.question(segment).text, 80)}; hatched bars: base under 30"
    note += f"; {weighting.label}" if weighting else ""
    figure = charts.grouped_share_bars(
        rows,
        f"{views_surveys.chart_title(survey, question_id, item, loaders.mappings())}, by "
        + views.short_title(survey.question(segment).text, 50),
        charts.footer_text(_source(survey), _as_of(survey)),
        note,
        slide=widgets.slide_mode(),
    )
    command = reproduce_surveys.breakdown_command(
        path, question_id, item, by=segment, weight=_file(weighting), nets=nets
    )
    widgets.show_chart(
        Exhibit(
            deck_chart="crosstab",
            key=f"crosstab-{question_id}-{segment}",
            title=f"{question_id} by {segment}",
            source=_source(survey),
            as_of=_as_of(survey),
            figure=figure,
            table=table,
            notes=[note, banner_legend(table), f"Reproduce: {command}"],
        )
    )
    widgets.reproduce(command)
    _letters(table, weighting)
    banner_panel(survey, path, question_id, item, segment, candidates, weighting)
    if small:
        st.warning(f"{small:,} cells rest on fewer than 30 respondents: read them as indications only.")
    return segment


def _letters(table, weighting: Weighting | None) -> None:
    """The crosstab's numbers under its chart: share, count, base and significance letters, the legend above."""
    st.caption(widgets.literal(banner_legend(table) + (f" Shares {weighting.label}." if weighting else "")))
    shown = table_display.shown_table(survey_views.letters_table(table), survey_views.LETTER_HEADERS)
    st.dataframe(
        shown,
        hide_index=True,
        key="crosstab-letters",
        column_config=table_display.column_config(shown, survey_views.LETTER_HEADERS),
    )


def _waves(
    surveys: dict[str, Survey],
    survey: Survey,
    question_id: str,
    item: str | None,
    answer: str,
    base: str,
    shares: pd.DataFrame | None,
    nets: tuple = (),
) -> None:
    hashes = tuple(s.meta.sha256 for s in surveys.values())
    text = survey.question(question_id).text
    trend, mapping = loaders.wave_trend_table(
        hashes, survey.meta.sha256, question_id, item, answer, base, surveys, shares, nets=nets
    )
    how = (
        f"Waves matched by the wording mapping data/surveys/mappings/{mapping}.csv"
        if mapping
        else "Waves matched by identical question wording (no wording mapping names this question and answer)"
    )
    st.subheader("Same question across surveys")
    if len(trend) < 2:
        st.caption("No other loaded survey asks this question with the same wording, and no wording mapping names it.")
        return
    st.caption(
        widgets.literal(
            f"{how}; base: {BASES[base]}; change from the previous wave in percentage points, two-sided "
            "p-value of a two-proportion z-test."
        )
    )
    figure = charts.share_trend(
        trend,
        views_surveys.answer_trend_title(survey, question_id, item, answer, loaders.mappings()),
        charts.footer_text("; ".join(trend["wave"]), "each survey's fieldwork"),
        slide=widgets.slide_mode(),
    )
    files = reproduce_surveys.trend_files(trend, surveys, loaders.catalogue())
    command = reproduce_surveys.trend_command(
        files,
        answer,
        item,
        base,
        mapping=loaders.mapping_path(mapping) if mapping else None,
        question_text=None if mapping else text,
        nets=nets,
    )
    widgets.show_chart(
        Exhibit(
            deck_chart="trend",
            key=f"trend-{question_id}",
            title=f"{question_id} across surveys",
            source="; ".join(trend["wave"]),
            as_of="see each wave",
            figure=figure,
            table=trend,
            notes=[how, *break_notes(trend), f"Reproduce: {command}"],
        )
    )
    for note in break_notes(trend):
        st.caption(widgets.literal(note))
    widgets.reproduce(command)
    # A static table: a few waves, every column shown at once (as on a slide), and no data grid to load.
    st.table(survey_quote.trend_display(trend), hide_index=True)


def render() -> None:
    """Lay out the page."""
    st.title("Surveys")
    if not loaders.loader_available():
        st.warning("Survey loading is not part of this installation yet.")
        return
    surveys, problems = loaders.load_all()
    for key, problem in problems.items():
        st.error(widgets.literal(f"{key} could not be read:"))
        st.code(problem, language=None)
    if not surveys:
        st.info("No survey is loaded: add one on the Upload page.")
        return
    # The survey is seeded first: the search above its picker may look in it only.
    state.seed_text("survey_key", "survey", views_surveys.default_survey(surveys), allowed=list(surveys))
    _search(surveys)
    key, survey, question_id, item, base = _choose(surveys)
    path = loaders.catalogue()[key]
    weighting = weighting_panel(survey, path)
    nets = net_builder(survey, question_id)
    view = _shares(survey, path, question_id, item, base, weighting, nets)
    answer = _quote(path, question_id, item, base, view, weighting, nets) if view else None
    segment = _segments(survey, path, question_id, item, weighting, nets)
    if answer:
        if weighting:
            st.caption(
                widgets.literal(f"The trend below is unweighted: the weighting ({weighting.label}) is of {key} only.")
            )
        # The trend is unweighted: the chart's breakdown serves it only when the chart is unweighted too.
        _waves(surveys, survey, question_id, item, answer, base, None if weighting else view.breakdown, nets)
    state.publish(
        {
            "survey": key,
            "q": question_id,
            "item": item,
            "base": base,
            "by": segment,
            "answer": st.session_state.get("survey_answer"),
            "search": st.session_state.get("survey_search"),
            "search_here": True if st.session_state.get(survey_switch.HERE_KEY) else None,
            "net": list(nets),
        }
    )


def preload() -> None:
    """Fill the caches this page's first run reads (default survey, question and answer), before any visitor."""
    surveys = loaders.load_embedded()
    if not surveys:
        return
    survey = surveys[views_surveys.default_survey(surveys)]
    question_id = views_surveys.default_question(survey)
    item = views_surveys.default_item(survey, question_id) if survey.question(question_id).items else None
    # The same arguments as the page's first run (no nets yet), or the cache keys would differ.
    view = loaders.share_view(survey.meta.sha256, question_id, item, DEFAULT_BASE, survey, nets=())
    if not view.table.empty:
        hashes = tuple(s.meta.sha256 for s in surveys.values())
        answer = view.table["answer"].iloc[0]
        loaders.wave_trend_table(
            hashes, survey.meta.sha256, question_id, item, answer, DEFAULT_BASE, surveys, view.breakdown, nets=()
        )
