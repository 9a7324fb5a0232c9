"""Significance letters: a constructed table whose differences are known, and a real CNCF crosstab checked
against statsmodels' two-proportion z-test and Benjamini–Hochberg correction."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from analysis.errors import InvalidInput
from analysis.surveys.banner import banner, banner_labels, banner_legend
from analysis.surveys.letters import adjust_p, column_letters
from collectors.surveys import load_survey
from survey_model.survey import Question, QuestionType
from tests.survey_stats.literal_survey import build_survey

ROOT = Path(__file__).resolve().parents[2]
CNCF_2019 = ROOT / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2019.csv"
QUESTIONS = [
    Question("seg", "Company size", QuestionType.SINGLE, (), ("Small", "Mid", "Large", "Tiny")),
    Question("use", "Do you run containers in production?", QuestionType.SINGLE, (), ("Yes", "No")),
]


def _survey(groups: dict[str, tuple[int, int]]):
    """One respondent row per person: (segment, yes-count, size) as given."""
    rows, who = [], 0
    for segment, (yes, size) in groups.items():
        for person in range(size):
            rows += [(who, "seg", "", segment), (who, "use", "", "Yes" if person < yes else "No")]
            who += 1
    return build_survey(rows, who, questions=QUESTIONS)


def _cell(table: pd.DataFrame, segment: str, answer: str) -> pd.Series:
    return table[(table["segment"] == segment) & (table["answer"] == answer)].iloc[0]


def test_letters_mark_the_segments_a_cell_is_higher_than() -> None:
    survey = _survey({"Small": (90, 100), "Mid": (50, 100), "Large": (52, 100), "Tiny": (10, 10)})
    table = banner(survey, "use", ["seg"])
    assert banner_labels(table) == {"Small": "A", "Mid": "B", "Large": "C", "Tiny": "D"}
    assert _cell(table, "Small", "Yes")["letters"] == "BC"  # 90% against 50% and 52%: p far below 0.01
    assert _cell(table, "Mid", "No")["letters"] == "A"
    assert _cell(table, "Large", "No")["letters"] == "A"
    assert _cell(table, "Mid", "Yes")["letters"] == _cell(table, "Large", "Yes")["letters"] == ""  # 50% vs 52%
    tiny = _cell(table, "Tiny", "Yes")  # 100%, but on 10 respondents: not tested
    assert tiny["small_base"] and tiny["letters"] == "" and tiny["vs_rest"] == "" and np.isnan(tiny["p_vs_rest"])
    assert _cell(table, "Small", "Yes")["vs_rest"] == "▲" and _cell(table, "Small", "No")["vs_rest"] == "▼"


def test_lower_case_between_001_and_005_and_the_correction_decides() -> None:
    # 60/100 against 45/100: z = 2.12, p = 0.034 for Yes and for No.
    survey = _survey({"Small": (60, 100), "Mid": (45, 100)})
    table = banner(survey, "use", ["seg"])
    assert _cell(table, "Small", "Yes")["letters"] == "b"
    assert _cell(table, "Mid", "No")["letters"] == "a"
    # Bonferroni doubles p (two comparisons): 0.067, no letter; uncorrected it stays 0.034.
    assert banner(survey, "use", ["seg"], correction="bonferroni")["letters"].eq("").all()
    assert _cell(banner(survey, "use", ["seg"], correction="none"), "Small", "Yes")["letters"] == "b"


def test_total_comes_first_with_every_respondent_and_no_letters() -> None:
    survey = _survey({"Small": (90, 100), "Mid": (50, 100)})
    table = banner(survey, "use", ["seg"])
    total = table[table["segment_question"] == "Total"]
    assert total["answer"].tolist() == ["Yes", "No"]
    assert total["count"].tolist() == [140, 60] and total["base"].tolist() == [200, 200]
    assert total["letters"].eq("").all() and total["column"].eq("").all()


def test_adjust_p_matches_statsmodels() -> None:
    p_values = np.random.default_rng(7).uniform(0, 0.2, 40) ** 2
    for ours, theirs in (("bh", "fdr_bh"), ("bonferroni", "bonferroni")):
        np.testing.assert_allclose(adjust_p(p_values, ours), multipletests(p_values, method=theirs)[1], rtol=1e-12)
    np.testing.assert_array_equal(adjust_p(p_values, "none"), p_values)
    assert np.isnan(adjust_p([0.01, np.nan], "bh")[1])
    with pytest.raises(InvalidInput, match="unknown correction"):
        adjust_p(p_values, "holm")


def test_column_letters_run_on_past_z() -> None:
    assert column_letters(28)[:3] == ["A", "B", "C"] and column_letters(28)[25:] == ["Z", "AA", "AB"]


@pytest.fixture(scope="module")
def cncf_2019(tmp_path_factory):
    return load_survey(CNCF_2019, cache_dir=tmp_path_factory.mktemp("cache"))


def _expected_letters(cells: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Letters worked out with statsmodels: every pair of tested segments per answer, BH over the table."""
    tested = cells[~cells["small_base"]]
    pairs = []
    for answer, rows in tested.groupby("answer", sort=False):
        for (_, one), (_, other) in itertools.combinations(rows.iterrows(), 2):
            _, p_value = proportions_ztest([one["count"], other["count"]], [one["base"], other["base"]])
            pairs.append((answer, one, other, p_value))
    adjusted = multipletests([pair[3] for pair in pairs], method="fdr_bh")[1]
    letters: dict[tuple[str, str], str] = {}
    for (answer, one, other, _), p_value in zip(pairs, adjusted, strict=True):
        if p_value >= 0.05 or one["share"] == other["share"]:
            continue
        high, low = (one, other) if one["share"] > other["share"] else (other, one)
        letter = low["column"] if p_value < 0.01 else low["column"].lower()
        letters[(answer, high["segment"])] = letters.get((answer, high["segment"]), "") + letter
    return letters


