"""Google Forms, Qualtrics, long and wide exports (small fixtures written for these tests)."""

from __future__ import annotations

from collections import Counter

import pytest

from collectors.surveys import LAYOUTS, SurveyError, detect_layout, load_survey
from survey_model.survey import QuestionType, Survey
from tests.surveys.survey_helpers import FIXTURES, raw_records


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("google_forms_meetup.csv", "google_forms"),
        ("qualtrics_platform.csv", "qualtrics"),
        ("long_devex.csv", "long"),
        ("wide_platform_poll.csv", "wide"),
    ],
)
def test_layout_is_detected(name, layout):
    assert layout in LAYOUTS
    assert detect_layout(FIXTURES / name) == layout
    assert load_survey(FIXTURES / name).meta.layout == layout


def test_google_forms_splits_checkboxes_but_not_single_answers_with_commas():
    records = raw_records(FIXTURES / "google_forms_meetup.csv")
    survey = load_survey(FIXTURES / "google_forms_meetup.csv")
    assert survey.meta.respondents == len(records) - 1
    runtimes = survey.questions[0]
    assert runtimes.type is QuestionType.MULTIPLE
    answers = survey.answers(runtimes.id)
    expected_docker = sum(1 for row in records[1:] if "Docker" in row[2].split(", "))
    assert (answers["answer"] == "Docker").sum() == expected_docker
    assert (answers["answer"] == "Other (please specify)").sum() == 1
    assert "my own runtime" in " ".join(survey.write_ins["text"])
    kubernetes = survey.questions[1]
    assert kubernetes.type is QuestionType.SINGLE
    assert "Yes, in production" in kubernetes.options and "N/A" in kubernetes.options
    grid = survey.questions[3]
    assert grid.type is QuestionType.GRID_SINGLE and grid.items == ("Docker", "Podman", "Helm")
    assert survey.meta.fielded_from.isoformat() == "2024-03-04"


def test_qualtrics_reads_three_header_rows_grids_and_write_ins():
    survey = load_survey(FIXTURES / "qualtrics_platform.csv")
    assert survey.meta.respondents == 6
    assert [q.id for q in survey.questions] == ["Q1", "Q2", "Q3", "Q4"]
    assert survey.question("Q2").type is QuestionType.MULTIPLE
    assert survey.question("Q2").text == "Which platforms does your team deploy to?"
    kubernetes = (survey.answers("Q2")["answer"] == "Kubernetes").sum()
    assert kubernetes == 5
    assert survey.question("Q3").type is QuestionType.GRID_SINGLE
    assert survey.question("Q3").items == ("Kubernetes", "Nomad", "Docker Swarm")
    assert survey.question("Q4").type is QuestionType.NUMERIC
    assert list(survey.write_ins["text"]) == ["Bare-metal scripts"]
    assert "N/A" in survey.question("Q1").options


def test_long_table_types_from_repeated_answers():
    survey = load_survey(FIXTURES / "long_devex.csv")
    assert survey.meta.respondents == 5
    assert survey.question("role").type is QuestionType.SINGLE
    assert survey.question("languages").type is QuestionType.MULTIPLE
    assert survey.question("satisfaction").type is QuestionType.GRID_SINGLE
    records = raw_records(FIXTURES / "long_devex.csv")
    expected = Counter(row[3] for row in records[1:] if row[1] == "languages")
    assert dict(survey.answers("languages")["answer"].value_counts()) == dict(expected)


def test_wide_table_numeric_weights_na_and_excel_repair():
    survey = load_survey(FIXTURES / "wide_platform_poll.csv")
    assert survey.meta.respondents == 8
    assert "Respondent ID" not in [q.id for q in survey.questions]
    assert survey.question("weight").type is QuestionType.NUMERIC
    production = survey.answers("Runs containers in production")["answer"]
    assert (production == "N/A").sum() == 1 and (production == "Don't know").sum() == 1
    assert (survey.answers("Company size")["answer"] == "10-49").sum() == 3  # two typed, one repaired
    assert len(survey.answers("Orchestrator")) == 5


def test_forcing_a_layout_overrides_detection():
    survey = load_survey(FIXTURES / "google_forms_meetup.csv", layout="wide")
    assert survey.meta.layout == "wide"
    assert "Timestamp" in [q.id for q in survey.questions]


def test_unknown_layout_is_refused_in_one_line():
    with pytest.raises(SurveyError) as caught:
        load_survey(FIXTURES / "wide_platform_poll.csv", layout="excel")
    assert "wide_platform_poll.csv" in str(caught.value) and "\n" not in str(caught.value)


def test_answers_is_the_same_whatever_the_row_order():
    survey = load_survey(FIXTURES / "long_devex.csv")
    expected = {q.id: sorted(map(tuple, survey.answers(q.id).values.tolist())) for q in survey.questions}
    shuffled = Survey(survey.questions, survey.responses.sample(frac=1, random_state=3), survey.meta)
    plain = Survey(survey.questions, survey.responses.astype({"question": str}), survey.meta)
    for other in (shuffled, plain):
        for question in survey.questions:
            assert sorted(map(tuple, other.answers(question.id).values.tolist())) == expected[question.id]
    assert survey.answers("no such question").empty
