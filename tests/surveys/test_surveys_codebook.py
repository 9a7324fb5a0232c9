"""The coded CNCF 2022 export with its codebook: respondents, labelled counts, grids, and bad codebooks.

Expected counts are worked out here from the raw file with the csv module and the codebook read
with the csv module, never by the loader.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from collectors.surveys import SurveyError, detect_layout, load_survey
from collectors.surveys.bundled import embedded_surveys
from collectors.surveys.codebook import find_codebook
from survey_model.codes import unlabelled_code
from survey_model.survey import QuestionType
from tests.surveys.survey_helpers import SURVEYS

RAW = SURVEYS / "cncf_2022" / "2022_CNCF_Survey_-_Raw_Data.csv"
GUIDE = SURVEYS / "cncf_2022" / "2022_CNCF_Cloud_Native_Survey_-_Guide_to_Using_the_CSV_Files_and_Data.pdf"
CODEBOOK = SURVEYS / "codebooks" / "cncf_2022_codebook.csv"
PUBLISHED_SAMPLE = 2063  # the publisher's final analysed sample, from 2,286 responses


def raw_rows() -> list[list[str]]:
    """Non-empty records of the raw file (it has an empty line after every record), cp1252 as published."""
    with open(RAW, encoding="cp1252", newline="") as handle:
        return [record for record in csv.reader(handle) if any(cell.strip() for cell in record)]


def raw_codes(question: str, item: str | None = None) -> Counter:
    """Code counts of one question (or one grid row, named on the third header row) in the raw file."""
    rows = raw_rows()
    start = rows[0].index(question)
    column = start if item is None else rows[2].index(item, start)
    return Counter(row[column].strip() for row in rows[3:] if row[column].strip())


def codebook_rows(path: Path = CODEBOOK) -> dict[str, dict[str, str]]:
    """question -> code -> label, read with the csv module."""
    with open(path, encoding="utf-8", newline="") as handle:
        book: dict[str, dict[str, str]] = {}
        for row in csv.DictReader(handle):
            book.setdefault(row["question"], {})[row["code"]] = row["label"]
    return book


def as_unlabelled(counts: Counter) -> Counter:
    """Raw code counts as the loader keeps codes without a label: `code 1 (no label)`."""
    return Counter({unlabelled_code(code): count for code, count in counts.items()})


def answer_counts(survey, question: str, item: str = "") -> Counter:
    answers = survey.answers(question)
    return Counter(answers.loc[answers["item"] == item, "answer"])


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    return load_survey(RAW, cache_dir=tmp_path_factory.mktemp("cache"))


def test_the_coded_layout_is_detected_and_the_codebook_found_by_name():
    assert detect_layout(RAW) == "coded"
    assert find_codebook(RAW) == CODEBOOK


def test_respondents_are_the_non_empty_data_records(survey):
    rows = raw_rows()
    assert rows[0][6] == "Q1" and rows[2][0] == "Seq #"
    assert survey.meta.respondents == len(rows) - 3
    assert survey.meta.layout == "coded"
    assert survey.meta.year == 2022
    assert any("cncf_2022_codebook.csv" in line for line in survey.report)


@pytest.mark.parametrize("question", ["Q5", "Q7", "Q13"])
def test_labelled_counts_equal_the_raw_code_counts(survey, question):
    labels = codebook_rows()[question]
    expected = Counter({labels[code]: count for code, count in raw_codes(question).items()})
    assert answer_counts(survey, question) == expected
    assert survey.question(question).type is QuestionType.SINGLE
    assert list(survey.question(question).options) == [label for label in labels.values() if label in expected]


def test_containers_in_production_is_labelled(survey):
    counts = answer_counts(survey, "Q13")
    most = "Used for most or all production applications and business segments throughout the organization"
    assert counts[most] == raw_codes("Q13")["1"]
    assert not any(answer.isdigit() for answer in counts)


def test_the_publishers_final_sample_follows_from_the_labels(survey):
    # The guide's filter: drop the unaffiliated and unsure about company size, teachers and students,
    # and anyone who left the containers question blank.
    answers = {
        qid: dict(zip(survey.answers(qid)["respondent"], survey.answers(qid)["answer"], strict=True))
        for qid in ("Q5", "Q7", "Q13")
    }
    dropped_sizes = {"I am not currently employed or affiliated with an organization", "Don't know or not sure"}
    kept = [
        respondent
        for respondent in range(survey.meta.respondents)
        if answers["Q5"].get(respondent) not in dropped_sizes | {None}
        and answers["Q7"].get(respondent) != "Teacher/Student"
        and respondent in answers["Q13"]
    ]
    assert len(kept) == PUBLISHED_SAMPLE


def test_a_grid_of_codes_keeps_one_code_per_row(survey):
    question = survey.question("Q23")
    assert question.type is QuestionType.GRID_SINGLE
    assert "Kubernetes" in question.items and "containerd" in question.items
    assert answer_counts(survey, "Q23", "Kubernetes") == as_unlabelled(raw_codes("Q23", "Kubernetes"))


def test_multiple_choice_columns_are_ticked_options(survey):
    question = survey.question("Q15")
    assert question.type is QuestionType.MULTIPLE
    assert answer_counts(survey, "Q15")["Security"] == sum(raw_codes("Q15", "Security").values())


def test_questions_the_codebook_does_not_label_keep_their_codes_and_are_reported(survey):
    assert answer_counts(survey, "Q1") == as_unlabelled(raw_codes("Q1"))
    assert survey.question("Q1").options[0] == "code 1 (no label)"
    line = next(line for line in survey.report if "no labels for" in line)
    assert "Q1" in line and "Q8" in line and "Q5," not in line


def test_a_code_missing_from_the_codebook_is_kept_and_reported(tmp_path):
    book = tmp_path / "partial.csv"
    lines = CODEBOOK.read_text(encoding="utf-8").splitlines()
    book.write_text("\n".join(line for line in lines if not line.startswith("Q13,6,")) + "\n", encoding="utf-8")
    survey = load_survey(RAW, codebook=book)
    counts = answer_counts(survey, "Q13")
    assert counts["code 6 (no label)"] == raw_codes("Q13")["6"] > 0
    assert "Don't know or not sure" not in counts
    assert sum(counts.values()) == sum(raw_codes("Q13").values())
    assert any(line.startswith("Q13: code(s) 6 not in the codebook partial.csv") for line in survey.report)


def test_without_a_codebook_answers_stay_codes(tmp_path):
    copy = tmp_path / RAW.name
    shutil.copyfile(RAW, copy)
    assert find_codebook(copy) is None
    survey = load_survey(copy)
    assert answer_counts(survey, "Q13") == as_unlabelled(raw_codes("Q13"))
    assert any(line.startswith("no codebook given") for line in survey.report)


def test_no_answer_of_the_2022_export_is_a_bare_code(survey):
    # A bare "1" would read as an answer's wording in a table, a chart or a sentence ("chose 1").
    bare = [
        (question.id, answer)
        for question in survey.questions
        if question.type is not QuestionType.NUMERIC
        for answer in set(survey.answers(question.id)["answer"])
        if answer.strip().isdigit()
    ]
    assert bare == []


def test_the_codebook_is_found_beside_the_file_or_in_a_codebooks_folder(tmp_path):
    export = tmp_path / "wave_2022" / "Raw Export.csv"
    export.parent.mkdir()
    export.write_bytes(b"")
    shared = tmp_path / "codebooks"
    shared.mkdir()
    assert find_codebook(export) is None
    by_folder = shared / "wave_2022_codebook.csv"
    by_folder.write_text("question,code,label\n", encoding="utf-8")
    assert find_codebook(export) == by_folder
    by_stem = shared / "raw_export_codebook.csv"
    by_stem.write_text("question,code,label\n", encoding="utf-8")
    assert find_codebook(export) == by_stem
    beside = export.parent / "Raw Export_codebook.csv"
    beside.write_text("question,code,label\n", encoding="utf-8")
    assert find_codebook(export) == beside


def test_an_explicit_codebook_gives_the_same_labels(survey):
    named = load_survey(RAW, codebook=CODEBOOK)
    assert answer_counts(named, "Q7") == answer_counts(survey, "Q7")


BAD_CODEBOOKS = {
    "wrong_columns.csv": b"qid,value,text\nQ13,1,Yes\n",
    "no_rows.csv": b"question,code,label\n",
    "blank_label.csv": b"question,code,label\nQ13,1,\n",
    "two_labels.csv": b"question,code,label\nQ13,1,Yes\nQ13,1,No\n",
    "binary.csv": b"\x00\x01\x02question,code,label\x00",
    "page.csv": b"<!DOCTYPE html><html><body>question code label</body></html>",
}


@pytest.mark.parametrize("name", sorted(BAD_CODEBOOKS))
def test_a_codebook_that_is_not_question_code_label_is_one_line_naming_it(tmp_path, name):
    book = tmp_path / name
    book.write_bytes(BAD_CODEBOOKS[name])
    with pytest.raises(SurveyError) as raised:
        load_survey(RAW, codebook=book)
    message = str(raised.value)
    assert "\n" not in message
    assert name in message and RAW.name in message


def test_the_pdf_guide_is_refused_as_a_codebook():
    with pytest.raises(SurveyError) as raised:
        load_survey(RAW, codebook=GUIDE)
    assert GUIDE.name in str(raised.value) and "\n" not in str(raised.value)


def test_the_2022_export_is_embedded_and_codebooks_are_not():
    paths = embedded_surveys()
    assert RAW in paths
    assert not any(path.parent.name == "codebooks" for path in paths)


def test_the_2022_export_is_named_as_the_annual_survey() -> None:
    from collectors.surveys.loader import wave_name

    assert wave_name(Path("2022_CNCF_Survey_-_Raw_Data.csv"), "coded") == "CNCF Cloud Native Survey 2022"
