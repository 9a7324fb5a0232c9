"""Nets: answers counted together, once per respondent, with their own interval, letters and arrows."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.__main__ import main
from analysis.errors import InvalidInput
from analysis.surveys.banner import banner
from analysis.surveys.nets import NET_COLUMN, breakdown_with_nets, parse_net, parse_nets
from analysis.surveys.quote import quote_context, quote_row
from analysis.surveys.shares import breakdown, wilson_interval
from analysis.surveys.trend import WaveQuestion, trend
from collectors.surveys import load_survey
from survey_model.survey import Question, QuestionType
from tests.survey_stats.literal_survey import build_survey, hand_survey

ROOT = Path(__file__).resolve().parents[2]
CNCF = ROOT / "data" / "surveys" / "cncf"
CNCF_2019 = CNCF / "Cloud_Native_Survey_2019.csv"
CLOUD = "Cloud=Public Cloud|Hybrid Cloud (i.e. both)"


@pytest.fixture(scope="module")
def cncf_2019(tmp_path_factory):
    return load_survey(CNCF_2019, cache_dir=tmp_path_factory.mktemp("cache"))


def _net_row(table: pd.DataFrame) -> pd.Series:
    rows = table[table[NET_COLUMN]]
    assert len(rows) == 1
    return rows.iloc[0]


def test_a_multiple_choice_respondent_who_chose_both_counts_once() -> None:
    # Q2 by hand: Docker 0,1,3,4; Podman 0,2; respondent 0 chose both: the net is 5 people, not 6.
    table = breakdown_with_nets(hand_survey(), "Q2", nets=parse_nets(["Any runtime=Docker|Podman"]))
    net = _net_row(table)
    assert net["answer"] == "net: Any runtime"
    assert (int(net["count"]), int(net["base"])) == (5, 5)
    assert net["share"] == 1.0
    plain = table[~table[NET_COLUMN]]
    assert int(plain["count"].sum()) > int(net["count"])  # a sum of answers would count respondent 0 twice
    assert plain["answer"].tolist() == breakdown(hand_survey(), "Q2")["answer"].tolist()


def test_a_net_on_the_bundled_survey_counts_respondents_not_ticks(cncf_2019) -> None:
    answers = cncf_2019.answers("Q9")
    chose = answers[answers["answer"].isin(["Public Cloud", "Hybrid Cloud (i.e. both)"])]
    expected = chose["respondent"].nunique()
    net = _net_row(breakdown_with_nets(cncf_2019, "Q9", nets=parse_nets([CLOUD])))
    assert int(net["count"]) == expected == 1133
    assert 831 + 505 > expected  # some respondents ticked both
    low, high = wilson_interval(expected / 1337, 1337)
    assert (net["ci_low"], net["ci_high"]) == pytest.approx((float(low), float(high)))


def test_a_single_choice_net_is_the_sum_of_its_answers() -> None:
    table = breakdown_with_nets(hand_survey(), "Q1", nets=parse_nets(["Small or mid=1-49|50-999"]))
    counts = dict(zip(table["answer"], table["count"], strict=True))
    assert counts["net: Small or mid"] == counts["1-49"] + counts["50-999"] == 7


def test_a_grid_row_net_stays_within_its_row() -> None:
    table = breakdown_with_nets(
        hand_survey(), "Q3", "Production", nets=parse_nets(["Using or planning=Currently Using|Future Plans"])
    )
    assert int(_net_row(table)["count"]) == 4 and int(_net_row(table)["base"]) == 6


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.sampled_from(["a", "b", "c"]), min_size=1), min_size=1, max_size=30))
def test_a_net_counts_each_respondent_once_whatever_they_chose(chosen: list[set[str]]) -> None:
    rows = [(who, "Q", "", answer) for who, answers in enumerate(chosen) for answer in sorted(answers)]
    survey = build_survey(rows, len(chosen), [Question("Q", "Pick all", QuestionType.MULTIPLE, (), ("a", "b", "c"))])
    net = _net_row(breakdown_with_nets(survey, "Q", nets=parse_nets(["AB=a|b"])))
    assert int(net["count"]) == sum(1 for answers in chosen if answers & {"a", "b"})
    assert 0.0 <= net["ci_low"] <= net["share"] <= net["ci_high"] <= 1.0


def test_a_banner_gives_the_net_letters_and_arrows_like_any_answer(cncf_2019) -> None:
    table = banner(cncf_2019, "Q9", ["Q2"], nets=parse_nets([CLOUD]))
    nets = table[table[NET_COLUMN]]
    assert len(nets) == 1 + len(table[table["segment_question"] == "Q2"]["segment"].unique())
    members = cncf_2019.answers("Q2")
    small = set(members[members["answer"] == "10-49"]["respondent"])
    q9 = cncf_2019.answers("Q9")
    answered = set(q9["respondent"]) & small
    using = set(q9[q9["answer"].isin(["Public Cloud", "Hybrid Cloud (i.e. both)"])]["respondent"]) & small
    cell = nets[nets["segment"] == "10-49"].iloc[0]
    assert (int(cell["count"]), int(cell["base"])) == (len(using), len(answered))
    assert cell["letters"] == "f"  # 10-49 above 1000-4999 (BH-corrected, p < 0.05)
    assert set(table.columns) >= {"letters", "vs_rest", "p_vs_rest", NET_COLUMN}
    without = banner(cncf_2019, "Q9", ["Q2"])
    assert NET_COLUMN not in without.columns


def test_the_quote_says_it_is_a_net_and_what_it_counts(cncf_2019) -> None:
    nets = parse_nets([CLOUD])
    shares = breakdown_with_nets(cncf_2019, "Q9", nets=nets)
    sentence = quote_row(quote_context(cncf_2019, "Q9", nets=nets), shares, "cloud")
    assert sentence.startswith("85% (95% CI 83–87%)")
    assert 'chose any of "Public Cloud", "Hybrid Cloud (i.e. both)" (net: Cloud)' in sentence


def test_the_commands_take_nets_and_label_them(capsys) -> None:
    assert main(["breakdown", str(CNCF_2019), "-q", "Q9", "--net", CLOUD, "--format", "csv"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert printed.columns[-1] == NET_COLUMN
    assert printed[printed[NET_COLUMN]]["answer"].tolist() == ["net: Cloud"]
    assert main(["breakdown", str(CNCF_2019), "-q", "Q9", "--by", "Q2", "--net", CLOUD, "--format", "csv"]) == 0
    banner_rows = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert (banner_rows[banner_rows[NET_COLUMN]]["answer"] == "net: Cloud").all()
    assert main(["answer", str(CNCF_2019), "-q", "Q9", "-a", "Cloud", "--net", CLOUD]) == 0
    assert "(net: Cloud)" in capsys.readouterr().out


def test_a_net_naming_an_answer_the_question_lacks_is_refused(cncf_2019, capsys) -> None:
    with pytest.raises(InvalidInput, match="names 'Moon Cloud', not an answer"):
        breakdown_with_nets(cncf_2019, "Q9", nets=parse_nets(["X=Public Cloud|Moon Cloud"]))
    assert main(["breakdown", str(CNCF_2019), "-q", "Q9", "--net", "no equals sign"]) == 2
    assert "write NAME=ANSWER|ANSWER" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["=a|b", "name=", "name=|", "just text"])
def test_a_net_without_a_name_or_answers_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_net(text)


def test_two_nets_of_one_name_are_refused() -> None:
    with pytest.raises(InvalidInput, match="two nets are called"):
        parse_nets(["A=x", "a=y"])


def test_a_trend_carries_each_waves_net() -> None:
    question = [Question("Q", "Pick all", QuestionType.MULTIPLE, (), ("a", "b", "c"))]
    early = build_survey([(0, "Q", "", "a"), (0, "Q", "", "b"), (1, "Q", "", "c")], 2, question, year=2019)
    later_rows = [(0, "Q", "", "a"), (1, "Q", "", "b"), (2, "Q", "", "c")]
    later = build_survey(later_rows, 3, question, year=2020, wave="Test Survey 2020")
    table = trend([early, later], [WaveQuestion("Q"), WaveQuestion("Q")], nets=parse_nets(["AB=a|b"]))
    nets = table[table[NET_COLUMN]]
    assert nets["count"].tolist() == [1, 2] and nets["base"].tolist() == [2, 3]
    assert nets["change"].iloc[1] == pytest.approx(2 / 3 - 1 / 2)
    assert np.isnan(nets["change"].iloc[0])
    only = trend([early, later], [WaveQuestion("Q"), WaveQuestion("Q")], "net: AB", nets=parse_nets(["AB=a|b"]))
    assert only["answer"].tolist() == ["net: AB", "net: AB"]


def test_a_net_of_one_answer_is_that_answer_weighted_too() -> None:
    nets = parse_nets(["Docker users=Docker"])
    table = breakdown_with_nets(hand_survey(), "Q2", weight="weight", nets=nets)
    net, docker = _net_row(table), table[table["answer"] == "Docker"].iloc[0]
    columns = ["count", "base", "share", "ci_low", "ci_high", "weighted_count", "weighted_base", "n_eff"]
    assert net[columns].tolist() == pytest.approx(docker[columns].tolist())
    assert net["weighted_count"] == pytest.approx(1 + 1 + 1 + 2)  # respondents 0, 1, 3 and 4


def test_a_net_in_every_grid_row_follows_its_row() -> None:
    table = breakdown_with_nets(hand_survey(), "Q3", nets=parse_nets(["Now=Currently Using"]))
    nets = table[table[NET_COLUMN]]
    assert nets["item"].tolist() == ["Development", "Production"]
    assert nets["count"].tolist() == [6, 3] and nets["base"].tolist() == [7, 6]
