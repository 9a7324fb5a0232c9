"""The bundled real exports load with the right respondents, types and answer counts.

Expected counts are worked out here from the raw files with the csv module, not by the loader.
"""

from __future__ import annotations

from collections import Counter

import pytest

from collectors.surveys import detect_layout, load_survey
from collectors.surveys.bundled import embedded_surveys
from survey_model.survey import GRID_TYPES, QuestionType
from tests.surveys.survey_helpers import CNCF, STACKOVERFLOW, question_by_text, raw_records

RESPONDENTS = {
    "Cloud_Native_Survey_2018.csv": 2401,
    "Cloud_Native_Survey_2019.csv": 1337,
    "Cloud_Native_Survey_1H_2020.csv": 1324,
    "CNCF_GitOps_Microsurvey.csv": 220,
    "CNCF_Service_Mesh_Microsurvey.csv": 253,
    "CNCF_Cloud_Native_and_Kubernetes_FinOps_Microsurvey.csv": 102,
    "CNCF_Training_and_Certifications_Microsurvey.csv": 134,
    "CNCF_WASM_Micro-Survey.csv": 93,
}


@pytest.mark.parametrize("name", sorted(RESPONDENTS))
def test_cncf_respondents_layout_and_unique_ids(name):
    survey = load_survey(CNCF / name)
    assert survey.meta.respondents == RESPONDENTS[name]
    assert survey.meta.layout == "surveymonkey"
    ids = [question.id for question in survey.questions]
    assert len(ids) == len(set(ids))
    assert survey.responses["respondent"].between(0, RESPONDENTS[name] - 1).all()
    assert not survey.responses.duplicated().any()
    assert (survey.responses["answer"].astype(str).str.strip() != "").all()


def _column(records, text, label):
    """Index of the column labelled `label` under the question whose row-1 text starts with `text`."""
    first, second = records[0], records[1]
    start = next(i for i, cell in enumerate(first) if cell.strip().startswith(text))
    end = next((i for i in range(start + 1, len(first)) if first[i].strip()), len(first))
    return next(i for i in range(start, end) if second[i].strip() == label)


def test_2018_single_choice_counts_match_the_raw_file():
    records = raw_records(CNCF / "Cloud_Native_Survey_2018.csv")
    index = _column(records, "What is the size of your company", "Response")
    expected = Counter(row[index] for row in records[2:] if row[index].strip())
    survey = load_survey(CNCF / "Cloud_Native_Survey_2018.csv")
    question = question_by_text(survey, "What is the size of your company")
    assert question.type is QuestionType.SINGLE
    assert dict(survey.answers(question.id)["answer"].value_counts()) == dict(expected)


def test_2019_multiple_choice_and_write_in_counts_match_the_raw_file():
    records = raw_records(CNCF / "Cloud_Native_Survey_2019.csv")
    architect = _column(records, "What is your job function?", "Software Architect")
    expected = sum(1 for row in records[2:] if row[architect].strip())
    survey = load_survey(CNCF / "Cloud_Native_Survey_2019.csv")
    question = question_by_text(survey, "What is your job function?")
    assert question.type is QuestionType.MULTIPLE
    answers = survey.answers(question.id)
    assert (answers["answer"] == "Software Architect").sum() == expected
    other = _column(records, "What is your job function?", "Other (please specify)")
    wrote = {n for n, row in enumerate(records[2:]) if row[other].strip()}
    said_other = set(answers.loc[answers["answer"] == "Other (please specify)", "respondent"])
    assert said_other == wrote
    texts = survey.write_ins[survey.write_ins["question"] == question.id]
    assert set(texts["respondent"]) == wrote


def test_2019_grid_of_single_choice_counts_match_the_raw_file():
    records = raw_records(CNCF / "Cloud_Native_Survey_2019.csv")
    index = _column(records, "Please indicate if your company/organization is evaluating", "Kubernetes")
    expected = Counter(row[index] for row in records[2:] if row[index].strip())
    survey = load_survey(CNCF / "Cloud_Native_Survey_2019.csv")
    question = question_by_text(survey, "Please indicate if your company/organization is evaluating")
    assert question.type is QuestionType.GRID_SINGLE
    assert "Kubernetes" in question.items and "Fluentd" in question.items
    answers = survey.answers(question.id)
    kubernetes = answers[answers["item"] == "Kubernetes"]
    assert dict(kubernetes["answer"].value_counts()) == dict(expected)
    assert expected["N/A"] > 0  # a chosen N/A is an answer, not a blank


