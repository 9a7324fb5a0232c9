"""Recognise the layout of a survey export from its first records."""

from __future__ import annotations

import re
from pathlib import Path

from .reader import Table
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
SURVEYMONKEY_LABELS = {"response", "open-ended response", "other (please specify)"}


def find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    """Index of the first header cell whose name (case and blanks ignored) is one of `names`."""
    lowered = [clean_text(cell).lower() for cell in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def detect(table: Table, schema: Path | None = None) -> str:
    """Return the layout name of a parsed table (see LAYOUTS)."""
    first = [clean_text(cell) for cell in table.row(0)]
    second = [clean_text(cell) for cell in table.row(1)] if table.records > 1 else []
    third = table.row(2) if table.records > 2 else []
    if any(QUALTRICS_IMPORT.match(cell.strip()) for cell in third[:20]):
        return "qualtrics"
    lowered_second = {cell.lower() for cell in second}
    if lowered_second & SURVEYMONKEY_LABELS or (second and "" in first and "Respondent ID" in first):
        return "surveymonkey"
    numbered = sum(bool(CODED_NUMBER.match(cell)) for cell in first)
    if numbered >= 3 and numbered * 10 >= len(first) and second and not any(CODED_NUMBER.match(c) for c in second):
        return "coded"
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


def _has_joined_answers(table: Table) -> bool:
    return any(";" in value for column in table.columns[1:] for value in column.values[:200])


def schema_beside(path: Path) -> Path | None:
    """A Stack Overflow schema file (`*schema*.csv`) in the same folder as `path`, if there is one."""
    candidates = sorted(p for p in path.parent.glob("*schema*.csv") if p.resolve() != path.resolve())
    return candidates[0] if candidates else None
