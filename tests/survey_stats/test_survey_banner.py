"""Banner tables on the real CNCF 2019 survey: the CSV round-trips, the xlsx holds the same numbers."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.__main__ import main
from analysis.surveys.banner import IDENTITY, NUMBERS, banner
from analysis.surveys.crosstab import crosstab
from analysis.surveys.shares import breakdown
from collectors.surveys import load_survey

ROOT = Path(__file__).resolve().parents[2]
CNCF_2019 = ROOT / "data" / "surveys" / "cncf" / "Cloud_Native_Survey_2019.csv"
ARGS = ["breakdown", str(CNCF_2019), "-q", "Q15", "--item", "Production", "--by", "Q2", "--by", "Q1"]


@pytest.fixture(scope="module")
def cncf_2019(tmp_path_factory):
    return load_survey(CNCF_2019, cache_dir=tmp_path_factory.mktemp("cache"))


def test_banner_columns_are_the_total_then_each_segmentation(cncf_2019) -> None:
    table = banner(cncf_2019, "Q15", ["Q2", "Q1"], item="Production")
    assert list(table.columns) == IDENTITY + NUMBERS
    assert list(dict.fromkeys(table["segment_question"])) == ["Total", "Q2", "Q1"]
    total = table[table["segment_question"] == "Total"]
    plain = breakdown(cncf_2019, "Q15", "Production")
    assert total["count"].tolist() == plain["count"].tolist() and total["share"].tolist() == plain["share"].tolist()
    by_size = table[table["segment_question"] == "Q2"]
    crossed = crosstab(cncf_2019, "Q15", "Q2", "Production")
    assert by_size["count"].tolist() == crossed["count"].tolist()
    assert by_size["share"].tolist() == pytest.approx(crossed["share"].tolist())
    assert table["survey"].eq("CNCF Cloud Native Survey 2019").all() and table["item"].eq("Production").all()


def test_banner_csv_round_trips(capsys) -> None:
    assert main([*ARGS, "--format", "csv"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, na_values=[""])
    expected = banner(load_survey(CNCF_2019), "Q15", ["Q2", "Q1"], item="Production")
    assert list(printed.columns) == list(expected.columns)
    for column in ("segment_question", "segment", "column", "answer", "letters", "vs_rest", "item"):
        assert printed[column].fillna("").astype(str).tolist() == expected[column].tolist(), column
    for column in ("count", "base", "share", "ci_low", "ci_high", "p_vs_rest"):
        pd.testing.assert_series_equal(printed[column], expected[column], check_dtype=False, rtol=1e-12)
    assert printed["letters"].fillna("").ne("").any()


def test_xlsx_opens_and_holds_the_same_numbers(tmp_path: Path, capsys) -> None:
    path = tmp_path / "banner.xlsx"
    assert main([*ARGS, "--format", "xlsx", "--output", str(path)]) == 0
    expected = banner(load_survey(CNCF_2019), "Q15", ["Q2", "Q1"], item="Production")
    book = load_workbook(path)
    assert book.sheetnames == ["Q15 Production", "data"]
    sheet = book["Q15 Production"]
    assert sheet["A1"].value.startswith("CNCF Cloud Native Survey 2019 — Q15:")
    assert "Cloud_Native_Survey_2019.csv" in sheet["A2"].value
    assert sheet["A3"].value.startswith("Letters: Columns: A = Q2: <10")
    rows = {sheet.cell(row, 1).value: row for row in range(1, sheet.max_row + 1)}
    columns = [(sheet.cell(5, column).value, sheet.cell(6, column).value) for column in range(2, sheet.max_column + 1)]
    cells = expected.set_index(["segment_question", "segment", "answer"]).sort_index()
    for position, key in enumerate(columns, start=2):
        assert sheet.cell(rows["Base"], position).value == int(cells.loc[key].iloc[0]["base"])
        for answer in expected["answer"].unique():
            cell = cells.loc[(*key, answer)]
            assert sheet.cell(rows[answer], position).value == pytest.approx(cell["share"], abs=1e-15)
            assert sheet.cell(rows[answer] + 1, position).value == cell["count"]
            assert (
                sheet.cell(rows[answer] + 2, position).value or ""
            ) == f"{cell['letters']} {cell['vs_rest']}".strip()
    data = pd.DataFrame(book["data"].values)
    assert data.iloc[0].tolist() == list(expected.columns) and len(data) == len(expected) + 1


def test_xlsx_needs_an_output_file_and_a_banner(tmp_path: Path, capsys) -> None:
    assert main([*ARGS, "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err
    assert main(["breakdown", str(CNCF_2019), "-q", "Q2", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_text_from_the_file_is_never_a_formula_in_the_workbook(tmp_path: Path, capsys) -> None:
    survey_file = tmp_path / "s.csv"
    survey_file.write_text("tool,city\n=HYPERLINK(1),=cmd\n=HYPERLINK(1),Paris\nPodman,Paris\n", encoding="utf-8")
    path = tmp_path / "b.xlsx"
    assert main(["breakdown", str(survey_file), "-q", "tool", "--by", "city", "--format", "xlsx", "-o", str(path)]) == 0
    book = load_workbook(path)
    values = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any("HYPERLINK" in cell.value for cell in values)
    assert all(cell.data_type == "s" for cell in values)
