"""Banner tables as an Excel workbook (openpyxl): one sheet per question, as an analyst reads a banner.

Each question's sheet: the question, the source and weighting, the letters legend, then the banner
with a header of segment questions, segments and column letters, the base row (and the effective
base when weighted), and for each answer a row of shares, a row of counts and a row of letters.
A last sheet, `data`, holds every row of the long table, as the CSV has them.
Text from files is written as text, never as a formula, with control characters made visible.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from exports.tables import visible_controls

SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
PERCENT = "0%"


@dataclass(frozen=True)
class BannerSheet:
    """One question's banner (long form, `analysis.surveys.banner.banner`) with the lines above it."""

    table: pd.DataFrame
    title: str
    source: str
    legend: str


def _text(value: object) -> object:
    return visible_controls(value) if isinstance(value, str) else value


def _put(sheet, row: int, column: int, value: object, number_format: str | None = None) -> None:
    """Write one cell; text stays text (a leading = is not a formula)."""
    if isinstance(value, float) and pd.isna(value):
        value = None
    cell = sheet.cell(row=row, column=column, value=_text(value))
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", visible_controls(title)).strip("'")[:SHEET_NAME_LIMIT] or "question"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name, number = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, number + 1
    taken.add(name.casefold())
    return name


def _columns(table: pd.DataFrame) -> pd.DataFrame:
    """The banner's columns in order: segment question, segment, letter, base (and effective base)."""
    extra = ["n_eff"] if "n_eff" in table else []
    return table.drop_duplicates(["segment_question", "segment"])[
        ["segment_question", "segment", "column", "base", *extra]
    ]


def _write_banner(sheet, banner: BannerSheet) -> None:
    for row, line in enumerate((banner.title, banner.source, banner.legend), start=1):
        _put(sheet, row, 1, line)
    columns = _columns(banner.table)
    header = 5
    for label, row in (("segment question", header), ("segment", header + 1), ("column", header + 2)):
        _put(sheet, row, 1, label)
    _put(sheet, header + 3, 1, "Base")
    weighted = "n_eff" in columns
    if weighted:
        _put(sheet, header + 4, 1, "Effective base (Kish)")
    for position, column in enumerate(columns.itertuples(index=False), start=2):
        _put(sheet, header, position, column.segment_question)
        _put(sheet, header + 1, position, column.segment)
        _put(sheet, header + 2, position, column.column)
        _put(sheet, header + 3, position, int(column.base))
        if weighted:
            _put(sheet, header + 4, position, float(column.n_eff), "0.0")
    place = {(c.segment_question, c.segment): index for index, c in enumerate(columns.itertuples(index=False), 2)}
    row = header + (6 if weighted else 5)
    for answer, cells in banner.table.groupby("answer", sort=False):
        _put(sheet, row, 1, answer)
        _put(sheet, row + 1, 1, "count")
        _put(sheet, row + 2, 1, "letters")
        for cell in cells.itertuples(index=False):
            column = place[(cell.segment_question, cell.segment)]
            _put(sheet, row, column, float(cell.share), PERCENT)
            _put(sheet, row + 1, column, int(cell.count))
            _put(sheet, row + 2, column, f"{cell.letters} {cell.vs_rest}".strip())
        row += 3
    sheet.column_dimensions["A"].width = 40


def banner_workbook(banners: Sequence[BannerSheet]) -> bytes:
    """Return an .xlsx workbook: one sheet per question's banner, then a `data` sheet with every row."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken = {"data"}
    for banner in banners:
        question = str(banner.table["question"].iloc[0]) if len(banner.table) else "question"
        item = str(banner.table["item"].iloc[0]) if len(banner.table) else ""
        _write_banner(book.create_sheet(_sheet_name(f"{question} {item}".strip(), taken)), banner)
    data = book.create_sheet("data")
    long = pd.concat([banner.table for banner in banners], ignore_index=True)
    for column, name in enumerate(long.columns, start=1):
        _put(data, 1, column, str(name))
    for row, values in enumerate(long.itertuples(index=False), start=2):
        for column, value in enumerate(values, start=1):
            _put(data, row, column, value.item() if hasattr(value, "item") else value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
