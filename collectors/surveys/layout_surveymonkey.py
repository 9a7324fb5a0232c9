"""SurveyMonkey exports (CNCF surveys): question text on row 1 above its first column, option on row 2.

A question is a block of columns starting where row 1 has text. Row 2 tells the block apart:
`Response` (single choice), `Open-Ended Response` (free text), one column per option holding the
option's text when ticked (multiple choice, or single choice split into columns), one column per
grid row holding the chosen answer (2018/2019 grids), or one column per grid row and answer,
labelled `Row - Answer` and holding the answer when ticked (1H 2020 grids).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from survey_model.survey import Question, QuestionType

from .builder import Parsed, ResponseBuilder, fielded_dates, infer_type, nonblank_count
from .reader import Column, ParseProblem, Table
from .repairs import EXCEL_ERRORS, clean_text, excel_date_repairs

HEADER_ROWS = 2
METADATA = {
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
    "custom data",
    "custom data 1",
    "rds",
    "language",
}
OTHER_LABEL = re.compile(r"please specify|^comments?$|^other \(.*\)$", re.IGNORECASE)
SELECT_ALL = re.compile(r"all that apply|select all|check all|tick all|pick all|select that apply", re.IGNORECASE)
GRID_SEPARATOR = " - "
OTHER_ANSWER = "Other (please specify)"
OTHER_OPTION = re.compile(r"please specify|^other\b", re.IGNORECASE)  # a comment box is no "Other" option
SHIFTED_EXAMPLES = 3
SHIFTED_HEADERS = "headers shifted against their data (answers may be counted under the wrong option)"


@dataclass
class Block:
    """The columns of one question and what each column is."""

    text: str
    columns: list[int]
    labels: list[str]
    kinds: list[str]  # response | open | other | check | grid


def read(table: Table, report: list[str], **_options) -> Parsed:
    """Read a SurveyMonkey table (two header rows) into questions and responses."""
    if table.records <= HEADER_ROWS:
        raise ParseProblem("has no respondents (only header rows)")
    builder = ResponseBuilder(table.records - HEADER_ROWS)
    metadata = build(table, builder, report)
    dates = [metadata[name] for name in ("start date", "end date") if name in metadata]
    return Parsed(builder, fielded_dates(dates))


def blank(text: str) -> bool:
    """A cell counts as unanswered when it holds nothing but blanks."""
    return not text.strip()


def build(table: Table, builder: ResponseBuilder, report: list[str]) -> dict[str, Column]:
    """Add every question of a SurveyMonkey table to `builder`; return the metadata columns by name."""
    row1, row2 = table.row(0), table.row(1)
    body = [column.skip(HEADER_ROWS) for column in table.columns]
    metadata: dict[str, Column] = {}
    blocks: list[Block] = []
    for index, (text, label) in enumerate(zip(row1, row2, strict=True)):
        text, label = clean_text(text), clean_text(label)
        if text.lower() in METADATA and not label:
            metadata[text.lower()] = body[index]
        elif text or not blocks:
            blocks.append(Block(text or label or f"Column {index + 1}", [index], [label], []))
        else:
            blocks[-1].columns.append(index)
            blocks[-1].labels.append(label)
    renamed = 0
    for number, block in enumerate(blocks, start=1):
        columns = [body[i] for i in block.columns]
        block.kinds = [_kind(label, column) for label, column in zip(block.labels, columns, strict=True)]
        repairs = excel_date_repairs(block.labels + [v for c in columns for v in _values(c)])
        for before, after in repairs.items():
            report.append(
                f'Q{number}: repaired "{before}" to "{after}" (a range that a spreadsheet turned into a date)'
            )
        renamed += sum(label in EXCEL_ERRORS for label in block.labels)
        _add_block(builder, f"Q{number}", block, columns, repairs)
    if renamed:
        report.append(
            f"{renamed} option label(s) read {EXCEL_ERRORS[0]} (a spreadsheet formula error); "
            "the answers in those columns were used instead"
        )
    return metadata


def _values(column: Column) -> list[str]:
    return [clean_text(v) for v, n in zip(column.values, column.counts, strict=True) if n and not blank(v)]


def _kind(label: str, column: Column) -> str:
    lowered = label.lower()
    if lowered == "response":
        return "response"
    if lowered == "open-ended response":
        return "open"
    values = _values(column)
    if OTHER_LABEL.search(label) and not (len(set(values)) == 1 and values[0] == label):
        return "other"
    if len(set(values)) <= 1:
        return "check"
    equal = sum(int(n) for v, n in zip(column.values, column.counts, strict=True) if clean_text(v) == label)
    return "check" if equal * 2 >= nonblank_count(column, blank) else "grid"


def _add_block(builder: ResponseBuilder, qid: str, block: Block, columns: list[Column], repairs: dict) -> None:
    kinds = set(block.kinds)
    checks, grids = block.kinds.count("check"), block.kinds.count("grid")
    if "response" in kinds or kinds == {"other"} or (grids == 1 and not checks and kinds <= {"grid", "other"}):
        _add_single(builder, qid, block, columns, repairs)
    elif kinds <= {"open", "other"}:
        _add_text(builder, qid, block, columns, [k == "open" for k in block.kinds])
    elif checks >= grids:
        _add_checkboxes(builder, qid, block, columns, repairs)
    else:
        _add_grid(builder, qid, block, columns, repairs)


def _answer(repairs: dict):
    def answers_of(text: str) -> list[str]:
        text = clean_text(text)
        return [repairs.get(text, text)] if text else []

    return answers_of


def _add_single(builder: ResponseBuilder, qid: str, block: Block, columns: list[Column], repairs: dict) -> None:
    """One column holds the answer; 'other' columns hold write-ins (or, alone, the answers)."""
    main = [i for i, kind in enumerate(block.kinds) if kind in ("response", "grid")] or [0]
    answer_column = columns[main[0]]
    values = [repairs.get(v, v) for v in _values(answer_column)]
    qtype = infer_type(list(dict.fromkeys(values)), nonblank_count(answer_column, blank))
    options = () if qtype in (QuestionType.TEXT, QuestionType.NUMERIC) else tuple(dict.fromkeys(values))
    warnings = ()
    label = block.labels[main[0]]
    if options and _names_other(label):
        # The only column is headed as the "Other" box but holds the answers: headers shifted (CNCF 2018 Q35).
        warnings = _shifted_warning([_shifted(label, values)])
    index = builder.add_question(Question(qid, block.text, qtype, (), options, warnings))
    builder.add_column(index, "", answer_column, _answer(repairs))
    unanswered = np.array([blank(v) for v in answer_column.values], dtype=bool)[answer_column.codes]
    for position, column in enumerate(columns):
        if position == main[0]:
            continue
        wrote = builder.add_write_ins(qid, column, lambda text: not blank(text))
        only_write_in = np.flatnonzero(wrote & unanswered).astype(np.int32)
        # Only text typed under an "Other" option is an answer; any other free text (an e-mail address, a
        # comment) stays a write-in and never enlarges the base.
        if len(only_write_in) and qtype is not QuestionType.TEXT and _names_other(block.labels[position]):
            answer = np.full(len(only_write_in), builder.answer_code(OTHER_ANSWER), dtype=np.int32)
            builder.add_codes(only_write_in, index, 0, answer)


def _add_text(builder: ResponseBuilder, qid: str, block: Block, columns: list[Column], keep: list[bool]) -> None:
    texts = [c for c, k in zip(columns, keep, strict=True) if k] or columns
    labels = [lb for lb, k in zip(block.labels, keep, strict=True) if k] or block.labels
    items = tuple(labels) if len(texts) > 1 else ()
    index = builder.add_question(Question(qid, block.text, QuestionType.TEXT, items, ()))
    for label, column in zip(labels, texts, strict=True):
        builder.add_column(index, label if items else "", column, _answer({}))


def _add_checkboxes(builder: ResponseBuilder, qid: str, block: Block, columns: list[Column], repairs: dict) -> None:
    """One column per option (or per grid row and answer), holding the option's text where ticked."""
    positions = [i for i, kind in enumerate(block.kinds) if kind != "other"]
    options = []
    for i in positions:
        values = _values(columns[i])
        label = values[0] if values and (block.labels[i] in EXCEL_ERRORS or not block.labels[i]) else block.labels[i]
        options.append(repairs.get(label, label))
    split = [option.rpartition(GRID_SEPARATOR) for option in options]
    rows, answers = [s[0] for s in split], [s[2] for s in split]
    is_grid = all(rows) and len(set(rows)) < len(rows) and len(set(answers)) > 1
    if is_grid:
        items = tuple(dict.fromkeys(rows))
        question = Question(qid, block.text, QuestionType.GRID_MULTIPLE, items, tuple(dict.fromkeys(answers)))
    else:
        ticks = sum(
            np.array([not blank(v) for v in columns[i].values], dtype=bool)[columns[i].codes] for i in positions
        )
        several = SELECT_ALL.search(block.text) or (len(positions) and int(np.max(ticks)) > 1)
        qtype = QuestionType.MULTIPLE if several else QuestionType.SINGLE
        shifted = _shifted_columns([block.labels[i] for i in positions], [columns[i] for i in positions], options)
        question = Question(qid, block.text, qtype, (), tuple(dict.fromkeys(options)), shifted)
    index = builder.add_question(question)
    for number, position in enumerate(positions):
        if is_grid:
            builder.add_column(index, rows[number], columns[position], _grid_answer(answers[number], repairs))
        else:
            builder.add_column(index, "", columns[position], _answer(repairs))
    known = set(options)
    for position, kind in enumerate(block.kinds):
        if kind == "other" and not is_grid:
            _add_other_column(builder, qid, index, columns[position], known, block.labels[position])
        elif kind == "other":
            builder.add_write_ins(qid, columns[position], lambda text: not blank(text))


