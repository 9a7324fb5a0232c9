"""Stack Overflow Developer Survey exports: one header row of short names, `;`-joined multiple choice,
the literal "NA" for a blank, question texts in a schema CSV (qname, question, type, sub)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from survey_model.survey import Question, QuestionType
from user_files import SMALL_FILE_MAX_BYTES, csv_dict_reader, field_problem, read_user_bytes

from .builder import Parsed, ResponseBuilder, infer_type, nonblank_count, used_values
from .detect import ID_COLUMNS, find_column
from .reader import ParseProblem, Table
from .repairs import clean_text

MISSING = "NA"
JOIN = ";"
TAG = re.compile(r"<[^>]+>")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def blank(text: str) -> bool:
    """Blank cells and the literal NA count as unanswered in this layout."""
    stripped = text.strip()
    return not stripped or stripped == MISSING


def read(table: Table, report: list[str], schema: Path | None = None, **_options) -> Parsed:
    """Read a Stack Overflow-style table, taking question texts from the schema when there is one."""
    if table.records <= 1:
        raise ParseProblem("has no respondents (only the header row)")
    header = [clean_text(cell) for cell in table.row(0)]
    schema_rows = read_schema(schema) if schema else {}
    if schema is None:
        report.append("no schema file: question texts are the column names")
    id_index = find_column(header, ID_COLUMNS)
    builder = ResponseBuilder(table.records - 1)
    for index, column in enumerate(table.columns):
        if index == id_index:
            continue
        column = column.skip(1)
        name = header[index] or f"Column {index + 1}"
        qid = builder.unique_id(name)
        if qid != name:
            report.append(f'repeated column name "{name}": the later column is question {qid}')
        values = used_values(column, blank)
        kind = schema_rows.get(name, ("", ""))[1]
        joined = kind != "TE" and not name.endswith("_TEXT") and any(JOIN in value for value in values)
        if joined:
            options = tuple(
                dict.fromkeys(part.strip() for value in values for part in value.split(JOIN) if part.strip())
            )
            question = Question(qid, question_text(name, schema_rows), QuestionType.MULTIPLE, (), options)
        else:
            stripped = list(dict.fromkeys(value.strip() for value in values))
            qtype = infer_type(stripped, nonblank_count(column, blank))
            options = tuple(stripped) if qtype is QuestionType.SINGLE else ()
            question = Question(qid, question_text(name, schema_rows), qtype, (), options)
        builder.add_column(builder.add_question(question), "", column, _split if joined else _single)
    return Parsed(builder)


def _split(text: str) -> list[str]:
    if blank(text):
        return []
    return list(dict.fromkeys(part.strip() for part in text.split(JOIN) if part.strip()))


def _single(text: str) -> list[str]:
    return [] if blank(text) else [text.strip()]


def read_schema(path: Path) -> dict[str, tuple[str, str]]:
    """Map each qname of a schema CSV to (question text, type); rank and matrix rows get their sub-label."""
    try:
        text = read_user_bytes(path, SMALL_FILE_MAX_BYTES).decode("utf-8-sig", errors="replace")
    except OSError as error:
        raise ParseProblem(f"schema {path.name} cannot be read ({error.strerror or error})") from None
    try:
        return _schema_rows(csv_dict_reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ParseProblem(f"schema {path.name} {field_problem(error)}") from None


def _schema_rows(reader: csv.DictReader) -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for row in reader:
        name = (row.get("qname") or "").strip()
        question = clean_text(TAG.sub("", row.get("question") or ""))
        sub = clean_text(row.get("sub") or "")
        if name and question:
            rows[name] = (
                f"{question} - {sub}" if sub and sub != MISSING else question,
                (row.get("type") or "").strip(),
            )
    return rows


def question_text(name: str, schema: dict[str, tuple[str, str]]) -> str:
    """The schema's text for a column, or for the longest schema name it starts with plus the rest."""
    if name in schema:
        return schema[name][0]
    prefixes = [qname for qname in schema if name.startswith(qname)]
    if not prefixes:
        return _humane(name)
    prefix = max(prefixes, key=len)
    return f"{schema[prefix][0]} - {_humane(name[len(prefix) :])}"


def _humane(name: str) -> str:
    words = CAMEL.sub(" ", name.replace("_", " ")).split()
    return " ".join([words[0], *[w.lower() if w[1:].islower() else w for w in words[1:]]]) if words else name
