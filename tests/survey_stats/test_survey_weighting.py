"""Raking: margins a hand calculation fixes, the report, the weights file, and --weight everywhere."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import InvalidInput
from analysis.surveys.banner import banner
from analysis.surveys.quote import quote
from analysis.surveys.shares import breakdown, kish_n_eff
from analysis.surveys.trend import WaveQuestion, trend
from analysis.surveys.weighting import rake, read_targets
from analysis.surveys.weights_file import RakedWeights, read_weights, weights_table
from collectors.surveys import load_survey
from exports.tables import to_csv_text
from survey_model.survey import Question, QuestionType
from tests.survey_stats.literal_survey import build_survey

ROOT = Path(__file__).resolve().parents[2]
CNCF_2019 = ROOT / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2019.csv"
EXAMPLES = ROOT / "docs" / "examples"
QUESTIONS = [
    Question("a", "Region", QuestionType.SINGLE, (), ("x", "y")),
    Question("b", "Size", QuestionType.SINGLE, (), ("p", "q")),
    Question("use", "Containers in production?", QuestionType.SINGLE, (), ("Yes", "No")),
]
# The sample: 20 (x, p), 10 (x, q), 35 (y, p), 35 (y, q); one more respondent answered only a.
CELLS = {("x", "p"): 20, ("x", "q"): 10, ("y", "p"): 35, ("y", "q"): 35}


def _two_way_survey():
    rows, who = [], 0
    for (a, b), size in CELLS.items():
        for person in range(size):
            rows += [(who, "a", "", a), (who, "b", "", b), (who, "use", "", "Yes" if person % 2 else "No")]
            who += 1
    rows.append((who, "a", "", "x"))
    return _hashed(build_survey(rows, who + 1, questions=QUESTIONS), "1")


def _hashed(survey, digit: str):
    """The survey as if its file's sha256 were `digit` 64 times (weights files are matched by it)."""
    survey.meta = dataclasses.replace(survey.meta, sha256=digit * 64)
    return survey


def _targets(**shares: float) -> pd.DataFrame:
    return pd.DataFrame({"answer": list(shares), "target": list(shares.values())})


def test_raking_meets_margins_a_hand_calculation_fixes() -> None:
    # Targets a: x 50%, y 50%; b: p 40%, q 60%. Raking keeps the sample's odds ratio (20*35)/(10*35) = 2,
    # so the weighted share t of (x, p) solves t(0.1 + t) = 2(0.5 - t)(0.4 - t): t = (1.9 - sqrt(2.01)) / 2.
    t = (1.9 - math.sqrt(2.01)) / 2
    expected = {("x", "p"): t, ("x", "q"): 0.5 - t, ("y", "p"): 0.4 - t, ("y", "q"): 0.1 + t}
    report = rake(_two_way_survey(), {"a": _targets(x=50, y=50), "b": _targets(p=40, q=60)})
    assert report.converged and report.largest_gap < 1e-6
    weights = report.weights.weights
    assert weights.sum() == pytest.approx(100)  # mean weight 1 over the 100 weighted respondents
    start = 0
    for cell, size in CELLS.items():
        assert weights.iloc[start : start + size].to_numpy() == pytest.approx(expected[cell] * 100 / size, abs=1e-6)
        start += size
    assert report.left_out == 1 and 100 not in weights.index  # answered a only: no weight
    assert report.design_effect == pytest.approx(100 / kish_n_eff(weights))
    assert report.margins["weighted_share"].tolist() == pytest.approx([0.5, 0.5, 0.4, 0.6], abs=1e-6)


def test_the_cap_trims_the_largest_weights_and_says_how_many() -> None:
    report = rake(_two_way_survey(), {"a": _targets(x=50, y=50), "b": _targets(p=40, q=60)}, cap=2.0)
    assert report.weights.weights.max() <= 2.0 + 1e-3
    assert report.trimmed == CELLS[("x", "q")]  # the (x, q) weight would be 2.59 uncapped
    assert "trimmed at the cap of 2" in " ".join(report.summary())


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"a": _targets(x=50)}, "no target for the answer 'y'"),
        ({"a": _targets(x=50, y=40, z=10)}, "nobody answered 'z'"),
        ({"use": _targets(Yes=50, No=50), "zz": _targets(x=1)}, "zz"),
        ({}, "at least one target"),
    ],
)
def test_targets_that_cannot_be_met_are_refused(targets, message) -> None:
    with pytest.raises((InvalidInput, KeyError), match=message):
        rake(_two_way_survey(), targets)