def _grid_answer(answer: str, repairs: dict):
    def answers_of(text: str) -> list[str]:
        return [answer] if clean_text(text) else []

    return answers_of


def _add_other_column(builder, qid: str, index: int, column: Column, known: set, label: str) -> None:
    """A write-in column: any typed text counts as 'Other (please specify)', even the wording of an option.

    The documented rule: typed text is recoded into options only when asked (a recode mapping), so a
    respondent who typed "Public Cloud" without ticking it is not counted as having ticked it.
    """
    answer = label if OTHER_LABEL.search(label) and "specify" in label.lower() else OTHER_ANSWER

    def answers_of(text: str) -> list[str]:
        return [answer] if clean_text(text) else []

    builder.add_column(index, "", column, answers_of)
    builder.add_write_ins(qid, column, lambda text: bool(clean_text(text)))


def _names_other(label: str) -> bool:
    """True when a column's header is an "Other" option (not a comment box or an unlabelled text column)."""
    return bool(OTHER_OPTION.search(label))


def _shifted(header: str, texts: list[str]) -> str:
    """How a column whose cells hold other texts than its header names is described."""
    shown = ", ".join(f'"{text}"' for text in list(dict.fromkeys(texts))[:SHIFTED_EXAMPLES])
    return f'the column headed "{header}" holds {shown}'


