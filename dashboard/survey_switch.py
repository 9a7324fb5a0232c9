"""A survey switch on the Surveys page: the same question where the new survey asks it, else the search for it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.surveys import mappings as survey_mappings
from analysis.surveys import search as survey_search
from analysis.views import spec as views
from analysis.views import surveys as views_surveys
from dashboard import survey_loaders as loaders
from survey_model.survey import Survey

SHOWN_KEY = "_survey_shown"  # (survey key, question id, grid row) drawn last, to follow the question on a switch
NOTICE_KEY = "_survey_notice"
HERE_KEY = "survey_search_here"  # the search lists the shown survey's questions only
QUOTED_CHARS = 90  # of the question named in the note, which stays on one line


def scope(surveys: dict[str, Survey], shown: str | None) -> dict[str, Survey]:
    """The surveys the question search looks in: the shown one where its box is ticked, else every one."""
    return {shown: surveys[shown]} if st.session_state.get(HERE_KEY) and shown in surveys else surveys


def found_caption(found: pd.DataFrame, scope: dict[str, Survey]) -> str:
    """How many questions the search found, and where it looked."""
    if len(scope) == 1:
        return f"{len(found)} questions of {next(iter(scope.values())).meta.wave} match."
    return f"{len(found)} questions in {found['survey'].nunique() if len(found) else 0} surveys match."


def switch_survey(surveys: dict[str, Survey]) -> None:
    """Keep the question on a survey switch where the new survey asks it (same text or a wording mapping).

    Otherwise fill the question search with the key words of the question that the new survey holds, search
    that survey only, open its closest question below and say so in one line.
    """
    for key in ("survey_question", "survey_item", "survey_answer", "survey_by"):
        st.session_state.pop(key, None)
    shown, new_key = st.session_state.get(SHOWN_KEY), st.session_state.get("survey_key")
    if not shown or shown[0] not in surveys or new_key not in surveys:
        return
    old_key, question_id, item = shown
    old, new = surveys[old_key], surveys[new_key]
    found = survey_mappings.same_question_in(loaders.mappings(), old, question_id, item, new)
    if found is not None and new.question(found[0]).type in views_surveys.CHARTABLE:
        st.session_state["survey_question"] = found[0]
        if found[1]:
            st.session_state["survey_item"] = found[1]
        return
    _search_for(old.question(question_id), item, f"{old_key} {question_id}", new_key, new)


def _search_for(question, item: str | None, origin: str, new_key: str, new: Survey) -> None:
    query = survey_search.closest_search(question, item, new_key, new)
    # Where nothing there holds a key word, the box still shows what was looked for (and finds nothing there).
    st.session_state["survey_search"] = query or " ".join(survey_search.key_words(f"{item or ''} {question.text}"))
    st.session_state[HERE_KEY] = True
    st.session_state.pop("survey_match", None)
    closest = views_surveys.first_chartable(loaders.question_search((new.meta.sha256,), query, {new_key: new}))
    asked = views.short_title(question.text, QUOTED_CHARS) + (f" — {item}" if item else "")
    not_asked = f"{new.meta.wave} does not ask “{asked}” ({origin})"
    if closest is None:
        st.session_state["survey_question"] = views_surveys.default_question(new)
        st.session_state[NOTICE_KEY] = (
            f"{not_asked}, and none of its questions holds a key word of it: showing its default question, "
            f"{st.session_state['survey_question']}; search above or pick another below."
        )
        return
    st.session_state["survey_question"], row = closest
    if row:
        st.session_state["survey_item"] = row
    st.session_state[NOTICE_KEY] = (
        f"{not_asked}: the search above lists its closest questions there; the closest, {closest[0]}"
        + (f" ({row})" if row else "")
        + ", is shown below."
    )
