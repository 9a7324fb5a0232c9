"""Fuzzing the reader: whatever the bytes, load_survey returns a Survey or raises SurveyError."""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.surveys import SurveyError, load_survey
from survey_model.survey import Survey

CELL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFF), max_size=12) | st.sampled_from(
    ["", "NA", "N/A", '"', '""', ",", ";", "\t", "\n", "\r\n", "Response", "Other (please specify)", "Oct-49", "=1+1"]
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(path) -> None:
    try:
        survey = load_survey(path)
    except SurveyError as error:
        message = str(error)
        assert message.startswith(f"{path.name}: ") and "\n" not in message
        return
    assert isinstance(survey, Survey)
    assert survey.meta.respondents > 0
    responses = survey.responses
    assert responses["respondent"].between(0, survey.meta.respondents - 1).all()
    assert set(responses["question"].astype(str)) <= {question.id for question in survey.questions}


@SETTINGS
@given(data=st.binary(max_size=2048))
def test_any_bytes(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    _check(path)


@SETTINGS
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_csv_like_text(tmp_path, rows, delimiter, encoding):
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    path = tmp_path / "fuzz.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _check(path)


@SETTINGS
@given(body=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=0, max_size=6))
def test_surveymonkey_like_headers(tmp_path, body):
    header = "Respondent ID,What is your role?,\n,Response,Other (please specify)\n"
    lines = [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in body]
    path = tmp_path / "fuzz.csv"
    path.write_bytes(codecs.BOM_UTF8 + (header + "\n".join(lines)).encode("utf-8", errors="replace"))
    _check(path)