@pytest.mark.parametrize(("question", "item", "segment"), [("Q15", "Production", "Q1"), ("Q16", None, "Q2")])
def test_real_crosstab_letters_match_statsmodels(cncf_2019, question, item, segment) -> None:
    table = banner(cncf_2019, question, [segment], item=item)
    cells = table[table["segment_question"] == segment]
    expected = _expected_letters(cells)
    got = {(row.answer, row.segment): row.letters for row in cells.itertuples() if row.letters}
    assert got == {key: "".join(sorted(value, key=str.upper)) for key, value in expected.items()}
    assert got, "the real table has significant differences"


def test_real_vs_rest_matches_statsmodels(cncf_2019) -> None:
    table = banner(cncf_2019, "Q15", ["Q1"], item="Production")
    cells = table[table["segment_question"] == "Q1"]
    union = (
        cells.groupby("answer", sort=False)[["count"]]
        .sum()
        .join(cells.groupby("answer", sort=False)["base"].first().rename("one"))
    )
    answered = int(cells.drop_duplicates("segment")["base"].sum())
    tested = cells[~cells["small_base"]]
    p_values = [
        proportions_ztest(
            [row["count"], union.loc[row["answer"], "count"] - row["count"]], [row["base"], answered - row["base"]]
        )[1]
        for _, row in tested.iterrows()
    ]
    np.testing.assert_allclose(tested["p_vs_rest"], multipletests(p_values, method="fdr_bh")[1], rtol=1e-9)


def test_legend_names_every_letter_and_the_correction(cncf_2019) -> None:
    table = banner(cncf_2019, "Q15", ["Q2", "Q1"], item="Production")
    text = banner_legend(table)
    assert "A = Q2: <10" in text and "H = Q1: Asia" in text and "Benjamini–Hochberg" in text
    assert "upper case p < 0.01, lower case p < 0.05" in text
