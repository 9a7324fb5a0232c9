"""Crosstabs, trends, quotable sentences and question lookup on hand-written surveys."""

from __future__ import annotations

import math

import pytest

from analysis.errors import AnalysisError
from analysis.surveys.crosstab import crosstab
from analysis.surveys.lookup import AmbiguousQuestion, QuestionNotFound, find_question, question_summary, resolve_item
from analysis.surveys.quote import quote
from analysis.surveys.trend import WaveQuestion, read_mapping, trend, two_proportion_test, wave_questions
from survey_model.survey import Question, QuestionType
from tests.survey_stats.literal_survey import build_survey

YES_NO = ("Yes", "No")


def test_crosstab_bases_are_per_segment_and_small_ones_flagged(survey):
    table = crosstab(survey, "Q1", "Q4", small_base=2)
    small = table[table["segment"] == "<50"]
    assert small["answer"].tolist() == ["1-49", "50-999", "1000+", "Don't know"]
    assert small["count"].tolist() == [2, 0, 0, 0]
    assert small["base"].tolist() == [2] * 4
    assert small["small_base"].tolist() == [False] * 4
    large = table[table["segment"] == "50+"]
    assert large["count"].tolist() == [1, 0, 0, 0]
    assert large["small_base"].tolist() == [True] * 4


def test_crosstab_flags_bases_under_30_by_default(survey):
    assert crosstab(survey, "Q1", "Q4")["small_base"].all()


def test_crosstab_by_a_multiple_choice_segment(survey):
    table = crosstab(survey, "Q1", "Q2")
    assert table["segment"].unique().tolist() == ["Docker", "Podman", "my own runtime"]
    docker = table[table["segment"] == "Docker"].set_index("answer")
    assert docker.loc["1-49", "count"] == 3 and docker.loc["50-999", "count"] == 1
    assert docker["base"].iloc[0] == 4
    assert table[table["segment"] == "Podman"]["base"].iloc[0] == 2


def test_crosstab_of_a_grid_needs_an_item(survey):
    with pytest.raises(AnalysisError, match="--item"):
        crosstab(survey, "Q3", "Q4")
    table = crosstab(survey, "Q3", "Q4", item="Production")
    assert table[table["segment"] == "<50"]["count"].tolist() == [2, 0, 0]


def _wave(question_id: str, text: str, yes: int, total: int, year: int):
    rows = [(who, question_id, "", "Yes" if who < yes else "No") for who in range(total)]
    question = Question(question_id, text, QuestionType.SINGLE, (), YES_NO)
    return build_survey(rows, total, [question], wave=f"Container Survey {year}", year=year)


def test_two_proportion_test_by_hand():
    z, p_value = two_proportion_test(0.5, 100, 0.6, 100)
    pooled = 0.55
    expected_z = 0.1 / math.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert float(z) == pytest.approx(expected_z)
    assert float(p_value) == pytest.approx(math.erfc(expected_z / math.sqrt(2)))
    assert float(p_value) == pytest.approx(0.1552, abs=1e-4)


def test_trend_orders_waves_by_year_with_wave_on_wave_tests(tmp_path):
    newer = _wave("Q9", "Does your company run containers in production?", 60, 100, 2019)
    older = _wave("K1", "Do you use containers in production?", 50, 100, 2018)
    mapping_file = tmp_path / "mapping.csv"
    mapping_file.write_text("wave,question_id\n2018,K1\nContainer Survey 2019,Q9\n", encoding="utf-8")
    chosen = wave_questions([newer, older], None, None, read_mapping(mapping_file))
    assert chosen == [WaveQuestion("Q9"), WaveQuestion("K1")]
    table = trend([newer, older], chosen, answer="yes")
    assert table["year"].tolist() == [2018, 2019]
    assert table["question"].tolist() == ["K1", "Q9"]
    assert table["share"].tolist() == pytest.approx([0.5, 0.6])
    assert math.isnan(table["change"].iloc[0]) and math.isnan(table["p_value"].iloc[0])
    assert table["change"].iloc[1] == pytest.approx(0.1)
    assert table["p_value"].iloc[1] == pytest.approx(0.1552, abs=1e-4)


