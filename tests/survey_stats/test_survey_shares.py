"""Bases, shares and intervals on the hand-written survey, checked against figures worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.surveys.shares import breakdown, kish_n_eff, wilson_interval

Z = 1.959963984540054


def wilson_by_quadratic(count: float, n: float) -> tuple[float, float]:
    """The Wilson bounds as the roots of (p - phat)^2 = z^2 p (1 - p) / n, solved directly."""
    phat = count / n
    a = 1 + Z * Z / n
    b = -(2 * phat + Z * Z / n)
    c = phat * phat
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (score interval).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_published_values(count, n, low, high):
    got_low, got_high = wilson_interval(count / n, n)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(("count", "n"), [(4, 9), (1, 3), (7, 7), (0, 5), (300, 1337)])
def test_wilson_matches_the_quadratic(count, n):
    low, high = wilson_interval(count / n, n)
    assert (float(low), float(high)) == pytest.approx(wilson_by_quadratic(count, n), abs=1e-12)


def test_wilson_of_an_empty_base_is_missing():
    low, high = wilson_interval(np.nan, 0)
    assert np.isnan(low) and np.isnan(high)


def test_kish_effective_size():
    assert kish_n_eff([1, 1, 1, 1]) == 4
    assert kish_n_eff([1, 1, 1, 1, 2, 2, 2, 0.5, 0.5]) == pytest.approx(121 / 16.5)


def test_single_choice_base_answered_counts_dont_know(survey):
    shares = breakdown(survey, "Q1")
    assert list(shares.columns[:6]) == ["answer", "count", "base", "share", "ci_low", "ci_high"]
    assert shares["answer"].tolist() == ["1-49", "50-999", "1000+", "Don't know"]
    assert shares["count"].tolist() == [4, 3, 1, 1]
    assert shares["base"].tolist() == [9] * 4
    assert shares["share"].tolist() == pytest.approx([4 / 9, 3 / 9, 1 / 9, 1 / 9])
    assert (shares["ci_low"].iloc[0], shares["ci_high"].iloc[0]) == pytest.approx(wilson_by_quadratic(4, 9))


def test_excluding_dont_know_shrinks_the_base(survey):
    shares = breakdown(survey, "Q1", exclude=["don't KNOW"])
    assert shares["answer"].tolist() == ["1-49", "50-999", "1000+"]
    assert shares["base"].tolist() == [8] * 3
    assert shares["share"].tolist() == pytest.approx([4 / 8, 3 / 8, 1 / 8])


def test_base_all_counts_everyone_in_the_file(survey):
    shares = breakdown(survey, "Q1", base="all")
    assert shares["base"].tolist() == [10] * 4
    assert shares["share"].tolist() == pytest.approx([0.4, 0.3, 0.1, 0.1])


def test_multiple_choice_shares_add_past_one_and_keep_write_ins(survey):
    shares = breakdown(survey, "Q2")
    assert shares["answer"].tolist() == ["Docker", "Podman", "Other (please specify)", "my own runtime"]
    assert shares["count"].tolist() == [4, 2, 0, 1]
    assert shares["base"].tolist() == [5] * 4
    assert shares["share"].tolist() == pytest.approx([4 / 5, 2 / 5, 0, 1 / 5])
    assert shares["share"].sum() > 1


def test_grid_row_base_is_who_answered_that_row(survey):
    shares = breakdown(survey, "Q3", item="Production")
    assert shares["item"].tolist() == ["Production"] * 3
    assert shares["count"].tolist() == [3, 1, 2]
    assert shares["base"].tolist() == [6] * 3
    assert shares["share"].tolist() == pytest.approx([3 / 6, 1 / 6, 2 / 6])
    without_na = breakdown(survey, "Q3", item="Production", exclude=["N/A"])
    assert without_na["share"].tolist() == pytest.approx([3 / 4, 1 / 4])


def test_grid_without_item_gives_one_block_per_row(survey):
    shares = breakdown(survey, "Q3")
    development = shares[shares["item"] == "Development"]
    assert development["count"].tolist() == [6, 0, 1]
    assert development["base"].tolist() == [7] * 3
    assert shares[shares["item"] == "Production"]["base"].tolist() == [6] * 3


def test_weighted_shares_use_kish_n_eff(survey):
    shares = breakdown(survey, "Q1", weight="weight")
    assert shares["count"].tolist() == [4, 3, 1, 1]
    assert shares["weighted_count"].tolist() == pytest.approx([4, 6, 0.5, 0.5])
    assert shares["weighted_base"].tolist() == pytest.approx([11] * 4)
    assert shares["share"].tolist() == pytest.approx([4 / 11, 6 / 11, 0.5 / 11, 0.5 / 11])
    n_eff = 121 / 16.5
    assert shares["n_eff"].tolist() == pytest.approx([n_eff] * 4)
    low, high = wilson_by_quadratic(4 / 11 * n_eff, n_eff)
    assert (shares["ci_low"].iloc[0], shares["ci_high"].iloc[0]) == pytest.approx((low, high))


def test_a_weight_that_is_not_a_number_is_refused(survey):
    with pytest.raises(AnalysisError, match="weight column Q1"):
        breakdown(survey, "Q4", weight="Q1")


def test_unknown_base_is_refused(survey):
    with pytest.raises(AnalysisError, match="unknown base"):
        breakdown(survey, "Q1", base="some")


def test_question_nobody_answered_has_missing_shares(survey):
    empty = breakdown(survey, "Q1", exclude=["1-49", "50-999", "1000+", "Don't know"])
    assert empty.empty or empty["share"].isna().all()
    nobody = breakdown(survey, "Q4", item=None, exclude=["<50", "50+"])
    assert isinstance(nobody, pd.DataFrame) and nobody.empty


def test_hash_path_for_large_surveys_gives_the_same_shares(survey, monkeypatch):
    bitmap = breakdown(survey, "Q2", weight="weight")
    monkeypatch.setattr("analysis.surveys.shares.BITMAP_LIMIT", 0)
    hashed = breakdown(survey, "Q2", weight="weight")
    pd.testing.assert_frame_equal(bitmap, hashed)


def test_a_repeated_answer_row_counts_once(survey):
    doubled = pd.concat([survey.responses, survey.responses.iloc[:3]], ignore_index=True)
    survey.responses = doubled
    assert breakdown(survey, "Q1")["count"].tolist() == [4, 3, 1, 1]
