"""How many answered each question: counted by hand on the literal survey, and as nunique on a real file."""

from __future__ import annotations

import pytest

from analysis.surveys import lookup as survey_lookup
from analysis.surveys.lookup import answered_counts, question_summary
from tests.survey_stats.literal_survey import hand_survey


@pytest.mark.parametrize("categorical", [False, True])
def test_answered_counts_by_hand(categorical: bool) -> None:
    counts = answered_counts(hand_survey(categorical))
    # Q1: respondents 0-8 (9 left it blank); Q2: 0-4; Q3: 0-6 across both grid rows; Q4: 0-2; weight: 0-9.
    assert {key: int(counts[key]) for key in ("Q1", "Q2", "Q3", "Q4", "weight")} == {
        "Q1": 9, "Q2": 5, "Q3": 7, "Q4": 3, "weight": 10,
    }  # fmt: skip


def test_the_wide_fallback_gives_the_same_counts(monkeypatch) -> None:
    survey = hand_survey(categorical=True)
    marked = answered_counts(survey)
    monkeypatch.setattr(survey_lookup, "MAX_MARK_CELLS", 0)
    grouped = answered_counts(survey)
    assert {k: int(v) for k, v in grouped.items()} == {k: int(v) for k, v in marked.items() if v}


def test_question_summary_matches_nunique_on_the_bundled_stack_overflow_file() -> None:
    from collectors.surveys import load_survey
    from collectors.surveys.bundled import embedded_surveys

    path = next(path for path in embedded_surveys() if path.name == "survey_results_public.csv")
    survey = load_survey(path)
    summary = question_summary(survey).set_index("id")["answered"]
    expected = survey.responses.groupby("question", observed=True)["respondent"].nunique()
    assert (summary[expected.index.astype(str)].to_numpy() == expected.to_numpy()).all()
    assert summary.max() <= survey.meta.respondents


@pytest.mark.parametrize("order", ["grouped", "shuffled"])
def test_slices_and_one_pass_give_the_same_counts(monkeypatch, order: str) -> None:
    survey = hand_survey(categorical=True)
    if order == "shuffled":  # questions interleaved: many short runs of one question's rows
        survey.responses = survey.responses.sample(frac=1, random_state=3).reset_index(drop=True)
    by_slices = answered_counts(survey)
    monkeypatch.setattr(survey_lookup, "MAX_RUNS", 0)
    in_one_pass = answered_counts(survey)
    assert by_slices.to_dict() == in_one_pass.to_dict()
    assert by_slices.to_dict() == {"Q1": 9, "Q2": 5, "Q3": 7, "Q4": 3, "weight": 10}


def test_a_survey_without_answers_counts_nobody() -> None:
    survey = hand_survey(categorical=True)
    survey.responses = survey.responses.iloc[0:0]
    assert answered_counts(survey).to_dict() == dict.fromkeys(["Q1", "Q2", "Q3", "Q4", "weight"], 0)


def test_a_question_in_two_runs_counts_each_respondent_once() -> None:
    from tests.survey_stats.literal_survey import QUESTIONS, build_survey

    rows = [(0, "Q1", "", "1-49"), (1, "Q1", "", "1-49"), (0, "Q2", "", "Docker")]
    rows += [(1, "Q1", "", "50-999"), (2, "Q1", "", "1000+"), (2, "Q2", "", "Podman"), (2, "Q2", "", "Docker")]
    survey = build_survey(rows, 3, QUESTIONS[:2], categorical=True)
    assert answered_counts(survey).to_dict() == {"Q1": 3, "Q2": 2}
