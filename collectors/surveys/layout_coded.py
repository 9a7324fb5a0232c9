"""Coded exports (CNCF 2022): question numbers on row 1, texts on row 2, option labels on row 3, and
numeric codes as answers, turned into labels by a codebook CSV (question, code, label)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .builder import Parsed, ResponseBuilder, fielded_dates, infer_type, nonblank_count, used_values
from .model import Question, QuestionType
from .reader import ParseProblem, Table
from .repairs import clean_text

HEADER_ROWS = 3
DATE_COLUMNS = ("start date", "end date")


def blank(text: str) -> bool:
    """Only an empty cell is unanswered."""
    return not text.strip()


def read(table: Table, report: list[str], codebook: Path | None = None, **_options) -> Parsed:
    """Read a coded table; without a codebook the answers stay codes (and the report says so)."""
    if table.records <= HEADER_ROWS:
        raise ParseProblem("has no respondents (only header rows)")
    labels = read_codebook(codebook) if codebook else {}
    if codebook is None:
        report.append("no codebook given: single-choice answers are the numeric codes of the export")
    numbers, texts, subs = (table.row(i) for i in range(HEADER_ROWS))
    body = [column.skip(HEADER_ROWS) for column in table.columns]
    builder = ResponseBuilder(table.records - HEADER_ROWS)
    blocks: list[tuple[str, str, list[int]]] = []
    dates = []
    for index, number in enumerate(numbers):
        number = clean_text(number)
        if number:
            blocks.append((number, clean_text(texts[index]), [index]))
        elif blocks:
            blocks[-1][2].append(index)
        elif clean_text(texts[index]).lower() in DATE_COLUMNS:
            dates.append(body[index])
    for number, text, columns in blocks:
        qid = builder.unique_id(number)
        if len(columns) == 1:
            column = body[columns[0]]
            codes = [value.strip() for value in used_values(column, blank)]
            mapped = [labels.get((qid, code), code) for code in codes]
            qtype = infer_type(list(dict.fromkeys(mapped)), nonblank_count(column, blank))
            options = tuple(dict.fromkeys(mapped)) if qtype is QuestionType.SINGLE else ()
            index = builder.add_question(Question(qid, text, qtype, (), options))
            builder.add_column(index, "", column, _labelled(qid, labels))
            continue
        options = tuple(clean_text(subs[i]) for i in columns)
        index = builder.add_question(Question(qid, text, QuestionType.MULTIPLE, (), options))
        for option, i in zip(options, columns, strict=True):
            builder.add_column(index, "", body[i], lambda cell, option=option: [option] if cell.strip() else [])
    return Parsed(builder, fielded_dates(dates))


def _labelled(qid: str, labels: dict[tuple[str, str], str]):
    def answers_of(text: str) -> list[str]:
        text = text.strip()
        return [labels.get((qid, text), text)] if text else []

    return answers_of


def read_codebook(path: Path) -> dict[tuple[str, str], str]:
    """Map (question, code) to label from a CSV with columns question, code, label."""
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig", errors="replace")))
    if not rows.fieldnames or not {"question", "code", "label"} <= {name.strip().lower() for name in rows.fieldnames}:
        raise ParseProblem(f"codebook {path.name} needs the columns question, code, label")
    book = {}
    for row in rows:
        row = {key.strip().lower(): (value or "").strip() for key, value in row.items() if key}
        book[(row["question"], row["code"])] = row["label"]
    return book
