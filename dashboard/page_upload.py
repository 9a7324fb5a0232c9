"""Upload: a survey file through the browser, checked and previewed; nothing from it is rendered as HTML."""

from __future__ import annotations

import streamlit as st

from dashboard import survey_loaders as loaders
from dashboard import widgets
from dashboard.uploads import SHARED_OWNER, UploadPolicy, UploadRefused, pair_files
from survey_model.counts import is_counts

ACCEPTED = ["csv", "tsv", "txt", "xlsx"]


def _layouts() -> list[str]:
    import collectors.surveys as surveys

    return ["auto", *getattr(surveys, "LAYOUTS", ())]


def _preview(key: str, survey) -> None:
    meta = survey.meta
    st.success("Loaded. It is now listed on the Surveys page.")
    widgets.card(
        "Respondents",
        f"{meta.respondents:,}",
        [
            f"Detected format: {meta.layout}",
            f"Wave: {meta.wave}",
            f"File: {meta.source}",
            f"sha256: {meta.sha256}",
            f"Questions: {len(survey.questions)}",
        ],
    )
    if survey.report:
        st.subheader("Load report (repairs and warnings)")
        st.code("\n".join(survey.report), language=None, wrap_lines=True)
    st.subheader("Questions")
    st.dataframe(
        [
            {"id": q.id, "type": str(q.type), "text": q.text, "grid_rows": len(q.items), "options": len(q.options)}
            for q in survey.questions
        ],
        hide_index=True,
    )
    if is_counts(survey):
        # Published tables have no responses: their first counts are what the file holds.
        st.subheader("First counts (published tables: answers are counts, not respondents)")
        st.dataframe(survey.counts.head(50), hide_index=True)
    else:
        st.subheader("First responses")
        st.dataframe(survey.responses.head(50), hide_index=True)
    if st.button("Open in Surveys", icon=":material/arrow_forward:"):
        st.session_state["survey_key"] = key
        st.switch_page("app_pages/surveys.py")


def _keeping(policy: UploadPolicy) -> str:
    hours = f"{policy.ttl_seconds / 3600:g} h"
    if policy.owner == SHARED_OWNER:
        return f"The file is kept on this server for {hours} and listed for every visitor."
    return (
        f"The file is kept on this server for {hours}, listed only in this browser session "
        f"(up to {policy.session_quota / 1024 / 1024:.0f} MB of files)."
    )


def render() -> None:
    """Lay out the page."""
    st.title("Upload a survey")
    cap = loaders.upload_cap_bytes()
    policy = loaders.upload_policy()
    st.caption(
        widgets.literal(
            f"CSV exports of SurveyMonkey, Google Forms, Qualtrics, Stack Overflow-style, tidy long or plain "
            "wide tables, or published tables of counts (an .xlsx workbook of 'Question N' sheets); "
            f"up to {cap / 1024 / 1024:.0f} MB. {_keeping(policy)}"
        )
    )
    if not loaders.loader_available():
        st.warning("Survey loading is not part of this installation yet.")
        return
    layout = st.selectbox("Format", _layouts(), help="Leave on auto unless detection picked the wrong format")
    files = st.file_uploader(
        "Survey file (a Stack Overflow-style export with its schema CSV: both files at once)",
        type=ACCEPTED,
        accept_multiple_files=True,
        max_upload_size=max(1, cap // (1024 * 1024)),
    )
    if not files:
        return
    too_big = next((upload for upload in files if upload.size > cap), None)
    if too_big is not None:
        st.error(
            f"This file is {too_big.size / 1024 / 1024:.1f} MB, over the {cap / 1024 / 1024:.0f} MB cap "
            "(ADOPTION_UPLOAD_MAX_MB). Load it from the command line instead."
        )
        return
    from collectors.surveys import SurveyError

    try:
        (name, data), schema = pair_files([(upload.name, upload.getvalue()) for upload in files])
        path = loaders.keep_upload(name, data)
        if schema is not None:
            loaders.keep_schema(path, schema[1])
    except UploadRefused as error:
        st.error(f"This upload was not kept: {widgets.literal(str(error))}.")
        return
    try:
        survey = loaders.load(path, None if layout == "auto" else layout)
    except SurveyError as error:
        loaders.forget_upload(path)
        st.error("This file could not be read:")
        st.code(str(error), language=None, wrap_lines=True)
        return
    _preview(f"{loaders.UPLOAD_PREFIX}{path.parent.name[:12]}", survey)
