"""Recognise the layout of a survey export from its first records."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .reader import Column, Table
from .repairs import clean_text

LAYOUTS = ("surveymonkey", "stackoverflow", "google_forms", "qualtrics", "long", "wide", "coded")
ID_COLUMNS = (
    "responseid",
    "respondent id",
    "respondentid",
    "respondent_id",
    "respondent",
    "response id",
    "response_id",
    "id",
)
LONG_QUESTION = ("question", "question_id", "qid", "variable")
LONG_ANSWER = ("answer", "response", "value", "choice")
QUALTRICS_IMPORT = re.compile(r'^\{\s*"ImportId"\s*:')
CODED_NUMBER = re.compile(r"^Q\d+$")
CODED_HEADER_ROWS = 3  # question numbers, question texts, answer labels
NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?$")
SURVEYMONKEY_LABELS = {"response", "open-ended response", "other (please specify)"}


def find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    """Index of the first header cell whose name (case and blanks ignored) is one of `names`."""
    lowered = [clean_text(cell).lower() for cell in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def detect(table: Table, schema: Path | None = None, codebook: Path | None = None) -> str:
    """Return the layout name of a parsed table (see LAYOUTS)."""
    return choose_layout(table, schema, codebook)[0]


def choose_layout(table: Table, schema: Path | None = None, codebook: Path | None = None) -> tuple[str, str | None]:
    """Return the layout name of a parsed table, and why, when the choice was a close call (else None)."""
    first = [clean_text(cell) for cell in table.row(0)]
    second = [clean_text(cell) for cell in table.row(1)] if table.records > 1 else []
    third = table.row(2) if table.records > 2 else []
    if any(QUALTRICS_IMPORT.match(cell.strip()) for cell in third[:20]):
        return "qualtrics", None
    lowered_second = {cell.lower() for cell in second}
    if lowered_second & SURVEYMONKEY_LABELS or (second and "" in first and "Respondent ID" in first):
        return "surveymonkey", None
    numbered = sum(bool(CODED_NUMBER.match(cell)) for cell in first)
    if numbered >= 3 and numbered * 10 >= len(first) and second and not any(CODED_NUMBER.match(c) for c in second):
        doubt = coded_doubt(table, first, codebook)
        if doubt is None:
            return "coded", None
        unsure = (
            f"the header looks like a coded export's question numbers ({', '.join(first[:3])}, ...), but {doubt}: "
            "read as a plain table, one record per respondent (give --layout coded if it is a coded export)"
        )
        return _plain_layout(table, first, schema), unsure
    return _plain_layout(table, first, schema), None


def _plain_layout(table: Table, first: list[str], schema: Path | None) -> str:
    lowered = [cell.lower() for cell in first]
    if lowered and lowered[0] in ("timestamp", "horodateur", "marca temporal", "zeitstempel"):
        return "google_forms"
    if (
        find_column(first, LONG_QUESTION) is not None
        and find_column(first, LONG_ANSWER) is not None
        and find_column(first, ID_COLUMNS) is not None
        and len(first) <= 5
    ):
        return "long"
    if schema is not None or (lowered and lowered[0] == "responseid" and _has_joined_answers(table)):
        return "stackoverflow"
    return "wide"


def coded_doubt(table: Table, numbers: list[str], codebook: Path | None) -> str | None:
    """Why a table whose header holds question numbers is not a coded export, or None when it is one.

    A coded export has two more header rows (question texts, then answer labels) above the data. Its
    reading drops them, so it needs positive evidence: a codebook, or a label row that marks its
    columns ("Response" under a single question, an option label under each column of a question).
    Rows 2 and 3 must not look like data either: a header cell is never one of its column's answers.
    """
    named = [cell for cell in numbers if cell]
    if len(set(named)) < len(named):
        return "some question numbers repeat (a coded export numbers each question once)"
    if table.records <= CODED_HEADER_ROWS:
        return (
            f"it has only {table.records} records (a coded export has {CODED_HEADER_ROWS} header rows above the data)"
        )
    for row in (1, 2):
        shared = _cells_found_below(table, row)
        if shared:
            return f"record {row + 1} looks like data ({shared})"
    if codebook is not None:
        return None
    labels = [clean_text(cell) for cell in table.row(2)]
    continued = [i for i, number in enumerate(numbers) if not number and i and labels[i] and any(numbers[:i])]
    if any(label.lower() == "response" for label in labels) or continued:
        return None
    return "there is no codebook and no row of answer labels under the question texts"


def _cells_found_below(table: Table, row: int) -> str | None:
    """Describe how record `row` looks like data (mostly numbers, or texts its columns hold below), or None."""
    cells = [(index, clean_text(cell)) for index, cell in enumerate(table.row(row))]
    cells = [(index, cell) for index, cell in cells if cell]
    if not cells:
        return None
    numbers = sum(bool(NUMBER.match(cell)) for _index, cell in cells)
    below = sum(_held_below(table.columns[index], cell) for index, cell in cells)
    if numbers * 2 > len(cells):
        return f"{numbers} of its {len(cells)} filled cells are numbers"
    if below * 2 > len(cells):
        return f"{below} of its {len(cells)} filled cells are answers found in the records below"
    return None


def _held_below(column: Column, text: str) -> bool:
    """True when a record after the header rows holds `text` in this column."""
    body = column.codes[CODED_HEADER_ROWS:]
    return any(clean_text(value) == text and np.any(body == code) for code, value in enumerate(column.values))


def _has_joined_answers(table: Table) -> bool:
    return any(";" in value for column in table.columns[1:] for value in column.values[:200])


def schema_beside(path: Path) -> Path | None:
    """A Stack Overflow schema file (`*schema*.csv`) in the same folder as `path`, if there is one."""
    candidates = sorted(p for p in path.parent.glob("*schema*.csv") if p.resolve() != path.resolve())
    return candidates[0] if candidates else None
