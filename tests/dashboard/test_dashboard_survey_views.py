"""Survey views on a small survey whose shares are worked out by hand."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.surveys import headlines as survey_headlines
from analysis.surveys import quote as survey_quote
from analysis.surveys import search as survey_search
from analysis.surveys import trend as survey_trend
from analysis.surveys.shares import wilson_interval
from dashboard import survey_display as survey_views
from survey_model.survey import Question, QuestionType, Survey, SurveyMeta


def _survey(wave: str = "Demo Survey 2019", year: int = 2019, production: tuple = ("Today",) * 6) -> Survey:
    questions = [
        Question(
            "Q1",
            "Your company uses containers for:",
            QuestionType.GRID_SINGLE,
            items=("Development", "Production"),
            options=("Today", "Future Plans"),
        ),
        Question("Q2", "Company size", QuestionType.SINGLE, options=("Small", "Large")),
        Question("Q3", "Clouds used", QuestionType.MULTIPLE, options=("AWS", "GCP")),
    ]
    rows = []
    # 10 respondents; 8 answered the Production row: the first six as given, two "Future Plans".
    for respondent, answer in enumerate([*production, "Future Plans", "Future Plans"]):
        rows.append((respondent, "Q1", "Production", answer))
    for respondent in range(10):
        rows.append((respondent, "Q2", "", "Small" if respondent < 4 else "Large"))
    for respondent, clouds in enumerate([["AWS", "GCP"], ["AWS"], ["GCP"], ["AWS"]]):
        rows += [(respondent, "Q3", "", cloud) for cloud in clouds]
    responses = pd.DataFrame(rows, columns=["respondent", "question", "item", "answer"])
    meta = SurveyMeta(
        source=f"{wave}.csv",
        sha256=hashlib.sha256(wave.encode()).hexdigest(),
        respondents=10,
        layout="test",
        wave=wave,
        year=year,
    )
    return Survey(questions=questions, responses=responses, meta=meta)


def test_breakdown_of_a_grid_row_on_those_who_answered() -> None:
    table = survey_views.breakdown(_survey(), "Q1", "Production")
    assert table["answer"].tolist() == ["Today", "Future Plans"]
    assert table["count"].tolist() == [6, 2]
    assert table["base"].tolist() == [8, 8]
    assert table["share"].tolist() == [0.75, 0.25]


def test_breakdown_on_every_respondent() -> None:
    table = survey_views.breakdown(_survey(), "Q1", "Production", base="all")
    assert table["base"].tolist() == [10, 10] and table["share"].tolist() == [0.6, 0.2]


def test_multiple_choice_shares_may_pass_one_hundred_percent() -> None:
    table = survey_views.breakdown(_survey(), "Q3")
    assert table.set_index("answer")["share"].to_dict() == {"AWS": 0.75, "GCP": 0.5}


def test_wilson_interval_matches_the_textbook_value() -> None:
    low, high = wilson_interval(6 / 8, 8)
    assert float(low) == pytest.approx(0.4093, abs=1e-4) and float(high) == pytest.approx(0.9285, abs=1e-4)


@given(st.integers(min_value=1, max_value=5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_share(pair: tuple[int, int]) -> None:
    count, base = pair
    low, high = wilson_interval(count / base, base)
    assert 0 <= float(low) <= count / base <= float(high) <= 1


def test_crosstab_flags_small_bases() -> None:
    table = survey_views.crosstab(_survey(), "Q1", "Production", "Q2")
    small = table[table["segment"] == "Small"].set_index("answer")
    assert small.loc["Today", "count"] == 4 and small.loc["Today", "base"] == 4
    assert table["small_base"].all()


def test_search_finds_the_question_in_every_survey() -> None:
    surveys = {"a": _survey(), "b": _survey("Demo Survey 2020", 2020)}
    found = survey_search.search_questions(surveys, "CONTAINERS")
    assert found[["survey", "question"]].values.tolist() == [["a", "Q1"], ["b", "Q1"]]


def test_same_question_across_waves_in_year_order() -> None:
    surveys = {"late": _survey("Demo Survey 2020", 2020, ("Today",) * 3 + ("Future Plans",) * 3), "early": _survey()}
    trend = survey_trend.same_question_trend(surveys, "Your company uses containers for:", "Production", "Today")
    assert trend["year"].tolist() == [2019, 2020]
    assert trend["count"].tolist() == [6, 3]
    assert trend["change"].iloc[1] == pytest.approx(3 / 8 - 6 / 8)


def test_quote_states_share_base_interval_source_and_date() -> None:
    sentence = survey_quote.quote(_survey(), "Q1", "Today", "Production", "answered")
    assert sentence.startswith("75% (95% CI 41–93%) of the 8 respondents who answered")
    assert "(item: Production)" in sentence and "Demo Survey 2019" in sentence


def test_headline_recipe_finds_containers_in_production() -> None:
    table = survey_headlines.survey_headlines({"demo": _survey()})
    row = table[table["topic"] == "Containers in production"].iloc[0]
    assert (row["count"], row["base"], row["share"]) == (6, 8, 0.75)
