"""The Surveys page's banner: the crosstab's segmentation and more side by side, its letters, and an .xlsx.

The same banner `python -m analysis breakdown --by Q2 --by Q1` prints and `--format xlsx` writes
(`analysis.surveys.banner.banner`, `exports.workbook.banner_workbook`).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from analysis.reproduce import surveys as reproduce_surveys
from analysis.surveys.banner import banner, banner_legend
from dashboard import survey_display as survey_views
from dashboard import table_display, widgets
from dashboard.survey_weighting_panel import Weighting
from exports.workbook import BannerSheet, banner_workbook
from survey_model.survey import Survey

MAX_MORE = 4  # segmentations beside the crosstab's own: more columns than a screen (or a sheet) reads well
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(
    survey: Survey, question_id: str, item: str | None, segments: list[str], weighting: Weighting | None
) -> bytes:
    table = banner(survey, question_id, segments, item, weight=weighting.weights if weighting else None)
    source = f"Source: {survey.meta.wave} ({survey.meta.source}, sha256 {survey.meta.sha256[:12]})"
    title = f"{question_id}" + (f" ({item})" if item else "") + f" by {', '.join(segments)}"
    title += f"; {weighting.label}" if weighting else ""
    return banner_workbook([BannerSheet(table, title, source, "Letters: " + banner_legend(table))])


def banner_panel(
    survey: Survey,
    path,
    question_id: str,
    item: str | None,
    segment: str,
    candidates: list[str],
    weighting: Weighting | None,
) -> None:
    """More segmentations beside `segment` (a banner table with letters), and the banner as an Excel workbook."""
    texts = {q.id: f"{q.id}: {' '.join(q.text.split())[:120]}" for q in survey.questions}
    more = st.multiselect(
        "Banner: more segmentations side by side",
        [candidate for candidate in candidates if candidate != segment],
        key="survey_banner",
        format_func=lambda qid: texts.get(qid, qid),
        max_selections=MAX_MORE,
    )
    segments = [segment, *more]
    if more:
        table = banner(survey, question_id, segments, item, weight=weighting.weights if weighting else None)
        st.caption(widgets.literal(banner_legend(table) + (f" Shares {weighting.label}." if weighting else "")))
        shown = table_display.shown_table(survey_views.letters_table(table), survey_views.LETTER_HEADERS)
        st.dataframe(
            shown,
            hide_index=True,
            key="banner-letters",
            column_config=table_display.column_config(shown, survey_views.LETTER_HEADERS),
        )
        widgets.csv_button(table, "banner", "Banner CSV")
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "Banner (.xlsx)",
            data=partial(_workbook, survey, question_id, item, segments, weighting),
            file_name=f"banner-{question_id}.xlsx",
            mime=XLSX,
            key="banner-xlsx",
            on_click="ignore",
            icon=":material/table_view:",
            help="The banner as an analyst reads it: a sheet with shares, counts and letters, and a data sheet",
        )
        weight_file = weighting.file if weighting else None
        widgets.reproduce(reproduce_surveys.banner_command(path, question_id, item, segments, weight_file))
