"""Tidy long CSVs (respondent, question, [item,] answer) and plain wide CSVs (one column per question)."""

from __future__ import annotations

import numpy as np

from survey_model.survey import Question, QuestionType

from .builder import Parsed, ResponseBuilder, infer_type, nonblank_count, used_values
from .detect import ID_COLUMNS, LONG_ANSWER, LONG_QUESTION, find_column
from .reader import Column, ParseProblem, Table
from .repairs import clean_text, excel_date_repairs

ITEM_COLUMNS = ("item", "row", "sub_question", "subquestion")
TEXT_COLUMNS = ("question_text", "text", "label")


def blank(text: str) -> bool:
    """Only an empty cell is unanswered: a chosen 'N/A' is an answer."""
    return not text.strip()


def read(table: Table, report: list[str], layout: str = "wide", **_options) -> Parsed:
    """Read a long or wide table."""
    if table.records <= 1:
        raise ParseProblem("has no respondents (only the header row)")
    header = [clean_text(cell) for cell in table.row(0)]
    body = [column.skip(1) for column in table.columns]
    return _read_long(header, body, report) if layout == "long" else _read_wide(header, body, report)


def _read_wide(header: list[str], body: list[Column], report: list[str]) -> Parsed:
    id_index = find_column(header, ID_COLUMNS)
    if id_index is None:
        report.append("no respondent id column (ResponseId, Respondent ID, id): each record is one respondent")
    builder = ResponseBuilder(len(body[0].codes))
    for index, column in enumerate(body):
        if index == id_index:
            continue
        name = header[index] or f"Column {index + 1}"
        qid = builder.unique_id(name)
        if qid != name:
            report.append(f'repeated column name "{name}": the later column is question {qid}')
        values = [clean_text(value) for value in used_values(column, blank)]
        repairs = excel_date_repairs(values)
        for before, after in repairs.items():
            report.append(f'{qid}: repaired "{before}" to "{after}" (a range that a spreadsheet turned into a date)')
        values = list(dict.fromkeys(repairs.get(value, value) for value in values))
        qtype = infer_type(values, nonblank_count(column, blank))
        options = tuple(values) if qtype is QuestionType.SINGLE else ()
        question = builder.add_question(Question(qid, name, qtype, (), options))
        builder.add_column(question, "", column, _answer(repairs))
    return Parsed(builder)


def _answer(repairs: dict[str, str]):
    def answers_of(text: str) -> list[str]:
        text = clean_text(text)
        return [repairs.get(text, text)] if text else []

    return answers_of


def _read_long(header: list[str], body: list[Column], report: list[str]) -> Parsed:
    who, what, value = (find_column(header, names) for names in (ID_COLUMNS, LONG_QUESTION, LONG_ANSWER))
    if who is None or what is None or value is None:
        raise ParseProblem("is not a long survey table: it needs respondent, question and answer columns")
    item_index, text_index = find_column(header, ITEM_COLUMNS), find_column(header, TEXT_COLUMNS)
    answer_column = body[value]
    keep = ~np.array([blank(v) for v in answer_column.values], dtype=bool)[answer_column.codes]
    respondent_codes = body[who].codes
    _, first_seen, respondent = np.unique(respondent_codes, return_index=True, return_inverse=True)
    rank = np.empty(len(first_seen), dtype=np.int32)
    rank[np.argsort(first_seen)] = np.arange(len(first_seen), dtype=np.int32)
    respondent = rank[respondent]
    builder = ResponseBuilder(len(first_seen))
    builder.may_repeat = True  # a long table can list the same answer twice
    questions = body[what]
    for code in _first_use_order(questions.codes):
        rows = np.flatnonzero((questions.codes == code) & keep)
        qid = builder.unique_id(clean_text(questions.values[code]) or "unnamed")
        text = clean_text(body[text_index].cell(int(rows[0]))) if text_index is not None and len(rows) else qid
        items = (
            [clean_text(body[item_index].cell(int(r))) for r in rows] if item_index is not None else [""] * len(rows)
        )
        answers = [clean_text(answer_column.cell(int(r))) for r in rows]
        distinct = list(dict.fromkeys(answers))
        pairs = set(zip(respondent[rows].tolist(), items, strict=True))
        several = len(pairs) < len(rows)
        is_grid = any(items)
        if is_grid:
            qtype = QuestionType.GRID_MULTIPLE if several else QuestionType.GRID_SINGLE
        else:
            qtype = QuestionType.MULTIPLE if several else infer_type(distinct, len(rows))
        options = () if qtype in (QuestionType.NUMERIC, QuestionType.TEXT) else tuple(distinct)
        index = builder.add_question(Question(qid, text, qtype, tuple(dict.fromkeys(i for i in items if i)), options))
        item_codes = np.array([builder.item_code(i) for i in items], dtype=np.int32)
        answer_codes = np.array([builder.answer_code(a) for a in answers], dtype=np.int32)
        builder.add_codes(respondent[rows], index, item_codes, answer_codes)
    report.append(f"long table: {len(first_seen)} respondents, {len(builder.questions)} questions")
    return Parsed(builder)


def _first_use_order(codes: np.ndarray) -> list[int]:
    values, first = np.unique(codes, return_index=True)
    return [int(value) for value in values[np.argsort(first)]]
