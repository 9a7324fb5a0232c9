"""Published tables (CNCF 2021 .xlsx): one "Question N" sheet per question, a share and a count per answer and region.

A sheet holds the survey's title, the question text, then one block per grid row (or one block):
an optional grid-row name, a header row (blank, answer, blank, answer, ..., `Total`), one row per
segment (`Q1: Africa` ...) and a `Total` row, each a share and a count per answer and the row's own
base, then `Answered` and `Skipped`. Write-ins follow per segment (`Respondents`, `Response Date`,
text, `Tags`). Stray cells (formulas somebody typed under a table, a `Weighted Average` column) are
not counts and are said in the report, never counted.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from settings import BadNumber, parse_number
from survey_model.counts import ANSWERED_COLUMNS, BASE_COLUMNS, COUNT_COLUMNS, TOTAL, CountsSurvey
from survey_model.survey import Question, QuestionType, SurveyMeta

from .errors import SurveyError
from .repairs import looks_like_formula
from .workbook_guard import workbook_bytes

SHEET = re.compile(r"^Question (\d{1,4})$")
SEGMENT = re.compile(r"^(Q\d{1,4}): (.+)$", re.DOTALL)
MAX_SHEETS = 500
MAX_ROWS = 100_000  # per sheet; CNCF's largest has 650
MAX_COLUMNS = 2_000
MAX_COUNT = 10**9
SEVERAL = re.compile(r"select all|check all|all that apply", re.IGNORECASE)
NOT_ANSWERS = ("Total", "Weighted Average")
# What openpyxl raises on a damaged workbook or cell: bad XML (SyntaxError), a bad number, a missing part.
UNREADABLE = (OSError, KeyError, ValueError, TypeError, IndexError, AttributeError, SyntaxError, EOFError, zlib.error)


@dataclass
class _Block:
    item: str
    options: list[str]
    counts: dict[str, list[int]] = field(default_factory=dict)  # segment -> count per option
    bases: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    skipped: int = 0


@dataclass
class _Sheet:
    question_id: str
    text: str
    blocks: list[_Block] = field(default_factory=list)
    write_ins: list[tuple[str, str]] = field(default_factory=list)  # (segment, text)
    stray: int = 0


def read_tables(path: Path, sha256: str) -> CountsSurvey:
    """Read a workbook of published tables into a CountsSurvey; SurveyError naming what is wrong."""
    data = workbook_bytes(path)
    try:
        book = openpyxl.load_workbook(data, read_only=True, data_only=False)
    except UNREADABLE as error:
        raise SurveyError(path, f"is an Excel workbook that cannot be read ({type(error).__name__})") from None
    try:
        names = [name for name in book.sheetnames if SHEET.match(name.strip())]
        if not names:
            raise SurveyError(path, 'has no "Question N" sheets: not a workbook of published survey tables')
        if len(names) > MAX_SHEETS:
            raise SurveyError(path, f"has {len(names):,} question sheets; the limit is {MAX_SHEETS}")
        sheets = [_read_sheet(path, name.strip(), _rows(path, book[name])) for name in names]
        title = _title(book[names[0]])
    except SurveyError:
        raise
    except UNREADABLE as error:
        # openpyxl parses each sheet as it is walked: a cell such as <v>nan</v> fails only then.
        raise SurveyError(path, f"has a sheet that cannot be read ({type(error).__name__})") from None
    finally:
        book.close()
    report = [f"published tables: {len(sheets)} questions; answers are counts, not respondents"]
    skipped = len(book.sheetnames) - len(names)
    report += [f"{skipped} sheet(s) not named 'Question N' left out"] if skipped else []
    stray = sum(sheet.stray for sheet in sheets)
    report += [f"{stray} cell(s) outside the tables (formulas, notes) ignored"] if stray else []
    return _survey(path, sha256, title, sheets, report)


def _rows(path: Path, sheet) -> list[list[object]]:
    rows = []
    # Rows as stored, not padded to the size the sheet claims (a claimed A1:XFD1048576 would pad every row).
    sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(values_only=True)):
        if number >= MAX_ROWS:
            raise SurveyError(path, f"sheet {sheet.title!r} has more than {MAX_ROWS:,} rows; not a published table")
        values = list(row)
        if len(values) > MAX_COLUMNS:
            raise SurveyError(path, f"sheet {sheet.title!r} has more than {MAX_COLUMNS:,} columns")
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        rows.append(values)
    return rows


def _title(sheet) -> str:
    for row in sheet.iter_rows(values_only=True, max_row=1, max_col=1):
        return str(row[0] or "").strip()
    return ""


def _text(value: object) -> str:
    return " ".join(str(value).replace("\xa0", " ").split())


def _count(path: Path, sheet: str, value: object) -> int:
    if isinstance(value, str) and looks_like_formula(value):
        raise SurveyError(path, f"sheet {sheet!r}: a count cell holds a formula ({value[:40]!r}); save its values")
    if value is None:
        # A blank where a count belongs is no 0: a table cut short, or a cell cleared by hand.
        raise SurveyError(path, f"sheet {sheet!r}: a count cell is empty; a published table gives every count")
    try:
        return int(parse_number(value, f"sheet {sheet!r}: a count", 0, MAX_COUNT, whole=True))
    except BadNumber as error:
        raise SurveyError(path, str(error)) from None


def _read_sheet(path: Path, name: str, rows: list[list[object]]) -> _Sheet:
    if len(rows) < 3 or not rows[1]:
        raise SurveyError(path, f"sheet {name!r} has no question text under its title")
    sheet = _Sheet(f"Q{int(SHEET.match(name).group(1))}", _text(rows[1][0]))
    item, block, write_in_segment = "", None, None
    for position, row in enumerate(rows[2:], start=2):
        if not row:
            continue
        following = rows[position + 1] if position + 1 < len(rows) else []
        first = row[0]
        if len(row) == 1 and isinstance(first, str):
            if following[:1] == ["Respondents"]:
                write_in_segment, block = _segment_name(first), None
            else:
                item, block, write_in_segment = _text(first), None, None
        elif first is None and len(row) > 1 and isinstance(row[1], str) and not _is_label_row(row):
            block = _header(sheet, item, row)
        elif first == "Respondents":
            continue
        elif write_in_segment is not None and len(row) > 2 and row[2] is not None:
            sheet.write_ins.append((write_in_segment, str(row[2]).strip()))
        elif block is not None and isinstance(first, str):
            _segment_row(path, name, block, row)
        elif block is not None and _is_label_row(row):
            _answered_row(path, name, block, row)
        else:
            sheet.stray += sum(value is not None for value in row)
    if not sheet.blocks:
        raise SurveyError(path, f"sheet {name!r} has no table (a header row of answers and a Total row)")
    return sheet


def _segment_name(label: str) -> str:
    text = _text(label)
    if text == "Total":
        return TOTAL
    match = SEGMENT.match(text)
    return match.group(2) if match else text


def _is_label_row(row: list[object]) -> bool:
    return any(value in ("Answered", "Skipped") for value in row)


def _header(sheet: _Sheet, item: str, row: list[object]) -> _Block | None:
    options = [_text(value) for value in row[1::2] if value is not None]
    options = [option for option in options if option not in NOT_ANSWERS]
    if options and all(SEGMENT.match(option) for option in options):
        return None  # a count of write-ins per segment: the write-ins themselves follow
    block = _Block(item, options)
    sheet.blocks.append(block)
    return block


def _segment_row(path: Path, name: str, block: _Block, row: list[object]) -> None:
    segment = _segment_name(row[0])
    values = row[1:]
    counts = [
        _count(path, name, values[2 * i + 1] if 2 * i + 1 < len(values) else None) for i in range(len(block.options))
    ]
    total_at = 2 * len(block.options) + 1
    base = _count(path, name, values[total_at]) if total_at < len(values) else None
    block.counts[segment] = counts
    if base is not None:
        block.bases[segment] = base


def _answered_row(path: Path, name: str, block: _Block, row: list[object]) -> None:
    for position, value in enumerate(row[:-1]):
        if value == "Answered":
            block.answered = _count(path, name, row[position + 1])
        elif value == "Skipped":
            block.skipped = _count(path, name, row[position + 1])


def _question_type(sheet: _Sheet) -> QuestionType:
    first = sheet.blocks[0]
    if len(first.options) == 1 and sheet.write_ins and _text(first.options[0]) == sheet.text:
        return QuestionType.TEXT
    several = bool(SEVERAL.search(sheet.text)) or any(
        sum(block.counts.get(TOTAL, [])) > block.bases.get(TOTAL, block.answered) for block in sheet.blocks
    )
    if len(sheet.blocks) > 1 or first.item:
        return QuestionType.GRID_MULTIPLE if several else QuestionType.GRID_SINGLE
    return QuestionType.MULTIPLE if several else QuestionType.SINGLE


def _survey(path: Path, sha256: str, title: str, sheets: list[_Sheet], report: list[str]) -> CountsSurvey:
    questions, counts, bases, answered, write_ins = [], [], [], [], []
    for sheet in sheets:
        kind = _question_type(sheet)
        items = (
            tuple(block.item for block in sheet.blocks)
            if kind in (QuestionType.GRID_SINGLE, QuestionType.GRID_MULTIPLE)
            else ()
        )
        options = tuple(dict.fromkeys(option for block in sheet.blocks for option in block.options))
        questions.append(
            Question(sheet.question_id, sheet.text, kind, items, () if kind == QuestionType.TEXT else options)
        )
        for block in sheet.blocks:
            item = block.item if items else ""
            if TOTAL not in block.counts:
                raise SurveyError(path, f"sheet for {sheet.question_id}: a table has no Total row")
            for segment, values in block.counts.items():
                if kind != QuestionType.TEXT:
                    counts += [
                        (sheet.question_id, item, segment, option, count)
                        for option, count in zip(block.options, values, strict=True)
                    ]
                base = block.bases.get(segment, block.answered if segment == TOTAL else sum(values))
                bases.append((sheet.question_id, item, segment, base))
            answered.append((sheet.question_id, item, block.answered or block.bases.get(TOTAL, 0), block.skipped))
        write_ins += [(sheet.question_id, segment, text) for segment, text in sheet.write_ins]
    segment_question = _segment_question(questions, bases)
    first_answered = answered[0]
    meta = SurveyMeta(
        source=path.name,
        sha256=sha256,
        respondents=first_answered[2] + first_answered[3],
        layout="published_tables",
        wave=_wave(path, title),
        year=_year(path, title),
    )
    _warn_formulas(questions, write_ins, report)
    return CountsSurvey(
        questions=questions,
        counts=pd.DataFrame(counts, columns=COUNT_COLUMNS).astype({"count": "int64"}),
        bases=pd.DataFrame(bases, columns=BASE_COLUMNS).astype({"base": "int64"}),
        answered=pd.DataFrame(answered, columns=ANSWERED_COLUMNS).astype({"answered": "int64", "skipped": "int64"}),
        meta=meta,
        segment_question=segment_question,
        report=report,
        write_ins=pd.DataFrame(write_ins, columns=["question", "segment", "text"]),
    )


def _segment_question(questions: list[Question], bases: list[tuple]) -> str | None:
    """The question whose answers name the segments (the region question, `Q1`), or None."""
    segments = {segment for _q, _i, segment, _b in bases if segment != TOTAL}
    for question in questions:
        if segments and segments <= {_text(option) for option in question.options}:
            return question.id
    return None


def _wave(path: Path, title: str) -> str:
    stem = " ".join(re.sub(r"[_]+", " ", path.stem).split())
    stem = re.sub(r"\s*-\s*(Part \d+)$", r" \1", stem)
    if stem.casefold().startswith("cloud native survey"):
        stem = f"CNCF {stem}"
    return stem or _text(title)


def _year(path: Path, title: str) -> int | None:
    for text in (path.stem, title, path.parent.name):
        found = re.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", text)
        if found:
            return int(found[-1])
    return None


def _warn_formulas(questions: list[Question], write_ins: list[tuple], report: list[str]) -> None:
    texts = [question.text for question in questions] + [o for q in questions for o in q.options + q.items]
    texts += [text for _q, _s, text in write_ins]
    formulas = sum(looks_like_formula(text) for text in set(texts))
    if formulas:
        report.append(
            f"{formulas} distinct text(s) start like a spreadsheet formula (=, +, -, @); kept as text, "
            "and CSV exports neutralise them"
        )