def _shifted_warning(columns: list[str]) -> tuple[str, ...]:
    """One warning naming every shifted column of a question (none when there is none)."""
    return (f"{SHIFTED_HEADERS}: {'; '.join(columns)}",) if columns else ()


def _shifted_columns(headers: list[str], columns: list[Column], options: list[str]) -> tuple[str, ...]:
    """The warning for option columns whose cells name another option than their header (CNCF 2018 Q9)."""
    shifted = []
    for header, column, option in zip(headers, columns, options, strict=True):
        others = [text for text in _values(column) if text != option and text in options]
        if others:
            shifted.append(_shifted(header, others))
    return _shifted_warning(shifted)


def _add_grid(builder: ResponseBuilder, qid: str, block: Block, columns: list[Column], repairs: dict) -> None:
    """One column per grid row holding the chosen answer; columns of unrelated text are write-ins."""
    grid = [i for i, kind in enumerate(block.kinds) if kind == "grid"]
    seen: dict[str, int] = {}
    for i in grid:
        for value in set(_values(columns[i])):
            seen[value] = seen.get(value, 0) + 1
    common = [value for value, count in seen.items() if count * 2 >= len(grid)]
    rows = []
    for i in grid:
        values = _values(columns[i])
        inside = sum(
            int(n) for v, n in zip(columns[i].values, columns[i].counts, strict=True) if clean_text(v) in common
        )
        if inside * 2 >= max(1, nonblank_count(columns[i], blank)):
            rows.append(i)
        elif values:
            block.kinds[i] = "other"
    if not rows:
        _add_text(builder, qid, block, columns, [k == "grid" for k in block.kinds])
        return
    answers = [repairs.get(v, v) for i in rows for v in _values(columns[i])]
    options = tuple(value for value in dict.fromkeys(answers) if value in common or repairs.get(value) in common)
    items = tuple(block.labels[i] for i in rows)
    index = builder.add_question(Question(qid, block.text, QuestionType.GRID_SINGLE, items, options))
    for i in rows:
        builder.add_column(index, block.labels[i], columns[i], _answer(repairs))
    for i, kind in enumerate(block.kinds):
        if kind in ("other", "open", "check"):
            builder.add_write_ins(qid, columns[i], lambda text: not blank(text))