def test_a_cap_of_one_or_less_is_refused() -> None:
    with pytest.raises(InvalidInput, match="more than 1"):
        rake(_two_way_survey(), {"a": _targets(x=50, y=50)}, cap=1.0)


def test_targets_file_takes_percents_shares_or_counts(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Answer,Percent\nx,30%\ny,70%\n", encoding="utf-8")
    assert read_targets(path)["target"].tolist() == [30, 70]
    path.write_text("answer,target\nx,-1\ny,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="number from 0"):
        read_targets(path)


def test_weights_file_round_trips_and_is_refused_for_another_file(tmp_path: Path) -> None:
    survey = _two_way_survey()
    report = rake(survey, {"a": _targets(x=50, y=50), "b": _targets(p=40, q=60)})
    path = tmp_path / "weights.csv"
    path.write_text(to_csv_text(weights_table(report.weights)), encoding="utf-8")
    back = read_weights(path)
    assert back.raked_to == ("a", "b") and back.sha256 == "1" * 64 and back.label == "weighted (raked to a, b)"
    pd.testing.assert_series_equal(back.weights, report.weights.weights, check_names=False)
    assert breakdown(survey, "use", weight=back)["share"].tolist() == pytest.approx(
        breakdown(survey, "use", weight=report.weights)["share"].tolist()
    )
    other = _hashed(build_survey([(0, "use", "", "Yes")], 1, questions=QUESTIONS), "2")
    with pytest.raises(InvalidInput, match="made for another file"):
        breakdown(other, "use", weight=back)


def test_raked_weights_pass_the_weight_checks() -> None:
    survey = _two_way_survey()
    for values, message in (([np.inf], "infinite"), ([0.0], "every weight is 0"), ([-1.0], "negative")):
        bad = RakedWeights(pd.Series(values, index=[0]), ("a",), survey.meta.sha256)
        with pytest.raises(InvalidInput, match=message):
            breakdown(survey, "use", weight=bad)


def test_weighted_figures_say_what_they_were_raked_to() -> None:
    survey = _two_way_survey()
    weights = rake(survey, {"a": _targets(x=50, y=50), "b": _targets(p=40, q=60)}).weights
    assert "weighted (raked to a, b), effective n=" in quote(survey, "use", "Yes", weight=weights)
    table = banner(survey, "use", ["a"], weight=weights)
    assert table["weighting"].eq("weighted (raked to a, b)").all()
    total = table[table["segment_question"] == "Total"]
    yes = total[total["answer"] == "Yes"].iloc[0]
    w = weights.weights
    # Yes alternates within each cell (see _two_way_survey).
    chose_yes = np.concatenate([[person % 2 == 1 for person in range(size)] for size in CELLS.values()])
    assert yes["share"] == pytest.approx(w.to_numpy()[chose_yes].sum() / w.sum())
    assert yes["n_eff"] == pytest.approx(kish_n_eff(w))


def test_weighted_trend_tests_on_the_effective_n() -> None:
    survey = _two_way_survey()
    weights = rake(survey, {"a": _targets(x=50, y=50), "b": _targets(p=40, q=60)}).weights
    rows = list(survey.responses.itertuples(index=False, name=None))
    later = _hashed(build_survey(rows, survey.meta.respondents, QUESTIONS, wave="Test Survey 2020", year=2020), "1")
    waves = [WaveQuestion("use"), WaveQuestion("use")]
    table = trend([survey, later], waves, "Yes", weights=[weights, weights])
    assert table["weighting"].eq("weighted (raked to a, b)").all()
    assert table["n_eff"].tolist() == pytest.approx([kish_n_eff(weights.weights)] * 2)
    with pytest.raises(InvalidInput, match="weight every wave or none"):
        trend([survey, later], waves, "Yes", weights=[weights, None])


@pytest.fixture(scope="module")
def cncf_weights(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("weights")
    targets = [f"Q2={EXAMPLES / 'targets-company-size.csv'}", f"Q1={EXAMPLES / 'targets-region.csv'}"]
    argv = ["weight", str(CNCF_2019), "--target", targets[0], "--target", targets[1], "-o", str(folder / "w.csv")]
    assert main(argv) == 0
    return folder / "w.csv"


def test_weight_command_on_the_real_survey_meets_the_targets(cncf_weights: Path, capsys) -> None:
    survey = load_survey(CNCF_2019)
    weights = read_weights(cncf_weights)
    assert weights.raked_to == ("Q2", "Q1") and len(weights.weights) == survey.meta.respondents
    sizes = breakdown(survey, "Q2", weight=weights)
    assert dict(zip(sizes["answer"], sizes["share"], strict=True)) == pytest.approx(
        {"<10": 0.10, "10-49": 0.15, "50-99": 0.10, "100-499": 0.20, "500-999": 0.10, "1000-4999": 0.15, ">5000": 0.20},
        abs=1e-6,
    )


def test_weight_command_prints_its_report(tmp_path: Path, capsys) -> None:
    argv = ["weight", str(CNCF_2019), "--target", f"Q2={EXAMPLES / 'targets-company-size.csv'}", "--cap", "3"]
    assert main([*argv, "-o", str(tmp_path / "w.csv")]) == 0
    out = capsys.readouterr().out
    assert "Raked to Q2: converged in" in out and "Design effect" in out and "Kish effective n" in out
    assert "trimmed at the cap of 3" in out and "weighted (raked to Q2)" in out
    assert main(["weight", str(CNCF_2019), "--target", "Q2", "-o", str(tmp_path / "x.csv")]) == 2
    assert "give QUESTION=FILE" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_every_survey_command_takes_the_weights_file(cncf_weights: Path, capsys) -> None:
    file, weight = str(CNCF_2019), str(cncf_weights)
    assert main(["breakdown", file, "-q", "Q16", "--weight", weight]) == 0
    assert "; weighted (raked to Q2, Q1)" in capsys.readouterr().out.splitlines()[0]
    assert main(["breakdown", file, "-q", "Q16", "--by", "Q2", "--weight", weight, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(',"weighted (raked to Q2, Q1)"')
    assert main(["answer", file, "-q", "Q16", "-a", "<50", "--weight", weight]) == 0
    assert "weighted (raked to Q2, Q1), effective n=" in capsys.readouterr().out
    argv = ["trend", file, str(CNCF_2019.with_name("Cloud_Native_Survey_2018.csv")), "-q", "Q1", "--weight", weight]
    assert main(argv) == 2
    assert "no weights file for Cloud_Native_Survey_2018.csv" in capsys.readouterr().err
    assert main(["breakdown", file, "-q", "Q16", "--weight", weight + ".missing.csv"]) == 2
    assert "no such weights file" in capsys.readouterr().err


def test_a_cap_of_two_leaves_no_weight_above_two_on_the_bundled_survey(tmp_path: Path, capsys) -> None:
    # weightipy's own cap sits at cap + 0.0001: 42 weights used to be 2.0001 while the report said "capped to 2".
    targets = [f"Q2={EXAMPLES / 'targets-company-size.csv'}", f"Q1={EXAMPLES / 'targets-region.csv'}"]
    argv = ["weight", str(CNCF_2019), "--target", targets[0], "--target", targets[1], "--cap", "2"]
    assert main([*argv, "-o", str(tmp_path / "w.csv")]) == 0
    assert "42 trimmed at the cap of 2" in capsys.readouterr().out
    weights = read_weights(tmp_path / "w.csv").weights
    assert float(weights.max()) <= 2.0
    assert int((weights > 2.0 - 1e-9).sum()) == 42
    assert float(weights.mean()) == pytest.approx(1.0, abs=1e-12)
