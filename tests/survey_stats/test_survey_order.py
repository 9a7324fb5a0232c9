"""Ordered answers keep their order: sizes, frequencies and agreement, in tables, CSV, charts and crosstabs."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import InvalidInput
from analysis.surveys.crosstab import crosstab
from analysis.surveys.order import numeric_range, ordered, read_order
from analysis.surveys.shares import breakdown
from collectors.surveys import load_survey
from dashboard import charts
from dashboard import survey_display as survey_views

ROOT = Path(__file__).resolve().parents[2]
CNCF = ROOT / "data" / "surveys" / "cncf"
SIZES = ["<10", "10-49", "50-99", "100-499", "500-999", "1000-4999", ">5000"]


@pytest.fixture(scope="module")
def cncf_2019(tmp_path_factory):
    return load_survey(CNCF / "Cloud_Native_Survey_2019.csv", cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([">5000", "100-499", "500-999", "1000-4999", "50-99", "10-49", "<10"], SIZES),
        (["5000+", "21-50", "1-5", "6-20"], ["1-5", "6-20", "21-50", "5000+"]),
        (
            ["20,000 or more", "11-50", "10 or less", "1,000-4,999"],
            ["10 or less", "11-50", "1,000-4,999", "20,000 or more"],
        ),
        (["Always", "Don't know", "Never", "Sometimes"], ["Never", "Sometimes", "Always", "Don't know"]),
        (
            ["Agree", "Strongly agree", "Other (please specify)", "Neutral", "Strongly disagree", "Disagree"],
            ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree", "Other (please specify)"],
        ),
        (["Weekly", "Daily", "Monthly", "Ad Hoc", "N/A"], ["Daily", "Weekly", "Monthly", "Ad Hoc", "N/A"]),
        (
            ["6-10", "2-5", "I do not use Kubernetes", "1", "50+"],
            ["1", "2-5", "6-10", "50+", "I do not use Kubernetes"],
        ),
        (
            ["Less than $50k/mo", "Greater than $1 million/mo", "Less than $10k/mo"],
            ["Less than $10k/mo", "Less than $50k/mo", "Greater than $1 million/mo"],
        ),  # fmt: skip
    ],
)
def test_scales_are_put_in_order_with_write_ins_and_dont_know_after(given, expected) -> None:
    assert ordered(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        ["AWS", "Azure", "GCP", "Other (please specify)"],  # no scale: the questionnaire's order stays
        ["Increased > 20%", "Decreased > 20%", "Remained constant"],  # two units: not one scale
        ["Yes", "No", "Not sure"],
    ],
)
def test_answers_that_form_no_scale_keep_their_order(given) -> None:
    assert ordered(given) == given


def test_ranges_are_read_with_separators_units_and_open_ends() -> None:
    assert numeric_range("1,000-4,999") == ((1000.0, 4999.0), "")
    assert numeric_range("> 1,000 nodes") == ((1000.0, float("inf")), "nodes")
    assert numeric_range("Less than $10k/mo") == ((float("-inf"), 10_000.0), "mo")
    assert numeric_range("Kubernetes") is None


def test_company_size_2019_comes_out_in_size_order_in_the_table_and_the_csv(cncf_2019, capsys) -> None:
    # The export lists them as >5000, 100-499, 500-999, 1000-4999, 50-99, 10-49, <10.
    assert list(cncf_2019.question("Q2").options) != SIZES
    assert breakdown(cncf_2019, "Q2")["answer"].tolist() == SIZES
    assert survey_views.breakdown(cncf_2019, "Q2")["answer"].tolist() == SIZES
    path = CNCF / "Cloud_Native_Survey_2019.csv"
    assert main(["breakdown", str(path), "--question", "Q2", "--format", "csv"]) == 0
    csv = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert csv["answer"].tolist() == SIZES
    assert csv["count"].sum() == 1337


def test_company_size_segments_and_answers_keep_size_order_in_crosstabs_and_legends(cncf_2019) -> None:
    by_size = crosstab(cncf_2019, "Q1", "Q2")
    assert list(dict.fromkeys(by_size["segment"])) == SIZES
    sizes_by_region = crosstab(cncf_2019, "Q2", "Q1")
    assert sizes_by_region[sizes_by_region["segment"] == "Europe"]["answer"].tolist() == SIZES
    legend = charts.grouped_share_bars(survey_views.crosstab(cncf_2019, "Q1", None, "Q2"), "t", "f", "n")
    assert [trace.name.split(" (n=")[0] for trace in legend.data] == ["&lt;10", *SIZES[1:-1], "&gt;5000"]
    axis = charts.grouped_share_bars(survey_views.crosstab(cncf_2019, "Q2", None, "Q1"), "t", "f", "n")
    assert list(axis.layout.xaxis.categoryarray) == ["&lt;10", *SIZES[1:-1], "&gt;5000"]


def test_the_bar_chart_lists_sizes_from_the_top_in_size_order(cncf_2019) -> None:
    figure = charts.share_bars(survey_views.breakdown(cncf_2019, "Q2"), "t", "f", "n")
    # Plotly draws the first category at the bottom: read from the top, the bars are in size order.
    assert list(figure.data[0].y)[::-1] == ["&lt;10", *SIZES[1:-1], "&gt;5000"]


def test_an_order_file_overrides_the_detected_order(cncf_2019, tmp_path, capsys) -> None:
    order = tmp_path / "order.csv"
    order.write_text("question,answer\nQ2,>5000\nQ2,1000-4999\nQ9,<10\n", encoding="utf-8")
    assert read_order(order, "Q2") == [">5000", "1000-4999"]
    path = CNCF / "Cloud_Native_Survey_2019.csv"
    assert main(["breakdown", str(path), "-q", "Q2", "--order", str(order), "--format", "csv"]) == 0
    csv = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert csv["answer"].tolist() == [">5000", "1000-4999", *SIZES[:5]]


def test_an_order_file_without_an_answer_column_is_one_line(tmp_path) -> None:
    order = tmp_path / "order.csv"
    order.write_text("size\n<10\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="needs an answer column"):
        read_order(order)
