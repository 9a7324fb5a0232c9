"""Coded exports (CNCF 2022): question numbers on row 1, texts on row 2, option labels on row 3, and
numeric codes as answers, turned into labels by a codebook CSV (question, code, label).

A question is one column (single choice: the code of the answer, optionally followed by an
"Other (please specify)" text column), one column per option (multiple choice: the option's code
where ticked), or one column per grid row (several codes in a column: grid of single choice)."""

from __future__ import annotations

from pathlib import Path

from survey_model.codes import unlabelled_code
from survey_model.survey import Question, QuestionType

from .builder import Parsed, ResponseBuilder, fielded_dates, infer_type, nonblank_count, used_values
from .codebook import INTEGER, coverage_report, ordered_options, read_codebook
from .reader import Column, ParseProblem, Table
from .repairs import clean_text

HEADER_ROWS = 3
DATE_COLUMNS = ("start date", "end date")
SINGLE_LABEL = "response"


def blank(text: str) -> bool:
    """Only an empty cell is unanswered."""
    return not text.strip()


def read(table: Table, report: list[str], codebook: Path | None = None, **_options) -> Parsed:
    """Read a coded table; without a codebook the answers stay codes, `code 1 (no label)` (the report says so)."""
    if table.records <= HEADER_ROWS:
        raise ParseProblem("has no respondents (only header rows)")
    book = read_codebook(codebook) if codebook else {}
    if codebook is None:
        report.append("no codebook given: single-choice and grid answers are the numeric codes of the export")
    subs = [clean_text(cell) for cell in table.row(2)]
    body = [column.skip(HEADER_ROWS) for column in table.columns]
    builder = ResponseBuilder(table.records - HEADER_ROWS)
    blocks, dates = _blocks(table)
    codes_by_question: dict[str, list[str]] = {}
    for number, text, columns in blocks:
        qid = builder.unique_id(number)
        columns = [i for i in columns if subs[i] or used_values(body[i], blank)]
        if not columns:
            continue
        labels = book.get(qid, {})
        if len(columns) == 1 or subs[columns[0]].lower() == SINGLE_LABEL:
            codes_by_question[qid] = _add_single(
                builder, Question(qid, text, QuestionType.SINGLE), body, columns, labels
            )
        elif any(len(used_values(body[i], blank)) > 1 for i in columns):
            codes_by_question[qid] = _add_grid(
                builder, Question(qid, text, QuestionType.GRID_SINGLE), [(subs[i], body[i]) for i in columns], labels
            )
        else:
            _add_multiple(builder, Question(qid, text, QuestionType.MULTIPLE), [(subs[i], body[i]) for i in columns])
    if codebook is not None:
        report.extend(coverage_report(book, codes_by_question, codebook.name))
    return Parsed(builder, fielded_dates(dates))


def _blocks(table: Table) -> tuple[list[tuple[str, str, list[int]]], list[Column]]:
    """Each question's number, text and columns (blank row-1 cells belong to the question on their left)."""
    numbers, texts = table.row(0), table.row(1)
    blocks: list[tuple[str, str, list[int]]] = []
    dates = []
    for index, number in enumerate(numbers):
        number = clean_text(number)
        if number:
            blocks.append((number, clean_text(texts[index]), [index]))
        elif blocks:
            blocks[-1][2].append(index)
        elif clean_text(texts[index]).lower() in DATE_COLUMNS:
            dates.append(table.columns[index].skip(HEADER_ROWS))
    return blocks, dates


def _add_single(
    builder: ResponseBuilder, question: Question, body: list[Column], columns: list[int], labels: dict[str, str]
) -> list[str]:
    """One coded column (plus write-in columns); return the codes used, or [] for a text or numeric column."""
    column = body[columns[0]]
    codes = [value.strip() for value in used_values(column, blank)]
    if labels or all(INTEGER.match(code) for code in codes):
        qtype, options = QuestionType.SINGLE, ordered_options(labels, codes)
    else:
        qtype = infer_type(codes, nonblank_count(column, blank))
        options, codes = (tuple(dict.fromkeys(codes)) if qtype is QuestionType.SINGLE else ()), []
    index = builder.add_question(Question(question.id, question.text, qtype, (), options))
    builder.add_column(index, "", column, _labelled(labels))
    for write_in in columns[1:]:
        builder.add_write_ins(question.id, body[write_in], lambda text: bool(text.strip()))
    return codes


def _add_grid(
    builder: ResponseBuilder, question: Question, rows: list[tuple[str, Column]], labels: dict[str, str]
) -> list[str]:
    """One column per grid row, each holding the code of the answer chosen for that row; return the codes."""
    codes = list(dict.fromkeys(value.strip() for _row, column in rows for value in used_values(column, blank)))
    items = tuple(row for row, _column in rows)
    index = builder.add_question(
        Question(question.id, question.text, question.type, items, ordered_options(labels, codes))
    )
    for row, column in rows:
        builder.add_column(index, row, column, _labelled(labels))
    return codes


def _add_multiple(builder: ResponseBuilder, question: Question, options: list[tuple[str, Column]]) -> None:
    """One column per option (its label on row 3), ticked where the cell holds anything."""
    index = builder.add_question(
        Question(question.id, question.text, question.type, (), tuple(label for label, _column in options))
    )
    for label, column in options:
        builder.add_column(index, "", column, lambda cell, label=label: [label] if cell.strip() else [])


def _labelled(labels: dict[str, str]):
    def answers_of(text: str) -> list[str]:
        text = text.strip()
        if not text:
            return []
        # A code the codebook does not label is kept, spelt so that it is never read as an answer's words.
        return [labels.get(text) or (unlabelled_code(text) if INTEGER.match(text) else text)]

    return answers_of