def test_trend_without_mapping_finds_the_question_by_text_in_each_wave():
    waves = [_wave("K1", "Do you use containers in production?", 5, 10, 2018),
             _wave("Q9", "Does your company run containers in production?", 9, 10, 2019)]  # fmt: skip
    chosen = wave_questions(waves, "containers in production", None)
    table = trend(waves, chosen)
    assert table["answer"].tolist() == ["Yes", "Yes", "No", "No"]
    assert table["change"].tolist()[1::2] == pytest.approx([0.4, -0.4])


def test_trend_answer_missing_in_a_wave_is_reported():
    waves = [_wave("K1", "Containers?", 5, 10, 2018)]
    with pytest.raises(AnalysisError, match="no answer 'Maybe'"):
        trend(waves, [WaveQuestion("K1")], answer="Maybe")


def test_mapping_without_question_column_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("wave,year\n2018,2018\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="question_id"):
        read_mapping(path)


def _percent_by_hand(value: float) -> str:
    return f"{value * 100:.0f}"


def test_quote_states_share_interval_base_and_source(survey):
    sentence = quote(survey, "Q3", "currently using", item="Production")
    phat, n = 3 / 6, 6
    a, b = 1 + 1.959963984540054**2 / n, -(2 * phat + 1.959963984540054**2 / n)
    root = math.sqrt(b * b - 4 * a * phat * phat)
    low, high = (-b - root) / (2 * a), (-b + root) / (2 * a)
    assert sentence == (
        f"50% (95% CI {_percent_by_hand(low)}–{_percent_by_hand(high)}%) of the 6 respondents who answered "
        '"How is your company using containers?" (item: Production) chose "Currently Using" — '
        "Test Survey 2019 (n=6; base: respondents who answered; fielded 2 Sep 2019 to 7 Oct 2019)."
    )


def test_quote_on_base_all_says_how_many_answered(survey):
    sentence = quote(survey, "Q2", "Docker", base="all", exclude=["Podman"])
    assert sentence.startswith("40% (95% CI ")
    assert 'of all 10 respondents chose "Docker" (several answers allowed) when asked' in sentence
    assert "(4 answered it)" in sentence
    assert 'base: all respondents in the file, excluding "Podman"' in sentence


def test_quote_weighted_gives_effective_n(survey):
    sentence = quote(survey, "Q1", "1-49", weight="weight")
    assert sentence.startswith("36% ")
    assert "n=9; weighted by weight, effective n=7;" in sentence


def test_quote_of_unknown_answer_lists_answers(survey):
    with pytest.raises(QuestionNotFound, match="'1-49', '50-999'"):
        quote(survey, "Q1", "Huge")


def test_lookup_by_id_and_text(survey):
    assert find_question(survey, "Q2").id == "Q2"
    assert find_question(survey, "q2").id == "Q2"
    assert find_question(survey, "SIZE of your").id == "Q1"
    assert find_question(survey, "does your company run").id == "Q4"  # the text holds a no-break space


def test_lookup_ambiguous_lists_candidates_and_item_narrows(survey):
    with pytest.raises(AmbiguousQuestion) as caught:
        find_question(survey, "containers")
    assert [question.id for question in caught.value.candidates] == ["Q3", "Q4"]
    assert "Q3: How is your company using containers?" in str(caught.value)
    assert "Q4: How many containers" in str(caught.value)
    assert find_question(survey, "containers", item="production").id == "Q3"


def test_lookup_failures(survey):
    with pytest.raises(QuestionNotFound, match="no question"):
        find_question(survey, "kubernetes")
    question = survey.question("Q3")
    assert resolve_item(question, "prod") == "Production"
    with pytest.raises(QuestionNotFound, match="its rows are: Development, Production"):
        resolve_item(question, "Staging")
    with pytest.raises(QuestionNotFound, match="not a grid"):
        resolve_item(survey.question("Q1"), "Production")


def test_question_summary_counts_who_answered(survey):
    summary = question_summary(survey)
    assert summary["id"].tolist() == ["Q1", "Q2", "Q3", "Q4", "weight"]
    assert summary["answered"].tolist() == [9, 5, 7, 3, 10]
    assert summary.loc[2, "items"] == "Development; Production"