def test_1h_2020_is_mac_roman_and_its_checkbox_grid_counts_match():
    path = CNCF / "Cloud_Native_Survey_1H_2020.csv"
    records = raw_records(path, encoding="mac_roman")
    grid_text = "Please indicate if your company/organization currently uses"
    index = _column(records, grid_text, "Production - Currently Using")
    expected = sum(1 for row in records[2:] if row[index].strip())
    survey = load_survey(path)
    assert "read as mac_roman" in " ".join(survey.report)
    assert not any("Ê" in q.text or "Õ" in q.text for q in survey.questions)
    question = question_by_text(survey, "Please indicate if your company/organization currently uses")
    assert question.type is QuestionType.GRID_MULTIPLE
    assert question.items == ("Proof of Concept (PoC)", "Development", "Test", "Production")
    answers = survey.answers(question.id)
    production = answers[(answers["item"] == "Production") & (answers["answer"] == "Currently Using")]
    assert len(production) == expected


def test_1h_2020_excel_dates_are_repaired_and_reported():
    path = CNCF / "Cloud_Native_Survey_1H_2020.csv"
    records = raw_records(path, encoding="mac_roman")
    index = _column(records, "What is the size of your company", "Oct-49")
    expected = sum(1 for row in records[2:] if row[index].strip())
    survey = load_survey(path)
    question = question_by_text(survey, "What is the size of your company")
    assert "10-49" in question.options and "Oct-49" not in question.options
    assert (survey.answers(question.id)["answer"] == "10-49").sum() == expected
    assert any('"Oct-49" to "10-49"' in line for line in survey.report)


def test_microsurvey_fielded_dates_come_from_start_and_end_columns():
    survey = load_survey(CNCF / "CNCF_Service_Mesh_Microsurvey.csv")
    records = raw_records(CNCF / "CNCF_Service_Mesh_Microsurvey.csv")
    assert records[0][2] == "Start Date"
    assert survey.meta.fielded_from is not None and survey.meta.fielded_from <= survey.meta.fielded_to
    assert not any(q.text in ("Respondent ID", "Start Date") for q in survey.questions)


def test_stackoverflow_sample_uses_schema_and_na_means_blank():
    path = STACKOVERFLOW / "survey_results_public.csv"
    assert detect_layout(path) == "stackoverflow"
    survey = load_survey(path)
    assert survey.meta.respondents == 1000
    assert survey.meta.wave == "Stack Overflow Developer Survey 2025"
    records = raw_records(path)
    header = records[0]
    main = header.index("MainBranch")
    expected = Counter(row[main] for row in records[1:] if row[main] not in ("", "NA"))
    assert expected["I am a developer by profession"] == 787
    assert dict(survey.answers("MainBranch")["answer"].value_counts()) == dict(expected)
    assert survey.question("MainBranch").text.startswith("Are you someone who writes code?")
    platforms = header.index("PlatformHaveWorkedWith")
    docker = sum(1 for row in records[1:] if "Docker" in row[platforms].split(";"))
    question = survey.question("PlatformHaveWorkedWith")
    assert question.type is QuestionType.MULTIPLE
    assert (survey.answers(question.id)["answer"] == "Docker").sum() == docker
    assert "NA" not in set(survey.responses["answer"].astype(str))
    assert survey.question("CompTotal").type is QuestionType.NUMERIC


def test_every_embedded_survey_loads():
    paths = embedded_surveys()
    assert len(paths) == 12  # ten exports and CNCF 2021's two workbooks of published tables
    for path in paths:
        survey = load_survey(path)
        assert survey.meta.respondents > 0
        assert survey.meta.sha256 and survey.meta.source == path.name
    grids = load_survey(CNCF / "Cloud_Native_Survey_2018.csv").questions
    assert any(question.type in GRID_TYPES for question in grids)
