"""Exact bases on the bundled exports (issue 21, section 4): write-ins, free text, shifted headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.surveys.quote import quote
from analysis.surveys.shares import breakdown
from collectors.surveys import load_survey

CNCF = Path(__file__).resolve().parents[2] / "data" / "surveys" / "cncf"
CNCF_2018 = CNCF / "Cloud_Native_Survey_2018.csv"
CNCF_2019 = CNCF / "Cloud_Native_Survey_2019.csv"
SERVICE_MESH = CNCF / "CNCF_Service_Mesh_Microsurvey.csv"
TRAINING = CNCF / "CNCF_Training_and_Certifications_Microsurvey.csv"


@pytest.fixture(scope="module")
def survey_2018(tmp_path_factory):
    return load_survey(CNCF_2018, cache_dir=tmp_path_factory.mktemp("cache"))


def _counts(path_or_survey, question_id: str) -> dict[str, int]:
    survey = load_survey(path_or_survey) if isinstance(path_or_survey, Path) else path_or_survey
    shares = breakdown(survey, question_id)
    return dict(zip(shares["answer"].astype(str), shares["count"].astype(int), strict=True))


def _base(survey, question_id: str) -> int:
    return int(breakdown(survey, question_id)["base"].iloc[0])


def test_typing_an_offered_option_under_other_counts_as_other_2019_q9() -> None:
    # 831 ticked "Public Cloud"; 2 more only typed it in the Other box: they count as Other, the documented rule.
    counts = _counts(CNCF_2019, "Q9")
    assert counts["Public Cloud"] == 831
    assert counts["Other (please specify)"] == 17


def test_typing_an_offered_option_under_other_counts_as_other_service_mesh_q7() -> None:
    counts = _counts(SERVICE_MESH, "Q7")
    assert counts["Tetrate Service Bridge"] == 2
    assert counts["Other (please specify)"] == 12


def test_an_option_column_nobody_ticked_counts_nobody_2018_q3(survey_2018) -> None:
    counts = _counts(survey_2018, "Q3")
    assert counts["Software Architect"] == 0
    typed = survey_2018.write_ins[survey_2018.write_ins["question"] == "Q3"]["text"]
    assert (typed.str.strip() == "Software Architect").sum() == 8  # the typed text is kept, as a write-in


def test_free_text_beside_a_choice_question_never_enlarges_its_base_training_q12() -> None:
    survey = load_survey(TRAINING)
    shares = breakdown(survey, "Q12")
    assert int(shares["base"].iloc[0]) == 40
    no = shares[shares["answer"] == "No"].iloc[0]
    assert int(no["count"]) == 27 and no["share"] == pytest.approx(0.675)
    assert "Other (please specify)" not in set(shares[shares["count"] > 0]["answer"])


def test_free_text_beside_a_choice_question_never_enlarges_its_base_2018(survey_2018) -> None:
    assert _base(survey_2018, "Q46") == 1527
    assert _base(survey_2018, "Q43") == 1504


@pytest.mark.parametrize("question_id", ["Q9", "Q35", "Q42"])
def test_shifted_headers_are_flagged_on_the_question(survey_2018, question_id: str) -> None:
    warnings = survey_2018.question(question_id).warnings
    assert len(warnings) == 1 and warnings[0].startswith("headers shifted against their data")


def test_the_2018_q9_warning_names_the_columns_and_what_they_hold(survey_2018) -> None:
    (warning,) = survey_2018.question("Q9").warnings
    assert 'the column headed "Private Cloud" holds "On Premise"' in warning
    assert 'the column headed "Public Cloud" holds "Private Cloud"' in warning


def test_no_question_of_a_clean_export_is_flagged() -> None:
    for path in (CNCF_2019, SERVICE_MESH, TRAINING):
        assert not [q.id for q in load_survey(path).questions if q.warnings], path.name


def test_the_questions_command_and_quotes_carry_the_warning(survey_2018, capsys) -> None:
    assert main(["questions", str(CNCF_2018), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(",warnings")
    flagged = {line.split(",", 1)[0] for line in lines[1:] if "headers shifted" in line}
    assert {"Q9", "Q35", "Q42"} <= flagged
    sentence = quote(survey_2018, "Q35", "Yes")
    assert "Warning: headers shifted against their data" in sentence
    assert 'holds "' in sentence
