"""Google Forms and Qualtrics exports.

Google Forms: one header row, a Timestamp first, checkbox answers joined with ", ", grid rows as
columns named "Question [Row]". Qualtrics: three header rows (ids, texts, ImportId JSON), choices
joined with ",", matrix rows as ids like Q5_1 with text "Question - Row", write-ins in *_TEXT columns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from survey_model.survey import Question, QuestionType

from .builder import Parsed, ResponseBuilder, fielded_dates, infer_type, nonblank_count, used_values
from .reader import Column, ParseProblem, Table
from .repairs import clean_text, excel_date_repairs
from .tokens import OTHER_ANSWER, chosen, options_from

GOOGLE_META = {"timestamp", "email address", "score", "email"}
GRID_HEADER = re.compile(r"^(?P<text>.*\S)\s*\[(?P<item>[^\[\]]+)\]$")
QUALTRICS_GRID = re.compile(r"^(?P<base>.+?)_(?P<row>\d+)$")
QUALTRICS_TEXT = re.compile(r"^(?P<base>.+?)(_\d+)?_TEXT$")
QUALTRICS_SUFFIX = re.compile(r"\s+-\s+Selected Choice$")


def blank(text: str) -> bool:
    """Only an empty cell is unanswered: a chosen 'N/A' is an answer."""
    return not text.strip()


@dataclass
class Group:
    """Columns that form one question: (item, column) pairs, plus write-in columns."""

    qid: str
    text: str
    cells: list[tuple[str, Column]] = field(default_factory=list)
    write_ins: list[Column] = field(default_factory=list)


def read(table: Table, report: list[str], layout: str = "google_forms", **_options) -> Parsed:
    """Read a Google Forms or Qualtrics table."""
    header_rows = 3 if layout == "qualtrics" else 1
    if table.records <= header_rows:
        raise ParseProblem("has no respondents (only header rows)")
    builder = ResponseBuilder(table.records - header_rows)
    body = [column.skip(header_rows) for column in table.columns]
    if layout == "qualtrics":
        groups, dates = _qualtrics_groups(table, body, builder)
        separator = ","
    else:
        groups, dates = _google_groups(table, body, builder)
        separator = ", "
    for group in groups:
        _add_group(builder, group, separator, report)
    return Parsed(builder, fielded_dates(dates))


def _google_groups(table: Table, body: list[Column], builder: ResponseBuilder) -> tuple[list[Group], list[Column]]:
    groups: list[Group] = []
    dates = []
    for index, name in enumerate(clean_text(cell) for cell in table.row(0)):
        if name.lower() in GOOGLE_META:
            if name.lower() == "timestamp":
                dates.append(body[index])
            continue
        match = GRID_HEADER.match(name)
        text, item = (match["text"], match["item"].strip()) if match else (name or f"Column {index + 1}", "")
        if item and groups and groups[-1].text == text and groups[-1].cells[0][0]:
            groups[-1].cells.append((item, body[index]))
            continue
        groups.append(Group(builder.unique_id(f"Q{len(groups) + 1}"), text, [(item, body[index])]))
    return groups, dates


def _qualtrics_groups(table: Table, body: list[Column], builder: ResponseBuilder) -> tuple[list[Group], list[Column]]:
    ids, texts, imports = table.row(0), table.row(1), table.row(2)
    groups: dict[str, Group] = {}
    dates = []
    for index, (qid, text, import_id) in enumerate(zip(ids, texts, imports, strict=True)):
        qid, text = clean_text(qid), QUALTRICS_SUFFIX.sub("", clean_text(text))
        if not _import_id(import_id).startswith("QID"):
            if qid in ("StartDate", "EndDate"):
                dates.append(body[index])
            continue
        written = QUALTRICS_TEXT.match(qid)
        if written:
            base = written["base"]
            groups.setdefault(base, Group(base, text.split(" - ")[0])).write_ins.append(body[index])
            continue
        grid = QUALTRICS_GRID.match(qid)
        if grid and " - " in text:
            question_text, _, item = text.rpartition(" - ")
            group = groups.setdefault(grid["base"], Group(grid["base"], question_text))
            group.cells.append((item, body[index]))
            continue
        group = groups.setdefault(qid, Group(qid, text))
        group.text = text
        group.cells.append(("", body[index]))
    for group in groups.values():
        builder.unique_id(group.qid)
    return [group for group in groups.values() if group.cells], dates


def _import_id(cell: str) -> str:
    try:
        value = json.loads(cell)
    except ValueError:
        return ""
    return str(value.get("ImportId", "")) if isinstance(value, dict) else ""


def _add_group(builder: ResponseBuilder, group: Group, separator: str, report: list[str]) -> None:
    values = [clean_text(v) for _, column in group.cells for v in used_values(column, blank)]
    distinct = list(dict.fromkeys(values))
    options, joined = options_from(distinct, separator)
    repairs = excel_date_repairs(distinct)
    for before, after in repairs.items():
        report.append(f'{group.qid}: repaired "{before}" to "{after}" (a range that a spreadsheet turned into a date)')
    is_grid = len(group.cells) > 1 or bool(group.cells[0][0])
    answered = max(nonblank_count(column, blank) for _, column in group.cells)
    if joined:
        qtype = QuestionType.GRID_MULTIPLE if is_grid else QuestionType.MULTIPLE
        ordered = tuple(o for o in dict.fromkeys(p for v in distinct for p in chosen(v, separator, options)))
    else:
        qtype = QuestionType.GRID_SINGLE if is_grid else infer_type(distinct, answered)
        ordered = tuple(dict.fromkeys(repairs.get(v, v) for v in distinct))
    if qtype in (QuestionType.TEXT, QuestionType.NUMERIC):
        ordered = ()
    items = tuple(item for item, _ in group.cells) if is_grid else ()
    index = builder.add_question(Question(group.qid, group.text, qtype, items, ordered))

    def answers_of(text: str) -> list[str]:
        text = clean_text(text)
        if not text:
            return []
        return chosen(text, separator, options) if joined else [repairs.get(text, text)]

    for item, column in group.cells:
        builder.add_column(index, item, column, answers_of)
    for column in group.write_ins:
        builder.add_write_ins(group.qid, column, lambda text: not blank(text))
    if joined and not group.write_ins:
        # Google Forms puts the text typed under "Other" among the chosen options.
        for _, column in group.cells:
            builder.add_write_ins(
                group.qid, column, lambda text: OTHER_ANSWER in chosen(clean_text(text), separator, options)
            )
