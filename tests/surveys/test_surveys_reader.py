"""The CSV reader keeps every cell's text exactly, and encodes columns the same however pandas chunks them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from collectors.surveys import load_survey
from collectors.surveys.reader import _column, parse


def test_numbers_keep_their_text_when_the_whole_column_looks_numeric():
    # Every cell of these columns, the header row included, reads as a number or a truth value.
    table = parse(b"2024,2025,Flag\n01,1.50,TRUE\n7,1e3,FALSE\n")
    assert [column.values for column in table.columns] == [
        ["2024", "01", "7"],
        ["2025", "1.50", "1e3"],
        ["Flag", "TRUE", "FALSE"],
    ]


def test_a_wide_file_keeps_leading_zeros_in_answers(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("id,2024\n1,01\n2,02\n3,01\n", encoding="utf-8")
    survey = load_survey(path, layout="wide")
    assert sorted(survey.answers("2024")["answer"]) == ["01", "01", "02"]


def test_a_chunked_column_is_encoded_in_order_of_first_appearance():
    chunks = pa.chunked_array([["b", "a"], [], ["c", "a", None], ["b"]], type=pa.string())
    column = _column(pd.Series(pd.arrays.ArrowExtensionArray(chunks)))
    assert column.values == ["b", "a", "c", ""]
    assert column.codes.tolist() == [0, 1, 2, 1, 3, 0]
    assert column.codes.dtype == np.int32


def test_an_empty_column_encodes_to_nothing():
    column = _column(pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([], type=pa.string()))))
    assert column.values == []
    assert len(column.codes) == 0


def test_short_records_leave_blank_cells():
    table = parse(b"a,b,c\n1,2,3\n4,5\n")
    assert [column.cell(2) for column in table.columns] == ["4", "5", ""]
