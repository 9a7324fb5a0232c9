"""No number from nothing: codes without labels and patterns that match nothing are said in words, never 0.

All on the full bundled data: CNCF 2018, 2019, 1H 2020 and the coded CNCF 2022 export with its codebook.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.errors import NotComparable
from analysis.surveys.headlines import (
    CODES_WITHOUT_LABELS,
    comparable,
    left_off,
    matching_share,
    survey_headlines,
)
from analysis.surveys.quote import SEVERAL_ANSWERS_NOTE, quote, several_answers, several_answers_note
from analysis.surveys.shares import breakdown
from analysis.surveys.trend import WaveQuestion, trend
from collectors.surveys import load_survey
from collectors.surveys.bundled import embedded_surveys

ROOT = Path(__file__).resolve().parents[2]
RAW_2022 = ROOT / "data" / "surveys" / "cncf_2022" / "2022_CNCF_Survey_-_Raw_Data.csv"
CNCF = ROOT / "data" / "surveys" / "cncf"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> dict:
    cache = tmp_path_factory.mktemp("cache")
    return {path.stem: load_survey(path, cache_dir=cache) for path in embedded_surveys()}


@pytest.fixture(scope="module")
def cncf_2022(bundled):
    return bundled[RAW_2022.stem]


def test_kubernetes_in_production_2022_is_left_off_with_its_reason_not_zero(bundled) -> None:
    table = survey_headlines(bundled)
    kubernetes = table[table["topic"] == "Kubernetes in production"]
    row = kubernetes[kubernetes["year"] == 2022].iloc[0]
    assert row["question"] == "Q23" and row["item"] == "Kubernetes"
    assert pd.isna(row["share"]) and pd.isna(row["count"])
    assert CODES_WITHOUT_LABELS in row["reason"]
    shown = comparable(table)
    assert 2022 not in shown[shown["topic"] == "Kubernetes in production"]["year"].tolist()
    assert (shown["count"] > 0).all() and (shown["share"] > 0).all()
    assert left_off(table)["year"].tolist() == [2022]


def test_headline_numbers_of_the_years_that_can_answer_stand(bundled) -> None:
    shown = comparable(survey_headlines(bundled))
    percents = {
        (row.topic, row.year): f"{row.share:.0%}" for row in shown.itertuples()
    }  # the mapping tests hold the same counts
    assert percents == {
        ("Containers in production", 2018): "73%",
        ("Containers in production", 2019): "84%",
        ("Containers in production", 2020): "92%",
        ("Kubernetes in production", 2018): "58%",
        ("Kubernetes in production", 2019): "78%",
        ("Kubernetes in production", 2020): "83%",
        # 2021 from the published tables (Part 1), and 2022's "most or all applications", through the mappings.
        ("Containers in production", 2021): "64%",
        ("Containers in production", 2022): "44%",
        ("Kubernetes in production", 2021): "60%",
    }


def test_a_pattern_matching_no_answer_is_not_comparable_but_an_unchosen_option_is_zero(bundled) -> None:
    survey = bundled["Cloud_Native_Survey_2019"]
    with pytest.raises(NotComparable, match="no answer matches 'nothing like this': not comparable"):
        matching_share(survey, "Q15", "Production", "nothing like this")
    with pytest.raises(NotComparable, match=CODES_WITHOUT_LABELS):
        matching_share(bundled[RAW_2022.stem], "Q23", "Kubernetes", r"production|1")


def test_unlabelled_codes_are_shown_as_codes_in_the_breakdown(cncf_2022) -> None:
    table = breakdown(cncf_2022, "Q23", "Kubernetes")
    assert table["answer"].tolist() == [f"code {code} (no label)" for code in (1, 2, 3, 4)]
    assert table["count"].sum() == table["base"].iloc[0] == 1777


@pytest.mark.parametrize("answer", ["1", "code 1 (no label)"])
def test_quote_refuses_an_unlabelled_code(cncf_2022, answer) -> None:
    with pytest.raises(NotComparable, match="answer code without a label"):
        quote(cncf_2022, "Q23", answer, "Kubernetes")


def test_the_answer_command_refuses_an_unlabelled_code_with_one_line(capsys) -> None:
    assert main(["answer", str(RAW_2022), "-q", "Q23", "--item", "Kubernetes", "-a", "1"]) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("error: ") and "code 1 (no label)" in error and "cannot be quoted" in error
    assert "chose" not in error


def test_a_labelled_2022_answer_is_still_quoted(cncf_2022) -> None:
    sentence = quote(cncf_2022, "Q5", "100-499")
    assert 'chose "100-499"' in sentence and "CNCF Cloud Native Survey 2022" in sentence


def test_a_trend_leaves_unlabelled_codes_out_and_refuses_a_wave_of_codes(bundled, cncf_2022) -> None:
    region_2019 = bundled["Cloud_Native_Survey_2019"]
    with pytest.raises(NotComparable, match=CODES_WITHOUT_LABELS):
        trend([region_2019, cncf_2022], [WaveQuestion("Q1"), WaveQuestion("Q1")], "Europe")
    with pytest.raises(NotComparable, match="answer code without a label"):
        trend([cncf_2022], [WaveQuestion("Q23", "Kubernetes")], "code 1 (no label)")
    sizes = trend([cncf_2022], [WaveQuestion("Q5")])
    assert not sizes["answer"].str.startswith("code ").any() and len(sizes) == 10


def test_the_trend_command_says_why_a_wave_of_codes_cannot_be_compared(capsys) -> None:
    files = [str(CNCF / "Cloud_Native_Survey_2019.csv"), str(RAW_2022)]
    assert main(["trend", *files, "-q", "What is your geographic location", "--format", "csv"]) == 2
    assert "codes without labels: not comparable" in capsys.readouterr().err


def test_several_answers_note_only_where_respondents_gave_several(bundled) -> None:
    latest, earlier = bundled["Cloud_Native_Survey_1H_2020"], bundled["Cloud_Native_Survey_2019"]
    # 1H 2020's "uses containers for" grid is marked multiple choice in the export, but one answer per row.
    assert latest.question("Q16").type == "grid_multiple"
    assert not several_answers(latest, "Q16", "Production")
    assert several_answers_note(latest, "Q16", "Production") == ""
    assert "several answers allowed" not in quote(latest, "Q16", "Currently Using", "Production")
    assert several_answers_note(earlier, "Q2") == ""  # company size: single choice
    assert several_answers_note(earlier, "Q22") == SEVERAL_ANSWERS_NOTE  # challenges: tick all that apply
    assert "(several answers allowed)" in quote(earlier, "Q22", "Security")
    challenges = breakdown(earlier, "Q22")
    assert challenges["share"].sum() > 1  # the note is true where it is shown


def test_breakdown_csv_of_the_2022_grid_names_the_codes(capsys) -> None:
    assert main(["breakdown", str(RAW_2022), "-q", "Q23", "--item", "Kubernetes", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table["answer"].tolist()[0] == "code 1 (no label)"
