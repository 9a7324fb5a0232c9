"""The Surveys page's weighting panel: rake the survey to target margins typed in, then weight every figure."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.errors import AnalysisError
from analysis.reproduce import surveys as reproduce_surveys
from analysis.surveys.shares import fold_answer
from analysis.surveys.weighting import read_targets
from analysis.surveys.weights_file import RakedWeights, weights_table
from dashboard import survey_loaders as loaders
from dashboard import widgets
from dashboard.markup import literal
from survey_model.counts import is_counts
from survey_model.survey import QuestionType, Survey

MAX_TARGET_ANSWERS = 30  # a target question with more answers is no margin anyone knows
MAX_TARGETS_BYTES = 64_000  # a row per answer, at most MAX_TARGET_ANSWERS: far below this
WEIGHTS_FILE = "weights.csv"
MARGIN_COLUMN_CONFIG = {
    "sample_share": st.column_config.NumberColumn("sample", format="percent"),
    "target": st.column_config.NumberColumn("target used", format="percent"),
    "weighted_share": st.column_config.NumberColumn("weighted", format="percent"),
    "gap": st.column_config.NumberColumn("gap", format="percent"),
}


@dataclass(frozen=True)
class Weighting:
    """The weights the page applies, with what the figures say about them and the file a command reads them from."""

    weights: RakedWeights
    key: tuple
    label: str
    file: str = WEIGHTS_FILE


def _candidates(survey: Survey) -> list[str]:
    return [
        question.id
        for question in survey.questions
        if question.type == QuestionType.SINGLE and 1 < len(question.options) <= MAX_TARGET_ANSWERS
    ]


def _uploaded_targets(survey: Survey, question_id: str) -> tuple[pd.DataFrame | None, str]:
    """A targets CSV uploaded for one question (answer,target), read as the CLI reads it; (None, "") without one."""
    upload = st.file_uploader(
        f"…or upload {question_id}'s targets (CSV: answer,target — shares, percents or counts)",
        type=["csv"],
        key=f"rake-upload-{survey.meta.sha256[:12]}-{question_id}",
        max_upload_size=1,
    )
    if upload is None:
        return None, ""
    data = upload.getvalue()
    if len(data) > MAX_TARGETS_BYTES:
        st.error(literal(f"{question_id}: a targets file holds one row per answer; over {MAX_TARGETS_BYTES:,} bytes."))
        return None, ""
    # Read from a private temporary file: the CLI's reader opens a user's file by path, through one guard.
    with tempfile.TemporaryDirectory(prefix="targets-") as folder:
        path = Path(folder) / "targets.csv"
        path.write_bytes(data)
        try:
            table = read_targets(path, name=upload.name)
        except AnalysisError as error:
            st.error(f"Targets not used: {widgets.literal(str(error))}")
            return None, ""
    return table.assign(target=table["target"] / table["target"].sum() * 100), hashlib.sha256(data).hexdigest()[:12]


def _target_editor(survey: Survey, question_id: str, uploaded: pd.DataFrame | None, version: str) -> pd.DataFrame:
    """The editable target percentages of one question, seeded with the uploaded targets, else the sample's shares."""
    sample = loaders.share_table(survey.meta.sha256, question_id, None, "answered", survey)
    seed = pd.DataFrame(
        {"answer": sample["answer"], "sample %": sample["share"] * 100, "target %": (sample["share"] * 100).round(1)}
    )
    if uploaded is not None:
        given = dict(zip(uploaded["answer"].map(fold_answer), uploaded["target"], strict=True))
        seed = seed.assign(target=[given.get(fold_answer(answer), 0.0) for answer in seed["answer"]])
        seed = seed.assign(**{"target %": seed.pop("target").round(2)})
    # A new upload is a new grid (its key names the file), seeded from it; typed edits are kept per grid.
    return st.data_editor(
        seed,
        key=f"rake-targets-{survey.meta.sha256[:12]}-{question_id}" + (f"-{version}" if version else ""),
        disabled=["answer", "sample %"],
        hide_index=True,
        column_config={
            "sample %": st.column_config.NumberColumn(format="%.1f"),
            "target %": st.column_config.NumberColumn(min_value=0.0, format="%.1f"),
        },
    )


def _downloads(survey: Survey, targets: dict[str, pd.DataFrame], weights: RakedWeights) -> None:
    with st.container(horizontal=True, gap="small"):
        for question_id, table in targets.items():
            widgets.csv_button(
                table[["answer", "target %"]].rename(columns={"target %": "target"}),
                f"targets-{question_id}",
                f"targets-{question_id}.csv",
            )
        widgets.csv_button(weights_table(weights), "weights", WEIGHTS_FILE)


def weighting_panel(survey: Survey, path: Path) -> Weighting | None:
    """The weighting expander; returns the weights to apply, or None when the page stays unweighted."""
    sha = survey.meta.sha256
    if is_counts(survey):
        st.caption("Unweighted: published tables hold counts, not respondents, so they cannot be raked.")
        return None
    texts = {q.id: f"{q.id}: {' '.join(q.text.split())[:100]}" for q in survey.questions}
    with st.expander("Weighting: rake to known margins", icon=":material/balance:"):
        chosen = st.multiselect(
            "Rake to (single-choice questions whose true shares you know)",
            _candidates(survey),
            key=f"rake-questions-{sha[:12]}",
            format_func=texts.get,
        )
        if not chosen:
            st.caption("Unweighted. Pick the questions to rake to, type each answer's target %, then switch it on.")
            return None
        uploads = {question_id: _uploaded_targets(survey, question_id) for question_id in chosen}
        # In a form: a typed target is sent with every other one when applied, never by a rerun of its own.
        # Edits sent one by one, each starting a page run, were dropped when the next came while one ran.
        with st.form(f"rake-form-{sha[:12]}", border=False, enter_to_submit=False):
            targets = {
                question_id: _target_editor(survey, question_id, *uploads[question_id]) for question_id in chosen
            }
            cap = st.number_input("Cap: largest weight, as a multiple of the mean (0: none)", 0.0, 100.0, 0.0, 0.5)
            st.form_submit_button("Apply targets", icon=":material/check:", type="primary")
        st.caption("Type every target, then press Apply targets: the figures use the targets last applied.")
        if not st.toggle("Weight every figure on this page", key=f"rake-on-{sha[:12]}"):
            return None
        key = tuple(
            (question_id, tuple(zip(table["answer"], table["target %"].astype(float), strict=True)))
            for question_id, table in targets.items()
        )
        try:
            report = loaders.raking(sha, key, cap or None, survey)
        except AnalysisError as error:
            st.error(f"Not weighted: {widgets.literal(str(error))}")
            return None
        (st.caption if report.converged else st.warning)(
            "  \n".join(widgets.literal(line) for line in report.summary())
        )
        st.caption("The targets used, beside what the weights reach:")
        st.dataframe(
            report.margins, hide_index=True, key=f"rake-margins-{sha[:12]}", column_config=MARGIN_COLUMN_CONFIG
        )
        _downloads(survey, targets, report.weights)
        files = {question_id: f"targets-{question_id}.csv" for question_id in chosen}
        widgets.reproduce(reproduce_surveys.weight_command(path, files, cap or None, WEIGHTS_FILE))
    return Weighting(report.weights, key + ((cap,),), report.weights.label)
