"""Invariants of shares on random surveys: shares in [0, 1], count within base, interval around the share."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.surveys.crosstab import crosstab
from analysis.surveys.shares import breakdown
from survey_model.survey import Question, QuestionType
from tests.survey_stats.literal_survey import build_survey

OPTIONS = ("A", "B", "C", "N/A")
SEGMENTS = ("small", "large")


@st.composite
def random_surveys(draw):
    respondents = draw(st.integers(min_value=1, max_value=40))
    rows = []
    for who in range(respondents):
        for option in draw(st.lists(st.sampled_from(OPTIONS), max_size=3, unique=True)):
            rows.append((who, "pick", "", option))
        if draw(st.booleans()):
            rows.append((who, "one", "", draw(st.sampled_from(OPTIONS))))
        if draw(st.booleans()):
            rows.append((who, "segment", "", draw(st.sampled_from(SEGMENTS))))
        weight = draw(st.floats(min_value=0.1, max_value=5, allow_nan=False))
        rows.append((who, "weight", "", f"{weight:.3f}"))
    questions = [
        Question("pick", "Pick any", QuestionType.MULTIPLE, (), OPTIONS),
        Question("one", "Pick one", QuestionType.SINGLE, (), OPTIONS),
        Question("segment", "Company size", QuestionType.SINGLE, (), SEGMENTS),
        Question("weight", "Weight", QuestionType.NUMERIC),
    ]
    return build_survey(rows, respondents, questions, categorical=draw(st.booleans()))


def _check_invariants(shares):
    answered = shares[shares["base"] > 0]
    assert (answered["count"] <= answered["base"]).all()
    assert ((answered["share"] >= 0) & (answered["share"] <= 1)).all()
    assert (answered["ci_low"] <= answered["share"]).all()
    assert (answered["share"] <= answered["ci_high"]).all()
    assert ((answered["ci_low"] >= 0) & (answered["ci_high"] <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(
    survey=random_surveys(),
    question=st.sampled_from(["pick", "one"]),
    base=st.sampled_from(["answered", "all"]),
    exclude=st.lists(st.sampled_from(OPTIONS), max_size=2),
    weighted=st.booleans(),
)
def test_shares_stay_within_bounds(survey, question, base, exclude, weighted):
    shares = breakdown(survey, question, base=base, exclude=exclude, weight="weight" if weighted else None)
    _check_invariants(shares)
    if weighted:
        assert (shares["n_eff"] <= shares["base"] + 1e-9).all()


@settings(max_examples=60, deadline=None)
@given(survey=random_surveys(), exclude=st.lists(st.sampled_from(OPTIONS), max_size=2))
def test_single_choice_counts_add_up_to_the_answered_base(survey, exclude):
    shares = breakdown(survey, "one", exclude=exclude)
    if len(shares) and shares["base"].iloc[0] > 0:
        assert shares["count"].sum() == shares["base"].iloc[0]
        assert np.isclose(shares["share"].sum(), 1.0)


@settings(max_examples=60, deadline=None)
@given(survey=random_surveys(), base=st.sampled_from(["answered", "all"]))
def test_crosstab_segments_add_up_to_the_segmented_whole(survey, base):
    if survey.answers("segment").empty:
        return
    table = crosstab(survey, "pick", "segment", base=base)
    _check_invariants(table)
    segmented = set(survey.answers("segment")["respondent"])
    picks = survey.answers("pick")
    picks = picks[picks["respondent"].isin(segmented)]
    per_answer = table.groupby("answer")["count"].sum()
    for option in OPTIONS:
        assert per_answer.get(option, 0) == (picks["answer"] == option).sum()
    assert ((table["base"] < 30) == table["small_base"]).all()
