"""The workbook door (published tables, .xlsx): whatever a workbook holds, it is read or refused in one line.

Formulas in counts, non-finite or negative numbers, zip bombs, XML entities, huge sheets and markup in
texts each meet the one guard that owns them (collectors/surveys/workbook_guard.py, layout_tables.py,
the escaping of every rendering surface).
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from analysis.surveys.shares import breakdown
from analysis.views.share import share_view
from collectors.surveys import SurveyError, layout_tables, load_survey
from dashboard import charts
from exports.tables import render
from survey_model.counts import CountsSurvey
from tests.hostile.hostile_helpers import stray_tags

MARKUP = '<a href="https://evil.example">x</a> <b>bold</b>'
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _sheet_rows(text: str = "Are you using it?", answers=("Yes", "No"), counts=(3, 1), base: object = 4) -> list:
    header = [None]
    for answer in answers:
        header += [answer, None]
    total = ["Total"]
    for count in counts:
        total += [0.5, count]
    return [
        ["Survey 2021"],
        [text],
        header + ["Total"],
        [*total, 1.0, base],
        [None, "Answered", 4],
        [None, "Skipped", 0],
    ]


def _workbook(path: Path, sheets: dict[str, list]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _one_line(error: Exception) -> None:
    assert "\n" not in str(error) and "Traceback" not in str(error)


def test_a_small_workbook_reads_as_counts(tmp_path: Path) -> None:
    survey = load_survey(_workbook(tmp_path / "t.xlsx", {"Question 1": _sheet_rows()}))
    assert isinstance(survey, CountsSurvey)
    table = breakdown(survey, "Q1")
    assert table[["answer", "count", "base"]].values.tolist() == [["Yes", 3, 4], ["No", 1, 4]]


def test_a_formula_in_a_count_is_refused(tmp_path: Path) -> None:
    rows = _sheet_rows(counts=("=1+2", 1))
    with pytest.raises(SurveyError, match="holds a formula") as error:
        load_survey(_workbook(tmp_path / "f.xlsx", {"Question 1": rows}))
    _one_line(error.value)


@pytest.mark.parametrize("bad", [-3, 2.5, "three", 10**12])
def test_a_count_that_is_no_whole_number_in_range_is_refused(tmp_path: Path, bad: object) -> None:
    path = _workbook(tmp_path / "n.xlsx", {"Question 1": _sheet_rows(counts=(bad, 1))})
    with pytest.raises(SurveyError, match="a count must be a whole number") as error:
        load_survey(path)
    _one_line(error.value)


def _with_cell(path: Path, old: bytes, new: bytes) -> Path:
    """The workbook with one cell's stored value replaced in its XML (openpyxl never writes inf or nan)."""
    changed = path.with_name("changed.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(changed, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, data.replace(old, new) if member.filename.endswith("sheet1.xml") else data)
    return changed


@pytest.mark.parametrize(
    ("value", "words"), [(b"1e999", "a count must be"), (b"nan", "cannot be read"), (b"", "empty")]
)
def test_non_finite_and_blank_counts_are_refused(tmp_path: Path, value: bytes, words: str) -> None:
    path = _workbook(tmp_path / "n.xlsx", {"Question 1": _sheet_rows(counts=(7, 1))})
    with pytest.raises(SurveyError, match=words) as error:
        load_survey(_with_cell(path, b"<v>7</v>", b"<v>" + value + b"</v>"))
    _one_line(error.value)


def test_a_workbook_without_question_sheets_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SurveyError, match='no "Question N" sheets'):
        load_survey(_workbook(tmp_path / "x.xlsx", {"Sheet": [["hello"]]}))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    with pytest.raises(SurveyError, match="zip bomb"):
        load_survey(path)


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "e.xlsx", {"Question 1": _sheet_rows()})
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/laughs.xml", laughs)
    with pytest.raises(SurveyError, match="declares XML entities"):
        load_survey(path)


def test_a_zip_that_is_no_workbook_and_bytes_named_xlsx_are_refused(tmp_path: Path) -> None:
    named = tmp_path / "not.xlsx"
    named.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(SurveyError, match="no Excel workbook"):
        load_survey(named)
    plain_zip = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(SurveyError, match="no Excel workbook"):
        load_survey(plain_zip)


def test_a_huge_sheet_is_refused_by_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout_tables, "MAX_ROWS", 20)
    rows = _sheet_rows() + [[f"note {n}"] for n in range(40)]
    with pytest.raises(SurveyError, match="more than 20 rows"):
        load_survey(_workbook(tmp_path / "h.xlsx", {"Question 1": rows}))


def test_a_huge_sheet_is_refused_by_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout_tables, "MAX_COLUMNS", 30)
    rows = [*_sheet_rows(), [None] * 40 + ["far right"]]
    with pytest.raises(SurveyError, match="more than 30 columns"):
        load_survey(_workbook(tmp_path / "w.xlsx", {"Question 1": rows}))


def test_markup_and_formulas_in_texts_stay_text_in_charts_and_csv(tmp_path: Path) -> None:
    rows = _sheet_rows(text=f"{MARKUP} =HYPERLINK(1)", answers=(MARKUP, "=cmd|' /C calc'!A0"))
    survey = load_survey(_workbook(tmp_path / "m.xlsx", {"Question 1": rows}))
    assert any("formula" in line for line in survey.report)
    view = share_view(survey, "Q1", mappings={})
    figure = charts.share_bars(view.table, view.title, charts.footer_text(view.source, view.as_of), view.subtitle)
    assert stray_tags(figure.to_plotly_json()) == []
    assert "<a href" not in figure.to_json()
    csv = render(view.table, "csv")
    assert "\n=cmd" not in csv and ",=cmd" not in csv


CELL = (
    st.none()
    | st.integers(min_value=-5, max_value=10**10)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["Total", "Answered", "Skipped", "Respondents", "Q1: Africa", "=1+1", MARKUP, "", "Yes"])
    | st.text(max_size=12)
)
ROWS = st.lists(st.lists(CELL, min_size=1, max_size=8), min_size=0, max_size=12)


@SETTINGS
@given(rows=ROWS, lead=st.booleans())
def test_any_workbook_is_read_or_refused_in_one_line(rows: list, lead: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        sheet = (_sheet_rows() if lead else []) + rows
        try:
            path = _workbook(Path(folder) / "fuzz.xlsx", {"Question 1": sheet})
        except (IllegalCharacterError, ValueError, TypeError):
            return  # openpyxl will not write such a cell (control characters): no workbook to read
        try:
            survey = load_survey(path)
        except SurveyError as error:
            _one_line(error)
            return
        for question in survey.questions:
            if question.options:
                table = breakdown(survey, question.id)
                assert ((table["share"] >= 0) & (table["share"] <= 1) | table["share"].isna()).all()


def test_the_upload_page_accepts_workbooks() -> None:
    from dashboard import page_upload

    assert "xlsx" in page_upload.ACCEPTED
