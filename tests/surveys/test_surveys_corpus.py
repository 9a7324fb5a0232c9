"""Hostile and odd input: each file is refused in one line naming it, or loaded with a warning."""

from __future__ import annotations

import pytest

from collectors.surveys import SurveyError, load_survey
from tests.surveys.survey_helpers import CORPUS

REFUSED = {
    "empty.csv": "is empty",
    "blank_lines_only.csv": "is empty",
    "header_only.csv": "no respondents",
    "binary_noise.csv": "binary",
    "image_renamed.csv": "PNG image",
    "workbook_renamed.csv": "Excel workbook",
    "pdf_renamed.csv": "PDF document",
    "html_error_page.csv": "HTML page",
    "json_error_body.csv": "JSON document",
    "unterminated_quote.csv": "unterminated quote",
    "single_column.csv": "single column",
}

LOADED = {
    # name: (respondents, a phrase the load report must contain, or "" when nothing needed repair)
    "nul_bytes.csv": (4, "NUL"),
    "utf16_with_bom.csv": (2, "UTF-16"),
    "semicolons.csv": (3, "semicolons"),
    "tabs.csv": (2, "tabs"),
    "repeated_headers.csv": (2, "repeated column name"),
    "escaped_quotes.csv": (3, ""),
    "formula_text.csv": (3, "formula"),
    "cp1252_text.csv": (2, "cp1252"),
    "ragged_rows.csv": (3, "fields than the header"),
    "crlf_bom.csv": (3, ""),
}


def test_every_corpus_file_is_covered():
    assert {path.name for path in CORPUS.glob("*.csv")} == set(REFUSED) | set(LOADED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_one_line_naming_the_file(name, private_cache):
    with pytest.raises(SurveyError) as caught:
        load_survey(CORPUS / name)
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert message.startswith(f"{name}: ")
    assert REFUSED[name] in message
    assert "\n" not in message
    assert not list(private_cache.glob("*"))  # nothing cached, not even half


def test_unterminated_quote_names_its_line():
    with pytest.raises(SurveyError, match="line 3"):
        load_survey(CORPUS / "unterminated_quote.csv")


@pytest.mark.parametrize("name", sorted(LOADED))
def test_loaded_with_a_warning(name):
    respondents, phrase = LOADED[name]
    survey = load_survey(CORPUS / name)
    assert survey.meta.respondents == respondents
    if phrase:
        assert phrase in " ".join(survey.report)


def test_odd_files_keep_their_text():
    assert "Europe" in set(load_survey(CORPUS / "nul_bytes.csv").responses["answer"].astype(str))
    assert "Zürich" in set(load_survey(CORPUS / "utf16_with_bom.csv").responses["answer"].astype(str))
    assert "Europe, West" in set(load_survey(CORPUS / "semicolons.csv").responses["answer"].astype(str))
    assert "Montréal" in set(load_survey(CORPUS / "cp1252_text.csv").responses["answer"].astype(str))
    quotes = set(load_survey(CORPUS / "escaped_quotes.csv").answers("Quote")["answer"])
    assert quotes == {'He said "yes", then "no", then ""maybe""', '"""', "plain"}
    comments = set(load_survey(CORPUS / "formula_text.csv").answers("Comment")["answer"])
    assert '=HYPERLINK("http://evil.example","click")' in comments


def test_five_megabyte_field_loads(tmp_path):
    path = tmp_path / "long_field.csv"
    essay = "cloud native " * (5 * 1024 * 1024 // 13)
    path.write_text(f'Respondent ID,Region,Essay\n1,Europe,"{essay}"\n2,Asia,short\n')
    survey = load_survey(path)
    assert survey.meta.respondents == 2
    longest = max(len(text) for text in survey.answers("Essay")["answer"])
    assert longest >= 5 * 1024 * 1024 - 13


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(SurveyError, match="does not exist"):
        load_survey(tmp_path / "nope.csv")
    with pytest.raises(SurveyError, match="is a folder"):
        load_survey(tmp_path)
