"""The Surveys page's net builder: name a net and pick its answers; kept in the view as `net=NAME=A|B`."""

from __future__ import annotations

import streamlit as st

from analysis.surveys.nets import Net, parse_net
from dashboard import state
from survey_model.survey import Survey

NAME_KEY = "survey_net_name"
ANSWERS_KEY = "survey_net_answers"
PARAM = "net"
MAX_NAME_CHARS = 80


def _seed() -> None:
    """The builder's first values from the link's `net` parameter (a bad one is ignored with a notice)."""
    if NAME_KEY in st.session_state:
        return
    net = state.read_param(PARAM, parse_net, max_chars=state.MAX_TEXT_CHARS)
    st.session_state[NAME_KEY] = net.name[:MAX_NAME_CHARS] if net else ""  # the box refuses a longer value
    st.session_state[ANSWERS_KEY] = list(net.answers) if net else []


def net_builder(survey: Survey, question_id: str) -> tuple[str, ...]:
    """Lay out the builder; return the net as `NAME=A|B` (empty when no name or no answer is given)."""
    _seed()
    options = list(dict.fromkeys(survey.question(question_id).options))
    # Answers of another question (the question changed) are dropped: a multiselect refuses values not on offer.
    st.session_state[ANSWERS_KEY] = [answer for answer in st.session_state.get(ANSWERS_KEY, []) if answer in options]
    with st.expander("Net: combine answers (counted once per respondent)", expanded=bool(st.session_state[NAME_KEY])):
        st.text_input("Net name", key=NAME_KEY, max_chars=MAX_NAME_CHARS, placeholder="Using, top-2 box, 1000+…")
        st.multiselect("Answers in the net", options, key=ANSWERS_KEY)
        st.caption(
            "A respondent who chose any of these answers counts once (even with several chosen); the net gets its "
            'own bar, interval and letters, labelled "net: NAME".'
        )
    name, answers = " ".join(st.session_state[NAME_KEY].split()), st.session_state[ANSWERS_KEY]
    if "=" in name:  # the view writes a net as NAME=ANSWER|ANSWER: a name holding "=" would not read back
        st.warning('A net name cannot hold "=": the net is left out until it is renamed.')
        return ()
    if not name or not answers:
        return ()
    return (Net(name, tuple(answers)).spec,)
